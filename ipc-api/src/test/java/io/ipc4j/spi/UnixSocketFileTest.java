package io.ipc4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telling a live socket file from a stale one, over the JDK's Unix channels. */
@Timeout(30)
class UnixSocketFileTest {
  private static final Set<PosixFilePermission> OWNER =
      PosixFilePermissions.fromString("rw-------");

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

  /**
   * Kept, the private name a socket was bound at is a second link to its file, in the owner-only
   * directory the bind made; otherwise nothing of it is left.
   */
  @Test
  void keepsTheBoundNameOnlyWhenAsked() throws Exception {
    Endpoint endpoint = Endpoint.unix(dir.resolve("s"));
    try (ServerSocketChannel kept = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      UnixSocketFile file =
          UnixSocketFile.bind(endpoint, OWNER, p -> kept.bind(UnixDomainSocketAddress.of(p)), true);
      Path name = file.boundName().orElseThrow();
      assertEquals(dir, name.getParent().getParent(), name.toString());
      assertEquals("rwx------", PosixFilePermissions.toString(permissionsOf(name.getParent())));
      assertEquals(fileKey(endpoint.path()), fileKey(name), "the same socket file");
      Files.delete(name);
      Files.delete(name.getParent());
      assertTrue(file.deleteIfOwned());
    }
    try (ServerSocketChannel plain = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      UnixSocketFile file =
          UnixSocketFile.bind(endpoint, OWNER, p -> plain.bind(UnixDomainSocketAddress.of(p)));
      assertEquals(Optional.empty(), file.boundName());
      try (Stream<Path> entries = Files.list(dir)) {
        assertEquals(List.of(endpoint.path()), entries.collect(Collectors.toList()));
      }
      assertTrue(file.deleteIfOwned());
    }
  }

  private static Set<PosixFilePermission> permissionsOf(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /** A file gone between a look at it and the probe leaves nothing to refuse a bind over. */
  @Test
  void noFileIsNotLive() {
    assertFalse(UnixSocketFile.isLive(dir.resolve("s")));
  }
}
