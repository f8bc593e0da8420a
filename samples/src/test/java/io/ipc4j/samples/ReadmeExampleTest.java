package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's first example, pasted into a file unchanged, runs over tcp and unix. */
@Timeout(60)
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void firstExampleRunsUnchangedOverTcpAndUnix() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "README has a java block");
    Path source = Files.writeString(dir.resolve("Hello.java"), block.group(1));
    String classPath = System.getProperty("java.class.path");
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-cp", classPath, "-d", dir.toString(), source.toString());
    assertEquals(0, compiled, "README example compiles");

    Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-readme-");
    try {
      assertEquals(
          List.of("hello over tcp://127.0.0.1:PORT"),
          run(dir + java.io.File.pathSeparator + classPath, "tcp://127.0.0.1:0"));
      String unix = "unix://" + socketDir.resolve("hello.sock");
      assertEquals(
          List.of("hello over " + unix), run(dir + java.io.File.pathSeparator + classPath, unix));
      assertTrue(Files.notExists(socketDir.resolve("hello.sock")), "socket file removed");
    } finally {
      Files.deleteIfExists(socketDir.resolve("hello.sock"));
      Files.delete(socketDir);
    }
  }

  /** Runs Hello in a new JVM; ephemeral ports in its output become PORT. */
  private static List<String> run(String classPath, String endpoint) throws Exception {
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                classPath,
                "Hello",
                endpoint)
            .redirectErrorStream(true)
            .start();
    try {
      assertTrue(p.waitFor(45, TimeUnit.SECONDS), "Hello finished");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      return out.lines().map(l -> l.replaceAll(":\\d+$", ":PORT")).toList();
    } finally {
      p.destroyForcibly();
    }
  }
}
