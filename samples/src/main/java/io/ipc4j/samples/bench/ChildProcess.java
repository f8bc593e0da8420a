package io.ipc4j.samples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bench peer in a JVM of its own. Its output is read line by line as it comes, every wait is
 * bounded, and {@link #close()} kills it if it is still running; a shutdown hook kills whatever is
 * left if the bench itself is stopped.
 */
final class ChildProcess implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final String END = new String("end of output");

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-reaper"));
  }

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer errors = new StringBuffer();

  private ChildProcess(Process process) {
    this.process = process;
    LIVE.add(process);
    Daemon.start(
        "bench-out " + process.pid(),
        () -> {
          try (BufferedReader r = reader(process.getInputStream())) {
            for (String line; (line = r.readLine()) != null; ) {
              lines.add(line);
            }
          } catch (IOException e) {
            // The process ended.
          }
          lines.add(END);
        });
    Daemon.start(
        "bench-err " + process.pid(),
        () -> {
          try (BufferedReader r = reader(process.getErrorStream())) {
            for (String line; (line = r.readLine()) != null; ) {
              errors.append(line).append('\n');
            }
          } catch (IOException e) {
            // The process ended.
          }
        });
  }

  /**
   * Starts {@code Peer ARGS...} on this JVM's class path, under {@code prefix} (taskset), with
   * {@code jvmOptions} (a heap limit).
   */
  static ChildProcess start(List<String> prefix, List<String> jvmOptions, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    if (Runtime.version().feature() >= 22) {
      // What the jar's manifest grants when run with -jar; a class path run needs the flag.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Peer.class.getName());
    command.addAll(args);
    return new ChildProcess(new ProcessBuilder(command).start());
  }

  /** The next line of output; fails if none comes within {@code seconds} or the output ends. */
  String nextLine(long seconds) throws IOException, InterruptedException {
    String line = lines.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new IOException("bench peer printed nothing for " + seconds + " s" + diagnostics());
    }
    if (line == END) {
      lines.add(END);
      process.waitFor(5, TimeUnit.SECONDS);
      throw new IOException("bench peer ended its output" + diagnostics());
    }
    return line;
  }

  long pid() {
    return process.pid();
  }

  /** Writes {@code line} to its standard input. */
  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Ends its standard input and waits for it to exit; fails if it does not, or not with 0. */
  void finish(long seconds) throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IOException("bench peer did not exit within " + seconds + " s" + diagnostics());
    }
    if (process.exitValue() != 0) {
      throw new IOException("bench peer exited with " + process.exitValue() + diagnostics());
    }
  }

  private String diagnostics() {
    String err = errors.toString().strip();
    return " (pid " + process.pid() + (err.isEmpty() ? ")" : "): " + err);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    LIVE.remove(process);
  }

  private static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
