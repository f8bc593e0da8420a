package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * How every sample server ends: on SIGTERM or Ctrl-C the JVM runs a shutdown hook that closes what
 * the server opened, in order, which stops accepting and removes its Unix socket file. Servers
 * print {@code listening on ENDPOINT} (with the real port) once they are ready, which is what
 * scripts and tests wait for.
 */
final class Shutdown {
  private final String command;
  private final List<Closeable> resources;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean started;

  private Shutdown(String command, List<Closeable> resources) {
    this.command = command;
    this.resources = resources;
  }

  /** Registers a hook that closes {@code resources}, in order, when the JVM is told to stop. */
  static Shutdown closing(String command, Closeable... resources) {
    Shutdown s = new Shutdown(command, List.of(resources));
    Runtime.getRuntime().addShutdownHook(new Thread(s::run, command + "-shutdown"));
    return s;
  }

  /**
   * Serves until the process is told to stop: registers the hook that closes {@code resources},
   * prints where it listens, then waits. Returns only if interrupted.
   */
  static int serve(String command, Endpoint endpoint, Closeable... resources)
      throws InterruptedException {
    Shutdown s = closing(command, resources);
    announce(endpoint);
    s.done.await();
    return 0;
  }

  /** Prints the line that scripts wait for. */
  static void announce(Endpoint endpoint) {
    System.out.println("listening on " + endpoint);
    System.out.flush();
  }

  /** Whether the JVM has begun to stop: a closed socket is then no error. */
  boolean started() {
    return started;
  }

  private void run() {
    started = true;
    for (Closeable c : resources) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        System.err.println(command + ": " + e.getMessage());
      }
    }
    System.out.flush();
    done.countDown();
  }
}
