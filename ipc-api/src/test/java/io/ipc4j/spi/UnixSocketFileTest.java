package io.ipc4j.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telling a live socket file from a stale one, over the JDK's Unix channels. */
@Timeout(30)
class UnixSocketFileTest {
  private Path dir;

  @BeforeEach
  void createDirectory() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-usf-");
  }

  @AfterEach
  void deleteDirectory() throws Exception {
    Files.deleteIfExists(dir.resolve("s"));
    Files.delete(dir);
  }

  @Test
  void aListeningSocketIsLiveAndItsFileIsStaleOnceItCloses() throws Exception {
    Path path = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      assertTrue(UnixSocketFile.isLive(path), "listening");
    }
    assertTrue(Files.exists(path), "the JDK leaves the file");
    assertFalse(UnixSocketFile.isLive(path), "stale once closed");
  }

  /** A file gone between a look at it and the probe leaves nothing to refuse a bind over. */
  @Test
  void noFileIsNotLive() {
    assertFalse(UnixSocketFile.isLive(dir.resolve("s")));
  }
}
