package io.ipc4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.PeerCredentials;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import io.ipc4j.spi.UnixSocketFile;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The life of a listener's Unix socket file, for transports that bind socket paths: never bind over
 * a live socket or a file of another kind, reclaim stale sockets, set the permissions, delete only
 * our own file on close, reject over-long paths up front, and know the peer.
 *
 * <p>{@link #newEndpoint()} must return a {@code unix} endpoint with a path (see {@link
 * #newUnixEndpoint()}).
 */
@Timeout(30)
public abstract class UnixSocketFileContract extends TransportContract {

  private static Set<PosixFilePermission> permissionsOf(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean isSocket(Path path) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.isOther();
  }

  private static List<Path> contentsOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toList());
    }
  }

  private void assertServes(Listener<StreamConnection> listener) throws Exception {
    try (StreamConnection client = Ipc.connect(listener.endpoint(), options());
        StreamConnection server = listener.accept()) {
      client.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
      assertEquals("hi", new String(readExactly(server, 2), US_ASCII));
    }
  }

  @Test
  void refusesToBindOverLiveSocket() throws Exception {
    Endpoint endpoint = newEndpoint();
    try (Listener<StreamConnection> live = Ipc.listen(endpoint, options())) {
      AddressInUseException e =
          assertThrows(AddressInUseException.class, () -> Ipc.listen(endpoint, options()));
      assertTrue(e.holderAlive(), "a live socket holds the path");
      assertEquals(endpoint, e.endpoint());
      assertTrue(
          e.getMessage().contains(endpoint.path().toString()),
          "message names the path: " + e.getMessage());
      assertTrue(isSocket(endpoint.path()), "the live socket's file is left in place");
      assertServesAfterProbe(live);
    }
  }

  /**
   * The live listener still serves. The refused bind probed it by connecting, so its queue may hold
   * that probe, already closed: skip at most one connection that ends at once.
   */
  private void assertServesAfterProbe(Listener<StreamConnection> listener) throws Exception {
    try (StreamConnection client = Ipc.connect(listener.endpoint(), options())) {
      client.write(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
      for (int attempt = 0; attempt < 2; attempt++) {
        try (StreamConnection server = listener.accept()) {
          ByteBuffer two = ByteBuffer.allocate(2);
          while (two.hasRemaining() && server.read(two) >= 0) {
            // read on
          }
          if (two.position() == 2) {
            assertEquals("hi", new String(two.array(), US_ASCII));
            return;
          }
          assertEquals(0, two.position(), "a probe carries no bytes");
        }
      }
      throw new AssertionError("the live listener did not serve the client");
    }
  }

  @Test
  void reclaimsStaleSocketFile() throws Exception {
    Endpoint endpoint = newEndpoint();
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(endpoint.path()));
    }
    assertTrue(isSocket(endpoint.path()), "precondition: the JDK leaves its socket file behind");
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, options())) {
      assertServes(listener);
    }
  }

  @Test
  void neverReplacesFileThatIsNotSocket() throws Exception {
    Endpoint endpoint = newEndpoint();
    Files.writeString(endpoint.path(), "precious", StandardCharsets.UTF_8);
    AddressInUseException e =
        assertThrows(AddressInUseException.class, () -> Ipc.listen(endpoint, options()));
    assertFalse(e.holderAlive(), "no live socket holds the path");
    assertTrue(
        e.getMessage().contains(endpoint.path().toString()),
        "message names the path: " + e.getMessage());
    assertEquals("precious", Files.readString(endpoint.path(), StandardCharsets.UTF_8));
    assertEquals(List.of(endpoint.path()), contentsOf(endpoint.path().getParent()));
  }

  @Test
  void createsOwnerOnlySocketFileByDefault() throws Exception {
    Endpoint endpoint = newEndpoint();
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, options())) {
      assertTrue(isSocket(endpoint.path()));
      assertEquals(PosixFilePermissions.fromString("rw-------"), permissionsOf(endpoint.path()));
      assertEquals(List.of(endpoint.path()), contentsOf(endpoint.path().getParent()));
    }
  }

  @Test
  void appliesConfiguredSocketFilePermissions() throws Exception {
    Endpoint endpoint = newEndpoint();
    Set<PosixFilePermission> groupToo = PosixFilePermissions.fromString("rw-rw----");
    try (Listener<StreamConnection> listener =
        Ipc.listen(
            endpoint, options().with(StandardIpcOptions.SOCKET_FILE_PERMISSIONS, groupToo))) {
      assertEquals(groupToo, permissionsOf(endpoint.path()));
      assertServes(listener);
    }
  }

  @Test
  void deletesSocketFileOnCloseLeavingNothingBehind() throws Exception {
    Endpoint endpoint = newEndpoint();
    Listener<StreamConnection> listener = Ipc.listen(endpoint, options());
    try {
      assertServes(listener);
    } finally {
      listener.close();
    }
    assertFalse(Files.exists(endpoint.path(), LinkOption.NOFOLLOW_LINKS), "socket file deleted");
    assertEquals(List.of(), contentsOf(endpoint.path().getParent()), "nothing left behind");
    listener.close();
  }

  @Test
  void leavesReplacementSocketFileAloneOnClose() throws Exception {
    Endpoint endpoint = newEndpoint();
    Path path = endpoint.path();
    Listener<StreamConnection> listener = Ipc.listen(endpoint, options());
    try (ServerSocketChannel replacement = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        Files.delete(path);
        replacement.bind(UnixDomainSocketAddress.of(path));
      } finally {
        listener.close();
      }
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the new socket file is kept");
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
          SocketChannel accepted = replacement.accept()) {
        client.write(ByteBuffer.wrap(new byte[] {7}));
        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, accepted.read(one));
        assertEquals(7, one.get(0));
      }
    } finally {
      Files.deleteIfExists(path);
    }
  }

  /** A path in a new temporary directory whose UTF-8 form is exactly {@code bytes} long. */
  private Path pathOfLength(int bytes, String filler) {
    Path dir = newTemporaryDirectory();
    StringBuilder name = new StringBuilder();
    int used = dir.toString().getBytes(StandardCharsets.UTF_8).length + 1;
    int fillerBytes = filler.getBytes(StandardCharsets.UTF_8).length;
    while (used + fillerBytes <= bytes) {
      name.append(filler);
      used += fillerBytes;
    }
    while (used < bytes) {
      name.append('x');
      used++;
    }
    Path path = dir.resolve(name.toString());
    assertEquals(bytes, path.toString().getBytes(StandardCharsets.UTF_8).length);
    return path;
  }

  @Test
  void rejectsOverlongPathAtParseNamingByteLengthAndLimit() throws Exception {
    int max = Endpoint.maxUnixPathBytes();
    Path path = pathOfLength(max + 1, "x");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("unix://" + path));
    assertTrue(e.getMessage().contains(path.toString()), "names the path: " + e.getMessage());
    assertMentionsNumbers(e.getMessage(), new Object[] {path}, max + 1, max);
    assertEquals(List.of(), contentsOf(path.getParent()), "no socket file was created");
  }

  /** Hostile variant: the limit is in bytes, and 'é' is two bytes in UTF-8. */
  @Test
  void measuresPathLimitInBytesNotCharacters() throws Exception {
    int max = Endpoint.maxUnixPathBytes();
    Path path = pathOfLength(max + 1, "é");
    assertTrue(path.toString().length() <= max, "fewer characters than the limit");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("unix://" + path));
    assertMentionsNumbers(e.getMessage(), new Object[] {path}, max + 1, max);
  }

  @Test
  void bindsPrivatelyTheLongestPathThatLeavesRoomForThePrivateDirectory() throws Exception {
    Path path =
        pathOfLength(Endpoint.maxUnixPathBytes() - UnixSocketFile.PRIVATE_BIND_OVERHEAD, "x");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, options())) {
      assertEquals(PosixFilePermissions.fromString("rw-------"), permissionsOf(path));
      assertServes(listener);
    }
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void refusesPrivateBindOfPathTooLongForThePrivateDirectoryWithoutCreatingIt() throws Exception {
    int length = Endpoint.maxUnixPathBytes() - UnixSocketFile.PRIVATE_BIND_OVERHEAD + 1;
    Path path = pathOfLength(length, "x");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ipc.listen(endpoint, options()));
    assertEquals(
        "unix socket path too long to bind privately: "
            + length
            + " bytes (expected: at most "
            + (length - 1)
            + " bytes, so that the socket gets its permissions in a private directory before it"
            + " appears): "
            + endpoint,
        e.getMessage());
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void bindsPathOfExactlyTheMaximumLengthWhenEveryoneMayConnect() throws Exception {
    Path path = pathOfLength(Endpoint.maxUnixPathBytes(), "x");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    IpcOptions world =
        options()
            .with(
                StandardIpcOptions.SOCKET_FILE_PERMISSIONS,
                PosixFilePermissions.fromString("rw-rw-rw-"));
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, world)) {
      assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"), permissionsOf(path));
      assertServes(listener);
    }
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
  }

  private void assertNamesCurrentUser(Optional<PeerCredentials> credentials, String side)
      throws IOException {
    assertTrue(credentials.isPresent(), side + ": peer credentials on a Unix socket");
    PeerCredentials c = credentials.get();
    assertTrue(
        c.user().isPresent() || c.uid().isPresent(), side + ": names the user somehow: " + c);
    if (c.user().isPresent()) {
      assertEquals(System.getProperty("user.name"), c.user().get(), side + ": user name");
    }
    if (c.uid().isPresent()) {
      Path mine = newTemporaryDirectory();
      int uid = (Integer) Files.getAttribute(mine, "unix:uid");
      assertEquals(uid, c.uid().getAsLong(), side + ": uid");
    }
  }

  @Test
  void reportsCurrentUserAsPeerOnBothSides() throws Exception {
    try (Listener<StreamConnection> listener = Ipc.listen(newEndpoint(), options());
        StreamConnection client = Ipc.connect(listener.endpoint(), options());
        StreamConnection server = listener.accept()) {
      assertNamesCurrentUser(client.peerCredentials(), "client");
      assertNamesCurrentUser(server.peerCredentials(), "server");
    }
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), options());
        MessageConnection client = Ipc.connectMessages(listener.endpoint(), options());
        MessageConnection server = listener.accept()) {
      assertNamesCurrentUser(client.peerCredentials(), "message client");
      assertNamesCurrentUser(server.peerCredentials(), "message server");
    }
  }
}
