package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.PeerCredentials;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;

@Timeout(30)
class JunixsocketStreamTest {
  private static final IpcOptions JUNIXSOCKET = TestEndpoints.JUNIXSOCKET;

  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();
  @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jx-");

  private static Endpoint newAbstractEndpoint() {
    return TestEndpoints.newAbstractEndpoint();
  }

  @Test
  void roundTripsOverSocketPathWhenForced() throws Exception {
    Path path = fixture.newDirectory().resolve("s.sock");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, JUNIXSOCKET);
        StreamConnection client = Ipc.connect(endpoint, JUNIXSOCKET);
        StreamConnection server = listener.accept()) {
      assertEquals(endpoint, listener.endpoint());
      assertTrue(client.unwrap(AFUNIXSocketChannel.class).isPresent(), "client is junixsocket");
      assertTrue(server.unwrap(AFUNIXSocketChannel.class).isPresent(), "server is junixsocket");
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(path)),
          "default socket file mode");
      assertRoundTrip(client, server);
      assertEquals(endpoint, client.remoteEndpoint());
      assertEquals(endpoint, server.localEndpoint());
      assertEquals(Endpoint.parse("unix:"), client.localEndpoint());
      assertEquals(Endpoint.parse("unix:"), server.remoteEndpoint());
    }
    assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "socket file deleted on close");
  }

  @Test
  void leavesSocketPathsToTheJdkTransportByDefault() throws Exception {
    Endpoint endpoint = Endpoint.parse("unix://" + fixture.newDirectory().resolve("s.sock"));
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint);
        StreamConnection client = Ipc.connect(endpoint);
        StreamConnection server = listener.accept()) {
      assertTrue(client.unwrap(AFUNIXSocketChannel.class).isEmpty(), "the JDK serves paths");
      assertTrue(client.unwrap(SocketChannel.class).isPresent());
      assertRoundTrip(client, server);
    }
  }

  @Test
  void servesAbstractNamesAutomatically() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint);
        StreamConnection client = Ipc.connect(endpoint);
        StreamConnection server = listener.accept()) {
      assertTrue(client.unwrap(AFUNIXSocketChannel.class).isPresent(), "chose junixsocket");
      assertTrue(server.unwrap(AFUNIXSocketChannel.class).isPresent(), "chose junixsocket");
      assertRoundTrip(client, server);
      assertEquals(endpoint, listener.endpoint());
      assertEquals(endpoint, client.remoteEndpoint());
      assertEquals(endpoint, server.localEndpoint());
      assertEquals(Endpoint.parse("unix:"), client.localEndpoint());
      assertEquals(Endpoint.parse("unix:"), server.remoteEndpoint());
    }
  }

  @Test
  void reportsPeerCredentialsWithProcessIdOnBothSidesOfPath() throws Exception {
    Path path = fixture.newDirectory().resolve("s.sock");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint, JUNIXSOCKET);
        StreamConnection client = Ipc.connect(endpoint, JUNIXSOCKET);
        StreamConnection server = listener.accept()) {
      long uid = ((Number) Files.getAttribute(path, "unix:uid")).longValue();
      assertOurs(uid, client.peerCredentials().orElseThrow());
      assertOurs(uid, server.peerCredentials().orElseThrow());
    }
  }

  @Test
  void reportsPeerCredentialsWithProcessIdOnBothSidesOfAbstractName() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    long uid = ((Number) Files.getAttribute(fixture.newDirectory(), "unix:uid")).longValue();
    try (Listener<StreamConnection> listener = Ipc.listen(endpoint);
        StreamConnection client = Ipc.connect(endpoint);
        StreamConnection server = listener.accept()) {
      assertOurs(uid, client.peerCredentials().orElseThrow());
      assertOurs(uid, server.peerCredentials().orElseThrow());
    }
  }

  private static void assertOurs(long uid, PeerCredentials c) {
    assertEquals(ProcessHandle.current().pid(), c.pid().orElseThrow(), "pid of " + c);
    assertEquals(uid, c.uid().orElseThrow(), "uid of " + c);
    assertTrue(c.gid().isPresent(), "gid of " + c);
    assertTrue(c.user().isEmpty(), "junixsocket reports ids, not names: " + c);
  }

  @Test
  void abstractNameInUseFailsWithAddressInUseNamingIt() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    try (Listener<StreamConnection> holder = Ipc.listen(endpoint)) {
      AddressInUseException e =
          assertThrows(AddressInUseException.class, () -> Ipc.listen(endpoint));
      assertEquals(
          endpoint + ": address in use: a live socket holds the abstract name", e.getMessage());
      assertEquals(endpoint, e.endpoint());
      assertTrue(e.holderAlive());
      // The holder keeps serving. (Finding it alive took a connection, which it sees end at once.)
      try (StreamConnection client = Ipc.connect(endpoint)) {
        client.write(ByteBuffer.wrap(new byte[] {42}));
        assertEquals(42, acceptUntilData(holder));
      }
    }
  }

  /** Accepts until a connection carries a byte, skipping the ones that end at once. */
  private static int acceptUntilData(Listener<StreamConnection> listener) throws IOException {
    for (int i = 0; i < 3; i++) {
      try (StreamConnection c = listener.accept()) {
        int b = c.inputStream().read();
        if (b >= 0) {
          return b;
        }
      }
    }
    throw new AssertionError("no connection carried data");
  }

  @Test
  void liveSocketPathIsNeitherTakenOverNorDeleted() throws Exception {
    Path path = fixture.newDirectory().resolve("s.sock");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    try (Listener<StreamConnection> holder = Ipc.listen(endpoint, JUNIXSOCKET)) {
      Object inode = Files.getAttribute(path, "unix:ino");
      AddressInUseException e =
          assertThrows(AddressInUseException.class, () -> Ipc.listen(endpoint, JUNIXSOCKET));
      assertTrue(e.holderAlive());
      assertEquals(inode, Files.getAttribute(path, "unix:ino"), "the socket file is the holder's");
      try (StreamConnection client = Ipc.connect(endpoint, JUNIXSOCKET)) {
        client.write(ByteBuffer.wrap(new byte[] {7}));
        assertEquals(7, acceptUntilData(holder));
      }
    }
  }

  @Test
  void regularFileAtPathIsNeverReplaced() throws Exception {
    Path path = fixture.newDirectory().resolve("s.sock");
    Files.writeString(path, "precious");
    Endpoint endpoint = Endpoint.parse("unix://" + path);
    AddressInUseException e =
        assertThrows(AddressInUseException.class, () -> Ipc.listen(endpoint, JUNIXSOCKET));
    assertFalse(e.holderAlive());
    assertEquals("precious", Files.readString(path));
  }

  /** junixsocket would bind with SO_REUSEADDR and delete the socket file on close by default. */
  @Test
  void listenerTurnsOffJunixsocketTakeoverAndDeletion() throws Exception {
    StreamAcceptor path =
        fixture.closeAfter(
            provider.listen(
                Endpoint.parse("unix://" + fixture.newDirectory().resolve("s.sock")),
                IpcOptions.DEFAULTS));
    StreamAcceptor name =
        fixture.closeAfter(provider.listen(newAbstractEndpoint(), IpcOptions.DEFAULTS));
    for (StreamAcceptor a : List.of(path, name)) {
      for (AFUNIXServerSocketChannel channel : ((JunixsocketStreamAcceptor) a).channels()) {
        assertFalse(channel.socket().getReuseAddress(), "SO_REUSEADDR of " + channel);
        assertFalse(channel.isDeleteOnClose(), "deleteOnClose of " + channel);
      }
    }
  }

  /**
   * A path too long for the private directory is bound in place when everyone may connect anyway;
   * closing the listener must still leave alone a file that replaced its socket (junixsocket would
   * delete whatever is there).
   */
  @Test
  void closingListenerBoundInPlaceLeavesReplacementFile() throws Exception {
    // A 97-byte directory leaves no room for the private directory but 8 bytes for the name.
    Path base = fixture.newDirectory();
    Path dir = Files.createDirectory(base.resolve("d".repeat(97 - base.toString().length() - 1)));
    Path path = dir.resolve("s".repeat(Endpoint.maxUnixPathBytes() - 97 - 1));
    StreamAcceptor acceptor =
        provider.listen(
            Endpoint.parse("unix://" + path),
            IpcOptions.of(
                StandardIpcOptions.SOCKET_FILE_PERMISSIONS,
                PosixFilePermissions.fromString("rw-rw-rw-")));
    try {
      assertEquals(
          path.toString(),
          ((JunixsocketStreamAcceptor) acceptor).channels().get(0).getLocalAddress().getPath(),
          "bound in place");
      assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
      Files.delete(path);
      Files.writeString(path, "replacement");
    } finally {
      acceptor.close();
    }
    assertEquals("replacement", Files.readString(path));
  }

  @Test
  void connectingToMissingPathFailsWithConnectExceptionNamingEndpoint() throws Exception {
    Endpoint gone = Endpoint.parse("unix://" + fixture.newDirectory().resolve("gone.sock"));
    ConnectException e = assertThrows(ConnectException.class, () -> Ipc.connect(gone, JUNIXSOCKET));
    assertEquals(gone + ": no such file or directory", e.getMessage());
  }

  @Test
  void connectingToStaleSocketFailsWithConnectExceptionNamingEndpoint() throws Exception {
    Endpoint endpoint = Endpoint.parse("unix://" + fixture.newDirectory().resolve("s.sock"));
    StreamAcceptor acceptor = provider.listen(endpoint, IpcOptions.DEFAULTS);
    Path link = endpoint.path().resolveSibling("stale.sock");
    Files.createLink(link, endpoint.path());
    acceptor.close();
    Endpoint stale = Endpoint.parse("unix://" + link);
    ConnectException e =
        assertThrows(ConnectException.class, () -> Ipc.connect(stale, JUNIXSOCKET));
    assertEquals(stale + ": connection refused", e.getMessage());
  }

  @Test
  void connectingToFreeAbstractNameFailsWithConnectExceptionNamingEndpoint() {
    Endpoint nobody = newAbstractEndpoint();
    ConnectException e = assertThrows(ConnectException.class, () -> Ipc.connect(nobody));
    assertEquals(nobody + ": connection refused", e.getMessage());
  }

  @Test
  void connectTimesOutWhenBacklogIsFull() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    IpcOptions options =
        IpcOptions.builder()
            .set(StandardIpcOptions.BACKLOG, 1)
            .set(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ofMillis(200))
            .build();
    fixture.closeAfter(provider.listen(endpoint, options));
    SocketTimeoutException timeout = null;
    for (int i = 0; i < 10 && timeout == null; i++) {
      long start = System.nanoTime();
      try {
        fixture.closeAfter(provider.connect(endpoint, options));
      } catch (SocketTimeoutException e) {
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(elapsed >= 190 && elapsed < 5000, "timed out after " + elapsed + " ms");
        timeout = e;
      }
    }
    assertTrue(timeout != null, "the backlog never filled up");
    assertEquals(
        "connect timed out after 200 ms (connectTimeout): " + endpoint, timeout.getMessage());
  }

  @Test
  void waitingConnectSucceedsWhenBacklogFreesUp() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    IpcOptions options = IpcOptions.of(StandardIpcOptions.BACKLOG, 1);
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, options));
    IpcOptions quick = options.with(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ofMillis(50));
    boolean full = false;
    for (int i = 0; i < 10 && !full; i++) {
      try {
        fixture.closeAfter(provider.connect(endpoint, quick));
      } catch (SocketTimeoutException e) {
        full = true;
      }
    }
    assertTrue(full, "the backlog never filled up");
    Background<StreamSocket> waiting =
        Background.platform("connect", () -> provider.connect(endpoint, options));
    assertTrue(waiting.awaitBlocked(), "connect should wait for room in the backlog");
    fixture.closeAfter(acceptor.accept());
    StreamSocket connected = fixture.closeAfter(waiting.get());
    assertEquals(endpoint, connected.remoteEndpoint());
  }

  @Test
  void closingFromAnotherThreadFailsBlockedReadWithAsynchronousClose() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, IpcOptions.DEFAULTS));
    StreamSocket client = fixture.closeAfter(provider.connect(endpoint, IpcOptions.DEFAULTS));
    StreamSocket server = fixture.closeAfter(acceptor.accept());
    Background<Integer> read =
        Background.platform("read", () -> client.read(ByteBuffer.allocate(8)));
    assertTrue(read.awaitBlocked(), "read should block on a silent peer");
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, read::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
    assertThrows(ClosedChannelException.class, () -> client.read(ByteBuffer.allocate(1)));
    assertEquals(-1, server.read(ByteBuffer.allocate(1)), "the peer sees the end");
  }

  @Test
  void closingAcceptorFromAnotherThreadFailsBlockedAcceptWithAsynchronousClose() throws Exception {
    StreamAcceptor acceptor =
        provider.listen(
            Endpoint.parse("unix://" + fixture.newDirectory().resolve("s.sock")),
            IpcOptions.DEFAULTS);
    Background<StreamSocket> accept = Background.platform("accept", acceptor::accept);
    assertTrue(accept.awaitBlocked(), "accept should block");
    acceptor.close();
    ExecutionException e = assertThrows(ExecutionException.class, accept::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
    assertFalse(acceptor.isOpen());
    assertFalse(Files.exists(acceptor.endpoint().path(), LinkOption.NOFOLLOW_LINKS));
    acceptor.close();
    assertThrows(ClosedChannelException.class, acceptor::accept);
  }

  /** Hostile variant: gathering writes of empty, one-byte and straddling buffers. */
  @Test
  void gatheringWritesKeepOrderAcrossCoalescingLimit() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, IpcOptions.DEFAULTS));
    StreamSocket client = fixture.closeAfter(provider.connect(endpoint, IpcOptions.DEFAULTS));
    StreamSocket server = fixture.closeAfter(acceptor.accept());
    int limit = JunixsocketStreamSocket.COALESCE_LIMIT;
    byte[][] parts = {
      {}, {1}, {}, bytes(3, 1), bytes(limit - 5, 2), bytes(limit + 1, 3), {}, bytes(2, 4), {9}
    };
    ByteBuffer[] buffers = new ByteBuffer[parts.length];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      buffers[i] =
          i % 2 == 0
              ? ByteBuffer.wrap(parts[i])
              : ByteBuffer.allocateDirect(parts[i].length).put(parts[i]).flip();
      total += parts[i].length;
    }
    ByteBuffer expected = ByteBuffer.allocate(total);
    for (byte[] p : parts) {
      expected.put(p);
    }
    Background<Long> writer =
        Background.platform(
            "write",
            () -> {
              long written = 0;
              while (Stream.of(buffers).anyMatch(ByteBuffer::hasRemaining)) {
                written += client.write(buffers, 0, buffers.length);
              }
              return written;
            });
    assertArrayEquals(expected.array(), readExactly(server, total));
    assertEquals(total, writer.get());
    assertEquals(0, client.write(new ByteBuffer[] {ByteBuffer.allocate(0)}, 0, 1));
  }

  @Test
  void readsReturnEndOfStreamAfterShutdownInputEvenWithBytesQueued() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, IpcOptions.DEFAULTS));
    StreamSocket client = fixture.closeAfter(provider.connect(endpoint, IpcOptions.DEFAULTS));
    StreamSocket server = fixture.closeAfter(acceptor.accept());
    server.write(ByteBuffer.wrap("queued".getBytes(US_ASCII)));
    client.shutdownInput();
    assertEquals(-1, client.read(ByteBuffer.allocate(16)));
    client.write(ByteBuffer.wrap(new byte[] {1}));
    assertEquals(1, readExactly(server, 1)[0], "writes keep working");
    client.close();
    assertThrows(ClosedChannelException.class, () -> client.read(ByteBuffer.allocate(1)));
  }

  @Test
  void writingToClosedPeerFailsWithIoExceptionNamingEndpoint() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, IpcOptions.DEFAULTS));
    StreamSocket client = fixture.closeAfter(provider.connect(endpoint, IpcOptions.DEFAULTS));
    acceptor.accept().close();
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              for (int i = 0; i < 100; i++) {
                client.write(ByteBuffer.allocate(64 * 1024));
              }
            });
    assertSame(IOException.class, e.getClass(), "not a closed channel: " + e);
    assertEquals(endpoint + ": broken pipe", e.getMessage());
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void assertRoundTrip(StreamConnection client, StreamConnection server)
      throws IOException {
    client.write(ByteBuffer.wrap("ping".getBytes(US_ASCII)));
    assertEquals("ping", new String(readExactly(server, 4), US_ASCII));
    server.write(ByteBuffer.wrap("pong".getBytes(US_ASCII)));
    server.shutdownOutput();
    assertEquals("pong", new String(readExactly(client, 4), US_ASCII));
    assertEquals(-1, client.read(ByteBuffer.allocate(1)));
  }

  private static byte[] readExactly(ReadableByteChannel channel, int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("ended after " + buffer.position() + " of " + n + " bytes");
      }
    }
    return buffer.array();
  }
}
