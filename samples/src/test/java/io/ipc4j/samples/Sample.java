package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A samples subcommand running in a JVM of its own, as a user would run it. Its standard output is
 * read as it comes, so that a test can wait for a line (never for a fixed time); its standard error
 * is kept for failure messages. {@link #close()} kills it if it is still running.
 */
final class Sample implements AutoCloseable {
  /** How long a test waits for any one thing a process should do soon. */
  static final long WAIT_SECONDS = 20;

  private static final String EOF = new String("end of output");

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final Thread outReader;
  private final Thread errReader;

  private Sample(String name, Process process) {
    this.name = name;
    this.process = process;
    this.outReader = pump(process.getInputStream(), out, lines, name + " stdout");
    this.errReader = pump(process.getErrorStream(), err, null, name + " stderr");
  }

  /** Starts {@code ipc4j-samples ARGS...} with its standard input a pipe. */
  static Sample start(String... args) throws IOException {
    return start(ProcessBuilder.Redirect.PIPE, args);
  }

  /** Starts {@code ipc4j-samples ARGS...} with standard input from {@code stdin}. */
  static Sample start(ProcessBuilder.Redirect stdin, String... args) throws IOException {
    return new Sample(args[0], new ProcessBuilder(command(args)).redirectInput(stdin).start());
  }

  /**
   * Starts {@code ipc4j-samples ARGS...} under {@code prefix}, such as {@code ip netns exec NS}.
   */
  static Sample startUnder(List<String> prefix, String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(command(args));
    return new Sample(args[0], new ProcessBuilder(command).start());
  }

  /** The command line that runs {@code ipc4j-samples ARGS...} on this JVM's class path. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    // Short-lived processes: skip the optimising compiler, start sooner.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:-UsePerfData");
    if (Runtime.version().feature() >= 22) {
      // As the jar's manifest grants: junixsocket's native code loads without a warning.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code ipc4j-samples ARGS...} with no input to completion. */
  static Result run(String... args) throws Exception {
    try (Sample s = start(args)) {
      return s.finish();
    }
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Writes {@code text} to the process's standard input and flushes it. */
  Sample write(String text) throws IOException {
    stdin().write(text.getBytes(StandardCharsets.UTF_8));
    stdin().flush();
    return this;
  }

  void closeStdin() throws IOException {
    stdin().close();
  }

  /** Waits for the next line of standard output. */
  String nextLine() throws InterruptedException {
    String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      fail(name + " printed no line within " + WAIT_SECONDS + " s; stdout: " + out + diagnostics());
    }
    if (line == EOF) {
      lines.add(EOF);
      fail(name + " ended its output; stdout: " + out + diagnostics());
    }
    return line;
  }

  /** Waits for a line of standard output that {@code matches}, skipping others. */
  String awaitLine(Predicate<String> matches) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        fail(
            name
                + " printed no such line within "
                + WAIT_SECONDS
                + " s; stdout: "
                + out
                + diagnostics());
      }
      if (line == EOF) {
        lines.add(EOF);
        fail(name + " ended its output without such a line; stdout: " + out + diagnostics());
      }
      if (matches.test(line)) {
        return line;
      }
    }
  }

  /** Waits for {@code line}, exactly, skipping others. */
  void awaitLine(String line) throws InterruptedException {
    awaitLine(line::equals);
  }

  /** Waits for the server's {@code listening on ENDPOINT} and returns the endpoint. */
  String awaitListening() throws InterruptedException {
    String line = nextLine();
    assertTrue(line.startsWith("listening on "), name + " said: " + line + diagnostics());
    return line.substring("listening on ".length());
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    assertTrue(
        process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS),
        name + " did not stop on SIGTERM" + diagnostics());
    return process.exitValue();
  }

  /** Closes standard input, waits for the process to end and returns what it printed. */
  Result finish() throws Exception {
    try {
      stdin().close();
    } catch (IOException e) {
      // Already closed by the process's end.
    }
    assertTrue(
        process.waitFor(45, TimeUnit.SECONDS),
        name + " did not finish; stdout: " + out + diagnostics());
    outReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    errReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    return new Result(process.exitValue(), out.toString(), err.toString());
  }

  /** Waits for the process to end by itself, its standard input still open. */
  Result awaitExit() throws Exception {
    assertTrue(
        process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS),
        name + " did not end; stdout: " + out + diagnostics());
    return finish();
  }

  /** Everything printed on standard output so far. */
  String output() {
    return out.toString();
  }

  String errors() {
    return err.toString();
  }

  private String diagnostics() {
    return "; stderr: " + err;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static Thread pump(
      InputStream stream, StringBuffer all, BlockingQueue<String> lines, String name) {
    Thread t =
        new Thread(
            () -> {
              StringBuilder line = new StringBuilder();
              try (Reader r = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                for (int n; (n = r.read(buffer)) >= 0; ) {
                  all.append(buffer, 0, n);
                  if (lines == null) {
                    continue;
                  }
                  for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                      lines.add(line.toString());
                      line.setLength(0);
                    } else {
                      line.append(buffer[i]);
                    }
                  }
                }
              } catch (IOException e) {
                // The process ended.
              }
              if (lines != null) {
                if (line.length() > 0) {
                  lines.add(line.toString());
                }
                lines.add(EOF);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** How a process ended and what it printed. */
  static final class Result {
    final int exit;
    final String out;
    final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    /** The first line of standard error: the one-line error a user sees. */
    String firstErrorLine() {
      return err.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
      return "exit " + exit + "; stdout: " + out + "; stderr: " + err;
    }
  }
}
