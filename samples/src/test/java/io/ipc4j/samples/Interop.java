package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Third-party programs the interop tests drive: found on the PATH, or the test is skipped with the
 * reason ({@code scripts/install-test-tools} installs them).
 */
final class Interop {
  private Interop() {}

  /** Whether {@code command} is an executable on the PATH. */
  static boolean has(String command) {
    return find(command) != null;
  }

  static String find(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** Skips the test unless {@code command} is there. */
  static void assume(String command, String pkg) {
    assumeTrue(
        has(command),
        () ->
            command + " is not installed (Debian package " + pkg + "; scripts/install-test-tools)");
  }

  /** OpenBSD netcat (for {@code -U} and {@code -N}), as {@code nc.openbsd} or as {@code nc}. */
  static String netcat() {
    if (has("nc.openbsd")) {
      return "nc.openbsd";
    }
    if (has("nc")) {
      try {
        Run r = run(List.of("nc", "-h"), "");
        if (r.out.contains("OpenBSD")) {
          return "nc";
        }
      } catch (Exception e) {
        // Not a netcat we know how to drive.
      }
    }
    assumeTrue(
        false,
        "OpenBSD netcat is not installed (Debian package netcat-openbsd;"
            + " scripts/install-test-tools)");
    return null;
  }

  /** Runs {@code command} with {@code input} on its standard input, bounded in time. */
  static Run run(List<String> command, String input) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    try {
      CompletableFuture<String> out = read(p.getInputStream());
      CompletableFuture<String> err = read(p.getErrorStream());
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      assertTrue(p.waitFor(Sample.WAIT_SECONDS, TimeUnit.SECONDS), command + " did not finish");
      return new Run(
          p.exitValue(),
          out.get(Sample.WAIT_SECONDS, TimeUnit.SECONDS),
          err.get(Sample.WAIT_SECONDS, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
  }

  private static CompletableFuture<String> read(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return e.toString();
          }
        });
  }

  /** How a third-party program ended and what it printed. */
  static final class Run {
    final int exit;
    final String out;
    final String err;

    Run(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "; stdout: " + out + "; stderr: " + err;
    }
  }
}
