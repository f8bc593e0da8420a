package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.PeerCredentials;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFSocketImpl;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/** {@code unixpacket} (SOCK_SEQPACKET) at the SPI: boundaries, limits, close and shutdown. */
@Timeout(30)
class JunixsocketPacketTest {
  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();
  @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jp-");

  private static Endpoint newAbstractEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
  }

  private Endpoint newPathEndpoint() throws IOException {
    return Endpoint.parse("unixpacket://" + fixture.newDirectory().resolve("p.sock"));
  }

  /** A listener on {@code endpoint}, a client and the server side. */
  private record Pair(PacketAcceptor acceptor, PacketSocket client, PacketSocket server) {}

  private Pair connect(Endpoint endpoint) throws IOException {
    PacketAcceptor acceptor =
        fixture.closeAfter(provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    PacketSocket client = fixture.closeAfter(provider.connectPacket(endpoint, IpcOptions.DEFAULTS));
    PacketSocket server = fixture.closeAfter(acceptor.accept());
    return new Pair(acceptor, client, server);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Receives one packet through a buffer one byte larger than any sent. */
  private static byte[] receive(PacketSocket socket) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(socket.maxPacketSize() + 1);
    int n = socket.receive(b);
    assertEquals(b.position(), n, "receive returns the length and advances the position");
    byte[] out = new byte[n];
    b.flip().get(out);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"path", "abstract"})
  void keepsPacketBoundariesBothWays(String kind) throws Exception {
    Endpoint endpoint = kind.equals("path") ? newPathEndpoint() : newAbstractEndpoint();
    Pair p = connect(endpoint);
    assertEquals(endpoint, p.acceptor().endpoint());
    assertEquals(endpoint, p.client().remoteEndpoint());
    assertEquals(endpoint, p.server().localEndpoint());
    assertEquals(Endpoint.parse("unixpacket:"), p.client().localEndpoint());
    assertEquals(Endpoint.parse("unixpacket:"), p.server().remoteEndpoint());
    int[] sizes = {1, 3, 1, 1000, 2};
    for (int size : sizes) {
      p.client().send(ByteBuffer.wrap(bytes(size, size)));
    }
    for (int size : sizes) {
      assertArrayEquals(bytes(size, size), receive(p.server()), "packet of " + size + " bytes");
    }
    // One at a time: a packet is charged to its sender's buffer until it is received.
    for (int size : new int[] {70_000, p.client().maxPacketSize()}) {
      p.client().send(ByteBuffer.wrap(bytes(size, size)));
      assertArrayEquals(bytes(size, size), receive(p.server()), "packet of " + size + " bytes");
    }
    ByteBuffer heap = ByteBuffer.wrap("pong".getBytes(US_ASCII));
    p.server().send(heap);
    assertFalse(heap.hasRemaining(), "send advances the position to the limit");
    assertEquals("pong", new String(receive(p.client()), US_ASCII));
  }

  @Test
  void socketFileGetsOwnerOnlyModeAndIsDeletedOnClose() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    PacketAcceptor acceptor = provider.listenPacket(endpoint, IpcOptions.DEFAULTS);
    try {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.path())));
      assertEquals(
          List.of(endpoint.path().getFileName().toString()),
          Arrays.asList(endpoint.path().getParent().toFile().list()),
          "no temporary directory left behind");
      assertFalse(
          ((JunixsocketPacketAcceptor) acceptor).socket().isDeleteOnClose(), "deleteOnClose");
    } finally {
      acceptor.close();
    }
    assertFalse(Files.exists(endpoint.path(), LinkOption.NOFOLLOW_LINKS), "deleted on close");
    acceptor.close();
    assertThrows(ClosedChannelException.class, acceptor::accept);
  }

  /** Hostile variant: buffers smaller than the packet. */
  @Test
  void packetLongerThanBufferFillsItAndTheRestIsLost() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    p.client().send(ByteBuffer.wrap("0123456789".getBytes(US_ASCII)));
    p.client().send(ByteBuffer.wrap("next".getBytes(US_ASCII)));
    ByteBuffer small = ByteBuffer.allocate(4);
    assertEquals(4, p.server().receive(small));
    assertEquals("0123", new String(small.array(), US_ASCII));
    ByteBuffer one = ByteBuffer.allocate(1);
    assertEquals(1, p.server().receive(one));
    assertEquals('n', one.get(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> p.server().receive(ByteBuffer.allocate(0)));
    assertEquals(
        "receive buffer has no room (expected: at least 1 byte): unixpacket:", e.getMessage());
  }

  @Test
  void maxPacketSizeIsSendBufferLess32Bytes() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    AFUNIXDatagramChannel channel = p.client().unwrap(AFUNIXDatagramChannel.class).orElseThrow();
    int max = p.client().maxPacketSize();
    assertEquals(channel.socket().getSendBufferSize() - 32, max);
    assertTrue(max > 100_000, "Linux defaults give about 208 KiB: " + max);
    IOException tooLong =
        assertThrows(IOException.class, () -> p.client().send(ByteBuffer.allocateDirect(max + 1)));
    assertEquals(p.client().remoteEndpoint() + ": message too long", tooLong.getMessage());
    assertTrue(p.client().isOpen(), "a packet too long costs only itself");
    p.client().send(ByteBuffer.allocateDirect(max));
    assertEquals(max, receive(p.server()).length);
  }

  @Test
  void refusesEmptyPacketWithoutSendingAnything() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.client().send(ByteBuffer.allocate(0)));
    assertEquals(
        "empty packet (expected: at least 1 byte; an empty packet reads as the end of the stream"
            + " over unixpacket): "
            + p.client().remoteEndpoint(),
        e.getMessage());
    p.client().send(ByteBuffer.wrap(new byte[] {7}));
    assertArrayEquals(new byte[] {7}, receive(p.server()), "the next packet comes first");
  }

  /**
   * A peer in another language may send an empty packet, which Linux reports as it reports the end
   * of the stream; it ends the stream for good, as in Go.
   */
  @Test
  void emptyPacketFromPeerEndsTheStream() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    AFUNIXDatagramChannel channel = p.client().unwrap(AFUNIXDatagramChannel.class).orElseThrow();
    RawSend raw = new RawSend(FileDescriptorCast.duplicating(channel.getFileDescriptor()));
    fixture.closeAfter(raw::release);
    p.client().send(ByteBuffer.wrap(new byte[] {1}));
    raw.emptyPacket();
    p.client().send(ByteBuffer.wrap(new byte[] {2}));
    assertArrayEquals(new byte[] {1}, receive(p.server()));
    assertEquals(-1, p.server().receive(ByteBuffer.allocate(8)), "the empty packet ends it");
    assertEquals(-1, p.server().receive(ByteBuffer.allocate(8)), "for good");
    assertTrue(p.server().isOpen());
  }

  /**
   * Sends an empty packet as a foreign peer would (junixsocket's datagram API cannot), through a
   * duplicate descriptor: junixsocket closes and shuts down an implementation's descriptor when it
   * is collected, so it is kept until the end of the test.
   */
  private static final class RawSend extends AFSocketImpl<AFUNIXSocketAddress> {
    RawSend(FileDescriptorCast duplicate) {
      super(AFUNIXSocketAddress.addressFamily(), duplicate.getFileDescriptor());
    }

    void emptyPacket() throws IOException {
      OutputStream out = getOutputStream();
      out.write(new byte[0]);
    }

    void release() throws IOException {
      close();
    }
  }

  @Test
  void reportsPeerCredentialsWithGroupsAndProcessIdOnBothSides() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    Pair p = connect(endpoint);
    long uid = ((Number) Files.getAttribute(endpoint.path(), "unix:uid")).longValue();
    long gid = ((Number) Files.getAttribute(endpoint.path(), "unix:gid")).longValue();
    for (PacketSocket side : List.of(p.client(), p.server())) {
      PeerCredentials c = side.peerCredentials().orElseThrow();
      assertEquals(ProcessHandle.current().pid(), c.pid().orElseThrow(), "pid of " + c);
      assertEquals(uid, c.uid().orElseThrow(), "uid of " + c);
      assertEquals(gid, c.gid().orElseThrow(), "gid of " + c);
      assertEquals(gid, c.gids()[0], "primary group first: " + c);
      assertTrue(c.user().isEmpty(), "ids, not names: " + c);
    }
  }

  @Test
  void closingFromAnotherThreadFailsBlockedReceiveWithAsynchronousClose() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    Background<Integer> receive =
        Background.platform("receive", () -> p.client().receive(ByteBuffer.allocate(8)));
    assertTrue(receive.awaitBlocked(), "receive should block on a silent peer");
    p.client().close();
    ExecutionException e = assertThrows(ExecutionException.class, receive::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
    assertFalse(p.client().isOpen());
    assertThrows(ClosedChannelException.class, () -> p.client().receive(ByteBuffer.allocate(1)));
    assertThrows(
        ClosedChannelException.class, () -> p.client().send(ByteBuffer.wrap(new byte[] {1})));
    assertEquals(-1, p.server().receive(ByteBuffer.allocate(1)), "the peer sees the end");
  }

  @Test
  void closingAcceptorFromAnotherThreadFailsBlockedAcceptWithAsynchronousClose() throws Exception {
    PacketAcceptor acceptor = provider.listenPacket(newPathEndpoint(), IpcOptions.DEFAULTS);
    Background<PacketSocket> accept = Background.platform("accept", acceptor::accept);
    assertTrue(accept.awaitBlocked(), "accept should block");
    acceptor.close();
    ExecutionException e = assertThrows(ExecutionException.class, accept::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
    assertFalse(acceptor.isOpen());
    assertFalse(Files.exists(acceptor.endpoint().path(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void receivesAfterShutdownInputEndEvenWithPacketsQueued() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    p.server().send(ByteBuffer.wrap("queued".getBytes(US_ASCII)));
    p.client().shutdownInput();
    assertEquals(-1, p.client().receive(ByteBuffer.allocate(8)), "after shutdownInput");
    p.client().send(ByteBuffer.wrap(new byte[] {9}));
    assertArrayEquals(new byte[] {9}, receive(p.server()), "sends keep working");
    // Linux makes the peer's sends fail once this side shut its input down.
    IOException e =
        assertThrows(IOException.class, () -> p.server().send(ByteBuffer.wrap(new byte[] {1})));
    assertEquals("unixpacket:: broken pipe", e.getMessage());
  }

  @Test
  void shutdownInputEndsBlockedReceive() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    Background<Integer> receive =
        Background.platform("receive", () -> p.client().receive(ByteBuffer.allocate(8)));
    assertTrue(receive.awaitBlocked(), "receive should block on a silent peer");
    p.client().shutdownInput();
    assertEquals(-1, receive.get());
  }

  @Test
  void shutdownOutputEndsThePeersStreamAndKeepsReceiving() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    p.client().send(ByteBuffer.wrap(new byte[] {1}));
    p.client().shutdownOutput();
    assertArrayEquals(new byte[] {1}, receive(p.server()));
    assertEquals(-1, p.server().receive(ByteBuffer.allocate(8)), "the peer sees the end");
    assertThrows(
        ClosedChannelException.class, () -> p.client().send(ByteBuffer.wrap(new byte[] {2})));
    p.server().send(ByteBuffer.wrap(new byte[] {3}));
    assertArrayEquals(new byte[] {3}, receive(p.client()), "receiving still works");
    assertTrue(p.client().isOpen());
  }

  @Test
  void sendingToClosedPeerFailsWithIoExceptionNamingEndpoint() throws Exception {
    Pair p = connect(newAbstractEndpoint());
    p.server().close();
    IOException e =
        assertThrows(IOException.class, () -> p.client().send(ByteBuffer.wrap(new byte[] {1})));
    assertSame(IOException.class, e.getClass(), "not a closed channel: " + e);
    assertEquals(p.client().remoteEndpoint() + ": broken pipe", e.getMessage());
  }

  @Test
  void connectTimesOutWhenBacklogIsFull() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    IpcOptions options =
        IpcOptions.builder()
            .set(StandardIpcOptions.BACKLOG, 1)
            .set(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ofMillis(200))
            .build();
    fixture.closeAfter(provider.listenPacket(endpoint, options));
    SocketTimeoutException timeout = null;
    for (int i = 0; i < 10 && timeout == null; i++) {
      long start = System.nanoTime();
      try {
        fixture.closeAfter(provider.connectPacket(endpoint, options));
      } catch (SocketTimeoutException e) {
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(elapsed >= 190 && elapsed < 5000, "timed out after " + elapsed + " ms");
        timeout = e;
      }
    }
    assertNotNull(timeout, "the backlog never filled up");
    assertEquals(
        "connect timed out after 200 ms (connectTimeout): " + endpoint, timeout.getMessage());
  }

  @Test
  void waitingConnectSucceedsWhenBacklogFreesUp() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    IpcOptions options = IpcOptions.of(StandardIpcOptions.BACKLOG, 1);
    PacketAcceptor acceptor = fixture.closeAfter(provider.listenPacket(endpoint, options));
    IpcOptions quick = options.with(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ofMillis(50));
    boolean full = false;
    for (int i = 0; i < 10 && !full; i++) {
      try {
        fixture.closeAfter(provider.connectPacket(endpoint, quick));
      } catch (SocketTimeoutException e) {
        full = true;
      }
    }
    assertTrue(full, "the backlog never filled up");
    Background<PacketSocket> waiting =
        Background.platform("connect", () -> provider.connectPacket(endpoint, options));
    assertTrue(waiting.awaitBlocked(), "connect should wait for room in the backlog");
    fixture.closeAfter(acceptor.accept());
    PacketSocket connected = fixture.closeAfter(waiting.get());
    assertEquals(endpoint, connected.remoteEndpoint());
    connected.send(ByteBuffer.wrap(new byte[] {1}));
  }

  @Test
  void connectingWhereNobodyListensFailsWithConnectExceptionNamingEndpoint() throws Exception {
    Endpoint nobody = newAbstractEndpoint();
    ConnectException refused =
        assertThrows(
            ConnectException.class, () -> provider.connectPacket(nobody, IpcOptions.DEFAULTS));
    assertEquals(nobody + ": connection refused", refused.getMessage());
    Endpoint gone = Endpoint.parse("unixpacket://" + fixture.newDirectory().resolve("gone.sock"));
    ConnectException missing =
        assertThrows(
            ConnectException.class, () -> provider.connectPacket(gone, IpcOptions.DEFAULTS));
    assertEquals(gone + ": no such file or directory", missing.getMessage());
  }

  @Test
  void abstractNameInUseFailsWithAddressInUseNamingIt() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    PacketAcceptor holder =
        fixture.closeAfter(provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    AddressInUseException e =
        assertThrows(
            AddressInUseException.class,
            () -> provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    assertEquals(
        endpoint + ": address in use: a live socket holds the abstract name", e.getMessage());
    assertTrue(e.holderAlive());
    // The holder keeps serving. (Finding it alive took a connection, which ends at once.)
    PacketSocket client = fixture.closeAfter(provider.connectPacket(endpoint, IpcOptions.DEFAULTS));
    client.send(ByteBuffer.wrap(new byte[] {42}));
    assertEquals(42, acceptUntilData(holder));
  }

  @Test
  void liveSocketPathIsNeitherTakenOverNorDeleted() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    PacketAcceptor holder =
        fixture.closeAfter(provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    Object inode = Files.getAttribute(endpoint.path(), "unix:ino");
    AddressInUseException e =
        assertThrows(
            AddressInUseException.class,
            () -> provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    assertTrue(e.holderAlive());
    assertEquals(
        endpoint + ": address in use: a live socket listens at " + endpoint.path(), e.getMessage());
    assertEquals(inode, Files.getAttribute(endpoint.path(), "unix:ino"), "the holder's file");
    PacketSocket client = fixture.closeAfter(provider.connectPacket(endpoint, IpcOptions.DEFAULTS));
    client.send(ByteBuffer.wrap(new byte[] {7}));
    assertEquals(7, acceptUntilData(holder));
  }

  @Test
  void regularFileAtPathIsNeverReplacedAndStaleSocketIsReclaimed() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    Files.writeString(endpoint.path(), "precious");
    AddressInUseException e =
        assertThrows(
            AddressInUseException.class,
            () -> provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    assertFalse(e.holderAlive());
    assertEquals("precious", Files.readString(endpoint.path()));

    Endpoint stale = newPathEndpoint();
    PacketAcceptor first = provider.listenPacket(stale, IpcOptions.DEFAULTS);
    Path keep = Files.createLink(stale.path().resolveSibling("keep"), stale.path());
    first.close();
    Files.move(keep, stale.path());
    PacketAcceptor second = fixture.closeAfter(provider.listenPacket(stale, IpcOptions.DEFAULTS));
    PacketSocket client = fixture.closeAfter(provider.connectPacket(stale, IpcOptions.DEFAULTS));
    client.send(ByteBuffer.wrap(new byte[] {5}));
    assertEquals(5, acceptUntilData(second));
  }

  /** Accepts until a connection carries a byte, skipping the ones that end at once. */
  private int acceptUntilData(PacketAcceptor acceptor) throws IOException {
    for (int i = 0; i < 3; i++) {
      PacketSocket s = fixture.closeAfter(acceptor.accept());
      ByteBuffer b = ByteBuffer.allocate(1);
      if (s.receive(b) > 0) {
        return b.get(0);
      }
    }
    throw new AssertionError("no connection carried data");
  }
}
