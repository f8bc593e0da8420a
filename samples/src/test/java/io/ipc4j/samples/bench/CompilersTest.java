package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CompilersTest {
  @Test
  void readsTheCompilerThreadsOfTheServerProcess() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    // This JVM stands in for the server: by now its compilers have compiled JUnit for a while.
    Compilers compilers = Compilers.of(ProcessHandle.current().pid());

    long server = compilers.serverTicks();
    long all = compilers.ticks();

    assertTrue(server > 0, "compiler ticks of this JVM read as a server's: " + server);
    assertTrue(all >= 2 * server, "both JVMs counted in " + all + " (server " + server + ")");
  }

  @Test
  void withoutAServerCountsNone() {
    assertEquals(0, Compilers.of(0).serverTicks());
  }

  @Test
  void aServerThatHasEndedCountsNone() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();

    assertEquals(0, Compilers.of(ended.pid()).serverTicks());
  }
}
