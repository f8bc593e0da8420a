package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.PeerAuthorizer;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** {@code unixgram} at the SPI: binding, connecting, addressing, limits and close. */
@Timeout(30)
class JunixsocketDatagramTest {
  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();
  @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jg-");

  private static Endpoint newAbstractEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixgram");
  }

  private Endpoint newPathEndpoint() throws IOException {
    return Endpoint.parse("unixgram://" + fixture.newDirectory().resolve("g.sock"));
  }

  private DatagramSocket bind(Endpoint endpoint) throws IOException {
    return fixture.closeAfter(provider.bindDatagram(endpoint, IpcOptions.DEFAULTS));
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(US_ASCII));
  }

  /** Receives one datagram as text, and checks its sender. */
  private static String receive(DatagramSocket socket, Endpoint expectedSender) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    Endpoint sender = socket.receive(b);
    assertEquals(expectedSender, sender, "sender");
    return new String(b.array(), 0, b.position(), US_ASCII);
  }

  @Test
  void exchangesDatagramsBetweenPathAndAbstractNameWithSendersReported() throws Exception {
    Endpoint path = newPathEndpoint();
    Endpoint name = newAbstractEndpoint();
    DatagramSocket a = bind(path);
    DatagramSocket b = bind(name);
    assertEquals(path, a.localEndpoint());
    assertEquals(name, b.localEndpoint());
    assertEquals(Optional.empty(), a.remoteEndpoint());
    b.send(ascii("to path"), path);
    assertEquals("to path", receive(a, name), "abstract senders come back without NUL padding");
    a.send(ascii("to name"), name);
    ByteBuffer into = ByteBuffer.allocateDirect(16);
    Endpoint first = b.receive(into);
    assertEquals(path, first, "a path-bound sender under its public name");
    assertEquals(7, into.position());
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip();
    a.send(direct, name);
    assertFalse(direct.hasRemaining(), "send advances the position to the limit");
    assertSame(first, b.receive(ByteBuffer.allocate(8)), "a repeated sender costs no new endpoint");
    a.close();
    assertEquals(List.of(), List.of(path.path().getParent().toFile().list()), "nothing left");
  }

  /**
   * The kernel names a path-bound sender after the private name it was bound at: a peer that
   * answers there (as one in another language would) must reach it.
   */
  @Test
  void privateNameOfPathBoundSenderStaysAnswerableUntilClose() throws Exception {
    Endpoint path = newPathEndpoint();
    DatagramSocket a = bind(path);
    try (AFUNIXDatagramChannel raw = AFUNIXDatagramChannel.open()) {
      raw.socket().setDeleteOnClose(false);
      Endpoint rawName = newAbstractEndpoint();
      raw.bind(UnixAddresses.of(rawName));
      a.send(ascii("hello"), rawName);
      AFUNIXSocketAddress kernelName = raw.receive(ByteBuffer.allocate(16));
      Path privateName = Path.of(kernelName.getPath());
      assertEquals(path.path().getParent(), privateName.getParent().getParent(), "" + privateName);
      assertTrue(
          privateName.getParent().getFileName().toString().startsWith(".i"), "" + privateName);
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(privateName.getParent())),
          "only who may send to the socket may pass");
      raw.send(ascii("answer"), kernelName);
      assertEquals("answer", receive(a, rawName));
      a.close();
      assertFalse(Files.exists(privateName.getParent()), "the private name goes with the socket");
    }
  }

  @Test
  void dropsDatagramsFromASenderNoEndpointCanNameAndGoesOnReceiving() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    DatagramSocket socket = bind(endpoint);
    Endpoint named = newAbstractEndpoint();
    DatagramSocket other = bind(named);
    try (AFUNIXDatagramChannel nameless = AFUNIXDatagramChannel.open()) {
      nameless.bind(TestEndpoints.namelessAddress());
      nameless.send(ascii("from nowhere"), UnixAddresses.of(endpoint));
      nameless.send(ascii("again"), UnixAddresses.of(endpoint));
      other.send(ascii("from a name"), endpoint);
      assertEquals("from a name", receive(socket, named));
    }
  }

  @Test
  void serverKeepsServingWhenASenderNoEndpointCanNameWritesToIt() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    io.ipc4j.IpcServer server =
        fixture.closeAfter(
            io.ipc4j.IpcServer.builder(endpoint)
                .messageHandler(
                    c -> {
                      for (ByteBuffer m; (m = c.receive()) != null; ) {
                        c.send(m);
                      }
                    })
                .start());
    try (AFUNIXDatagramChannel nameless = AFUNIXDatagramChannel.open()) {
      nameless.bind(TestEndpoints.namelessAddress());
      nameless.send(ascii("from nowhere"), AFUNIXSocketAddress.of(endpoint.path()));
    }
    try (io.ipc4j.MessageConnection client =
        io.ipc4j.Ipc.connectMessages(endpoint, IpcOptions.DEFAULTS)) {
      client.send(ascii("still served"));
      ByteBuffer echo = client.receive();
      assertEquals("still served", US_ASCII.decode(echo).toString());
    }
    assertEquals(1, server.connectionCount(), "only the named client became a connection");
  }

  /**
   * A client that sends and never reads fills, with the server's answers, its own queue (if it is
   * not connected to the server: net.unix.max_dgram_qlen datagrams) or the server socket's send
   * buffer (Linux charges a datagram to its sender until it is read), and the server's next answer
   * waits. With a write timeout that answer fails and ends its conversation, where it would hold
   * the handler, and the socket every conversation answers through, for as long as the client
   * lives; once the client goes away, the others are answered again.
   */
  @Test
  void serverWithAWriteTimeoutGetsPastAnUnconnectedClientThatDoesNotRead() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    Answers answers = serveWithWriteTimeout(endpoint);
    try (AFUNIXDatagramChannel deaf = AFUNIXDatagramChannel.open()) {
      deaf.bind(UnixAddresses.of(newAbstractEndpoint()));
      for (int i = 0; i < DATAGRAMS_TO_FILL; i++) {
        deaf.send(ascii("answer me " + i), UnixAddresses.of(endpoint));
      }
      answers.assertTimedOut(UnixAddresses.endpointOf("unixgram", deaf.getLocalAddress()));
    }
    answers.assertServed(endpoint);
  }

  /**
   * The same with ipc4j's own client, connected to the server: its queue has no limit then, and the
   * server's answers fill the server socket's send buffer, which every conversation shares.
   */
  @Test
  void serverWithAWriteTimeoutGetsPastAConnectedClientThatDoesNotRead() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    Answers answers = serveWithWriteTimeout(endpoint);
    try (MessageConnection deaf = Ipc.connectMessages(endpoint, IpcOptions.DEFAULTS)) {
      for (int i = 0; i < DATAGRAMS_TO_FILL; i++) {
        deaf.send(ascii("answer me " + i));
      }
      answers.assertTimedOut(deaf.localEndpoint());
    }
    answers.assertServed(endpoint);
  }

  /**
   * Enough answers to fill a receiver's queue (net.unix.max_dgram_qlen: 10 by default, 512 where
   * systemd sets it) or the server's send buffer (208 KiB by default, each small datagram charged
   * with 768 bytes or more; at least a datagram per 256 bytes of it), whichever comes first.
   */
  private static final int DATAGRAMS_TO_FILL = datagramsToFill();

  private static int datagramsToFill() {
    try (AFUNIXDatagramChannel probe = AFUNIXDatagramChannel.open()) {
      return Math.max(2_000, probe.socket().getSendBufferSize() / 256);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An echo server on {@code endpoint} with a write timeout of 200 ms, and how its handler ends.
   */
  private Answers serveWithWriteTimeout(Endpoint endpoint) throws IOException {
    Answers answers = new Answers();
    fixture.closeAfter(
        IpcServer.builder(endpoint)
            .options(
                IpcOptions.DEFAULTS.with(StandardIpcOptions.WRITE_TIMEOUT, Duration.ofMillis(200)))
            .authorizer(PeerAuthorizer.ANYONE)
            .messageHandler(
                c -> {
                  try {
                    for (ByteBuffer m; (m = c.receive()) != null; ) {
                      c.send(m);
                    }
                  } catch (IOException e) {
                    answers.openAfter.complete(c.isOpen());
                    answers.failure.complete(e);
                    throw e;
                  }
                })
            .start());
    return answers;
  }

  private static final class Answers {
    final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    final CompletableFuture<Boolean> openAfter = new CompletableFuture<>();

    void assertTimedOut(Endpoint client) throws Exception {
      Throwable timeout = failure.get(10, TimeUnit.SECONDS);
      assertInstanceOf(SocketTimeoutException.class, timeout);
      assertEquals(
          "write timed out after 200 ms (writeTimeout), connection closed: " + client,
          timeout.getMessage());
      assertFalse(openAfter.get(), "the conversation that timed out is closed");
    }

    void assertServed(Endpoint endpoint) throws IOException {
      try (MessageConnection client =
          Ipc.connectMessages(
              endpoint,
              IpcOptions.DEFAULTS.with(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(10)))) {
        client.send(ascii("served again"));
        assertEquals("served again", US_ASCII.decode(client.receive()).toString());
      }
    }
  }

  @Test
  void pathSocketGetsOwnerOnlyModeAndIsDeletedOnClose() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    DatagramSocket socket = provider.bindDatagram(endpoint, IpcOptions.DEFAULTS);
    try {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.path())));
      AFUNIXDatagramChannel channel = socket.unwrap(AFUNIXDatagramChannel.class).orElseThrow();
      assertFalse(channel.socket().isDeleteOnClose(), "deleteOnClose");
    } finally {
      socket.close();
    }
    assertFalse(Files.exists(endpoint.path(), LinkOption.NOFOLLOW_LINKS), "deleted on close");
    assertFalse(socket.isOpen());
    socket.close();
    assertThrows(ClosedChannelException.class, () -> socket.receive(ByteBuffer.allocate(1)));
    assertThrows(
        ClosedChannelException.class, () -> socket.send(ascii("x"), newAbstractEndpoint()));
  }

  @Test
  void connectedClientIsBoundToAFreshAbstractNameThePeerCanAnswer() throws Exception {
    Endpoint server = newAbstractEndpoint();
    DatagramSocket s = bind(server);
    DatagramSocket c1 = fixture.closeAfter(provider.connectDatagram(server, IpcOptions.DEFAULTS));
    DatagramSocket c2 = fixture.closeAfter(provider.connectDatagram(server, IpcOptions.DEFAULTS));
    assertEquals(Optional.of(server), c1.remoteEndpoint());
    assertTrue(c1.localEndpoint().isAbstract(), c1.localEndpoint().toString());
    assertEquals("unixgram", c1.localEndpoint().scheme());
    assertTrue(
        c1.localEndpoint().abstractName().startsWith("ipc4j-gram-" + ProcessHandle.current().pid()),
        c1.localEndpoint().toString());
    assertEquals(
        Endpoint.maxUnixPathBytes(),
        c1.localEndpoint().abstractName().length(),
        "as long as an endpoint allows, so that receivers spare the padding (see below)");
    assertNotEquals(c1.localEndpoint(), c2.localEndpoint());
    c1.send(ascii("one"), null);
    c2.send(ascii("two"), null);
    assertEquals("one", receive(s, c1.localEndpoint()));
    assertEquals("two", receive(s, c2.localEndpoint()));
    s.send(ascii("back to two"), c2.localEndpoint());
    assertEquals("back to two", receive(c2, server));
  }

  @Test
  void connectingWhereNobodyIsBoundFailsWithConnectException() throws Exception {
    Endpoint nobody = newAbstractEndpoint();
    ConnectException refused =
        assertThrows(
            ConnectException.class, () -> provider.connectDatagram(nobody, IpcOptions.DEFAULTS));
    assertEquals(nobody + ": connection refused", refused.getMessage());
    Endpoint gone = Endpoint.parse("unixgram://" + fixture.newDirectory().resolve("gone.sock"));
    ConnectException missing =
        assertThrows(
            ConnectException.class, () -> provider.connectDatagram(gone, IpcOptions.DEFAULTS));
    assertEquals(gone + ": no such file or directory", missing.getMessage());
  }

  /** junixsocket closes a socket whose send is refused: the bound socket must survive it. */
  @Test
  void sendToVanishedPeerFailsWithPortUnreachableAndKeepsTheSocket() throws Exception {
    DatagramSocket a = bind(newAbstractEndpoint());
    Endpoint vanished = newAbstractEndpoint();
    bind(vanished).close();
    PortUnreachableException e =
        assertThrows(PortUnreachableException.class, () -> a.send(ascii("lost"), vanished));
    assertEquals(vanished + ": connection refused (nobody is bound there)", e.getMessage());
    Endpoint missing = Endpoint.parse("unixgram://" + fixture.newDirectory().resolve("none.sock"));
    PortUnreachableException m =
        assertThrows(PortUnreachableException.class, () -> a.send(ascii("lost"), missing));
    assertEquals(missing + ": no such file or directory (nobody is bound there)", m.getMessage());
    assertTrue(a.isOpen(), "still open");
    Endpoint alive = newAbstractEndpoint();
    DatagramSocket b = bind(alive);
    a.send(ascii("after"), alive);
    assertEquals("after", receive(b, a.localEndpoint()));
    b.send(ascii("still receiving"), a.localEndpoint());
    assertEquals("still receiving", receive(a, alive));
  }

  /**
   * A socket that has sent, through duplicates of its descriptor, one of them retired after a
   * refused send, holds no descriptor once closed: junixsocket leaves a duplicate's open when it
   * closes it, which kept the socket alive, and its name taken, after close.
   */
  @Test
  void closingASocketThatHasSentLeavesNoDescriptorOfItOpen() throws Exception {
    Set<String> before = new HashSet<>(openSockets().values());
    Endpoint name = newAbstractEndpoint();
    DatagramSocket a = bind(name);
    Set<String> ours = new HashSet<>(openSockets().values());
    ours.removeAll(before);
    assertEquals(1, ours.size(), "one socket more once bound: " + ours);
    String inode = ours.iterator().next();
    Endpoint vanished = newAbstractEndpoint();
    bind(vanished).close();
    assertThrows(PortUnreachableException.class, () -> a.send(ascii("refused"), vanished));
    a.send(ascii("to itself"), name);
    assertEquals("to itself", receive(a, name));
    a.close();
    assertFalse(openSockets().containsValue(inode), "a descriptor of the socket is open");
    bind(name).close(); // its name is free again
  }

  /** This process's open socket descriptors: number to {@code socket:[INODE]}. */
  private static Map<String, String> openSockets() throws IOException {
    Map<String, String> sockets = new HashMap<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:")) {
            sockets.put(fd.getFileName().toString(), target);
          }
        } catch (IOException gone) {
          // Closed meanwhile, or the descriptor of the listing itself.
        }
      }
    }
    return sockets;
  }

  @Test
  void maxDatagramSizeIsSendBufferLess32Bytes() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket receiver = bind(to);
    DatagramSocket sender = bind(newAbstractEndpoint());
    AFUNIXDatagramChannel channel = sender.unwrap(AFUNIXDatagramChannel.class).orElseThrow();
    int max = sender.maxDatagramSize();
    assertEquals(channel.socket().getSendBufferSize() - 32, max);
    assertTrue(max > 100_000, "Linux defaults give about 208 KiB: " + max);
    IOException e =
        assertThrows(IOException.class, () -> sender.send(ByteBuffer.allocateDirect(max + 1), to));
    assertEquals(to + ": message too long", e.getMessage());
    byte[] payload = new byte[max];
    new Random(max).nextBytes(payload);
    sender.send(ByteBuffer.wrap(payload), to);
    ByteBuffer b = ByteBuffer.allocateDirect(max + 1);
    assertEquals(sender.localEndpoint(), receiver.receive(b));
    byte[] got = new byte[b.flip().remaining()];
    b.get(got);
    assertArrayEquals(payload, got);
  }

  /** A step of an allocation measurement. */
  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /**
   * Bytes allocated per datagram by {@code send} (if {@code measureSend}) or {@code receive}, over
   * 40 rounds of 8 datagrams each sent, then received; the first half of the rounds warms up. In
   * rounds of 8: a unixgram send blocks once the receiver holds net.unix.max_dgram_qlen, 10 by
   * default.
   */
  private static long allocatedPerDatagram(IoAction send, IoAction receive, boolean measureSend)
      throws Exception {
    LongSupplier allocatedBytes = allocationCounter();
    int rounds = 40;
    int perRound = 8;
    long allocated = 0;
    for (int round = 0; round < rounds; round++) {
      long before = allocatedBytes.getAsLong();
      for (int i = 0; i < perRound; i++) {
        send.run();
      }
      long afterSend = allocatedBytes.getAsLong();
      for (int i = 0; i < perRound; i++) {
        receive.run();
      }
      long afterReceive = allocatedBytes.getAsLong();
      if (round >= rounds / 2) {
        allocated += measureSend ? afterSend - before : afterReceive - afterSend;
      }
    }
    return allocated / (rounds / 2 * perRound);
  }

  /**
   * A connected socket knows its sender, and reads without junixsocket's receive, which makes a new
   * address for every datagram (a few KiB of garbage, about 50 KiB for a short abstract name). In
   * rounds of 8: a unixgram send blocks once the receiver holds net.unix.max_dgram_qlen, 10 by
   * default.
   */
  @Test
  void connectedSocketReceivesWithoutAllocating() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket server = bind(to);
    DatagramSocket client = fixture.closeAfter(provider.connectDatagram(to, IpcOptions.DEFAULTS));
    ByteBuffer m = ByteBuffer.allocateDirect(16);
    ByteBuffer dst = ByteBuffer.allocateDirect(64);
    long perDatagram =
        allocatedPerDatagram(
            () -> server.send(m.clear(), client.localEndpoint()),
            () -> client.receive(dst.clear()),
            false);
    assertTrue(perDatagram < 64, perDatagram + " bytes allocated per datagram (expected none)");
  }

  /**
   * junixsocket builds a new address for every target it is given (some 2 KiB, its cache never
   * hits): a target's address is built once.
   */
  @Test
  void sendingToAKnownTargetAllocatesNothing() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket server = bind(to);
    DatagramSocket client = fixture.closeAfter(provider.connectDatagram(to, IpcOptions.DEFAULTS));
    ByteBuffer m = ByteBuffer.allocateDirect(16);
    ByteBuffer dst = ByteBuffer.allocateDirect(64);
    // An equal endpoint, not the same one: what a server holds for a peer need not be identical.
    Endpoint target = Endpoint.parse(client.localEndpoint().toString());
    long perDatagram =
        allocatedPerDatagram(
            () -> server.send(m.clear(), target), () -> client.receive(dst.clear()), true);
    assertTrue(perDatagram < 64, perDatagram + " bytes allocated per datagram (expected none)");
  }

  /**
   * junixsocket spells out a sender's abstract name padded with NULs one byte at a time (about 50
   * KiB of garbage for a short name): a client's long name keeps that to a few KiB.
   */
  @Test
  void receivingFromAConnectedClientAllocatesLittle() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket server = bind(to);
    DatagramSocket client = fixture.closeAfter(provider.connectDatagram(to, IpcOptions.DEFAULTS));
    ByteBuffer m = ByteBuffer.allocateDirect(16);
    ByteBuffer dst = ByteBuffer.allocateDirect(64);
    long perDatagram =
        allocatedPerDatagram(
            () -> client.send(m.clear(), null),
            () -> assertEquals(client.localEndpoint(), server.receive(dst.clear())),
            false);
    assertTrue(perDatagram < 16 * 1024, perDatagram + " bytes allocated per datagram");
  }

  /**
   * Targets' addresses are remembered: alternating targets, more targets than are remembered, an
   * equal endpoint for a known one, and a target that goes away and comes back each reach the
   * socket bound there now.
   */
  @Test
  void sendsToAlternatingTargetsReachEachOfThem() throws Exception {
    DatagramSocket sender = bind(newAbstractEndpoint());
    Endpoint nameTarget = newAbstractEndpoint();
    Endpoint pathTarget = newPathEndpoint();
    DatagramSocket byName = bind(nameTarget);
    DatagramSocket byPath = bind(pathTarget);
    for (int i = 0; i < 5; i++) {
      sender.send(ascii("name " + i), nameTarget);
      sender.send(ascii("path " + i), Endpoint.parse(pathTarget.toString()));
      assertEquals("name " + i, receive(byName, sender.localEndpoint()));
      assertEquals("path " + i, receive(byPath, sender.localEndpoint()));
    }
    for (int i = 0; i < 70; i++) {
      Endpoint other = newAbstractEndpoint();
      DatagramSocket s = bind(other);
      sender.send(ascii("other " + i), other);
      assertEquals("other " + i, receive(s, sender.localEndpoint()));
      s.close();
    }
    sender.send(ascii("name again"), nameTarget);
    assertEquals("name again", receive(byName, sender.localEndpoint()));
    byName.close();
    PortUnreachableException gone =
        assertThrows(PortUnreachableException.class, () -> sender.send(ascii("lost"), nameTarget));
    assertEquals(nameTarget + ": connection refused (nobody is bound there)", gone.getMessage());
    DatagramSocket back = bind(nameTarget);
    sender.send(ascii("back"), nameTarget);
    assertEquals("back", receive(back, sender.localEndpoint()));
    sender.send(ascii("path last"), pathTarget);
    assertEquals("path last", receive(byPath, sender.localEndpoint()));
  }

  /**
   * The bytes this thread allocated so far, through reflection: the module these tests patch does
   * not read java.management.
   */
  private static LongSupplier allocationCounter() throws Exception {
    Object bean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Class<?> counting = Class.forName("com.sun.management.ThreadMXBean");
    assumeTrue(counting.isInstance(bean), "this JVM does not count allocated bytes per thread");
    counting.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
    Method current = counting.getMethod("getCurrentThreadAllocatedBytes");
    return () -> {
      try {
        return (Long) current.invoke(bean);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    };
  }

  /** Hostile variant: a buffer smaller than the datagram. */
  @Test
  void datagramLongerThanBufferFillsItAndTheRestIsLost() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket receiver = bind(to);
    DatagramSocket sender = bind(newAbstractEndpoint());
    sender.send(ascii("0123456789"), to);
    sender.send(ascii("next"), to);
    ByteBuffer small = ByteBuffer.allocate(4);
    assertEquals(sender.localEndpoint(), receiver.receive(small));
    assertEquals("0123", new String(small.array(), US_ASCII));
    assertEquals("next", receive(receiver, sender.localEndpoint()));
  }

  @Test
  void refusesWhatJunixsocketCannotSend() throws Exception {
    Endpoint to = newAbstractEndpoint();
    DatagramSocket receiver = bind(to);
    DatagramSocket sender = bind(newAbstractEndpoint());
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> sender.send(ByteBuffer.allocate(0), to));
    assertEquals(
        "empty datagram (expected: at least 1 byte; junixsocket cannot send an empty one): " + to,
        empty.getMessage());
    IllegalArgumentException unnamed =
        assertThrows(
            IllegalArgumentException.class,
            () -> sender.send(ascii("x"), Endpoint.parse("unixgram:")));
    assertEquals(
        "not a named unixgram endpoint (expected: unixgram:///path or unixgram:@name): unixgram:",
        unnamed.getMessage());
    IllegalArgumentException stream =
        assertThrows(
            IllegalArgumentException.class,
            () -> sender.send(ascii("x"), Endpoint.parse("unix:@x")));
    assertEquals(
        "not a named unixgram endpoint (expected: unixgram:///path or unixgram:@name): unix:@x",
        stream.getMessage());
    assertThrows(NotYetConnectedException.class, () -> sender.send(ascii("x"), null));
    sender.send(ascii("only this"), to);
    assertEquals("only this", receive(receiver, sender.localEndpoint()));
  }

  @Test
  void closingFromAnotherThreadFailsBlockedReceiveWithAsynchronousClose() throws Exception {
    DatagramSocket socket = provider.bindDatagram(newPathEndpoint(), IpcOptions.DEFAULTS);
    Background<Endpoint> receive =
        Background.platform("receive", () -> socket.receive(ByteBuffer.allocate(8)));
    assertTrue(receive.awaitBlocked(), "receive should block");
    socket.close();
    ExecutionException e = assertThrows(ExecutionException.class, receive::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
    assertFalse(Files.exists(socket.localEndpoint().path(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void abstractNameInUseFailsWithAddressInUseNamingIt() throws Exception {
    Endpoint endpoint = newAbstractEndpoint();
    DatagramSocket holder = bind(endpoint);
    AddressInUseException e =
        assertThrows(
            AddressInUseException.class,
            () -> provider.bindDatagram(endpoint, IpcOptions.DEFAULTS));
    assertEquals(
        endpoint + ": address in use: a live socket holds the abstract name", e.getMessage());
    assertTrue(e.holderAlive());
    DatagramSocket other = bind(newAbstractEndpoint());
    other.send(ascii("still here"), endpoint);
    assertEquals("still here", receive(holder, other.localEndpoint()));
  }

  @Test
  void livePathIsNeitherTakenOverNorDeletedAndRegularFileNeverReplaced() throws Exception {
    Endpoint endpoint = newPathEndpoint();
    DatagramSocket holder = bind(endpoint);
    Object inode = Files.getAttribute(endpoint.path(), "unix:ino");
    AddressInUseException live =
        assertThrows(
            AddressInUseException.class,
            () -> provider.bindDatagram(endpoint, IpcOptions.DEFAULTS));
    assertTrue(live.holderAlive());
    assertEquals(inode, Files.getAttribute(endpoint.path(), "unix:ino"), "the holder's file");
    DatagramSocket other = bind(newAbstractEndpoint());
    other.send(ascii("to holder"), endpoint);
    assertEquals("to holder", receive(holder, other.localEndpoint()));

    Endpoint file = newPathEndpoint();
    Files.writeString(file.path(), "precious");
    AddressInUseException regular =
        assertThrows(
            AddressInUseException.class, () -> provider.bindDatagram(file, IpcOptions.DEFAULTS));
    assertFalse(regular.holderAlive());
    assertEquals("precious", Files.readString(file.path()));
  }

  @Test
  void rejectsOtherSchemesAndUnnamedEndpoints() {
    IllegalArgumentException stream =
        assertThrows(
            IllegalArgumentException.class,
            () -> provider.bindDatagram(Endpoint.parse("unix:@x"), IpcOptions.DEFAULTS));
    assertEquals("scheme \"unix\" not served (expected: unixgram): unix:@x", stream.getMessage());
    IllegalArgumentException unnamed =
        assertThrows(
            IllegalArgumentException.class,
            () -> provider.connectDatagram(Endpoint.parse("unixgram:"), IpcOptions.DEFAULTS));
    assertEquals(
        "unnamed endpoint (expected: a socket path or an abstract @name): unixgram:",
        unnamed.getMessage());
  }
}
