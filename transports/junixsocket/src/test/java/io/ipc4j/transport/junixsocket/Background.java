package io.ipc4j.transport.junixsocket;

import io.ipc4j.testkit.SocketWaits;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A call on its own thread, which a test can see blocked and then collect. */
final class Background<T> {
  private static final MethodHandle OF_VIRTUAL = find("ofVirtual");
  private static final MethodHandle UNSTARTED = find("unstarted");

  private final FutureTask<T> task;
  private final Thread thread;

  private Background(Thread thread, FutureTask<T> task) {
    this.thread = thread;
    this.task = task;
    thread.start();
  }

  /** Runs {@code body} on a new platform daemon thread. */
  static <T> Background<T> platform(String name, Callable<T> body) {
    FutureTask<T> task = new FutureTask<>(body);
    Thread thread = new Thread(task, "test-" + name);
    thread.setDaemon(true);
    return new Background<>(thread, task);
  }

  /** Whether this JVM has virtual threads (Java 21+). */
  static boolean virtualThreadsAvailable() {
    return OF_VIRTUAL != null && UNSTARTED != null;
  }

  /** Runs {@code body} on a new virtual thread; see {@link #virtualThreadsAvailable()}. */
  static <T> Background<T> virtual(String name, Callable<T> body) throws Throwable {
    FutureTask<T> task = new FutureTask<>(body);
    Object builder = OF_VIRTUAL.invoke();
    return new Background<>((Thread) UNSTARTED.invoke(builder, task), task);
  }

  /**
   * Waits until the thread is blocked in socket I/O ({@link SocketWaits#isBlocked}), at most 10
   * seconds; returns whether it was seen so.
   */
  boolean awaitBlocked() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0 && !task.isDone()) {
      if (SocketWaits.isBlocked(thread)) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return false;
  }

  /** The result, waiting at most 10 seconds. */
  T get() throws Exception {
    return task.get(10, TimeUnit.SECONDS);
  }

  /** {@code Thread.ofVirtual()} and {@code Thread.Builder.unstarted}: tests compile for 17. */
  private static MethodHandle find(String which) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      if (which.equals("ofVirtual")) {
        return lookup.findStatic(
            Thread.class,
            "ofVirtual",
            MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
      }
      return lookup.findVirtual(
          Class.forName("java.lang.Thread$Builder"),
          "unstarted",
          MethodType.methodType(Thread.class, Runnable.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
