package io.ipc4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageTooLargeException;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@link MessageConnection}: whole messages of every size up to the maximum, limits
 * enforced on both sides, and truncated or hostile peers reported precisely; over stream transports
 * also the 4-byte big-endian length prefix on the wire.
 *
 * <p>Transports with {@link Capability#MESSAGE_BOUNDARIES} (datagrams, {@code SOCK_SEQPACKET}) run
 * it too: tests of framing (wire format, announced lengths, a peer that ends inside a frame) are
 * skipped with the reason, and so are message sizes above {@link #transportMaxMessageSize()}. Over
 * datagram endpoints, where a peer exists once its first datagram arrives, {@link #connect} sends
 * one message of one byte that the server side receives; tests that need an end of conversation,
 * {@link Capability#RELIABLE} and {@link Capability#ORDERED} delivery of a burst, or empty messages
 * from a connected datagram socket (which the JDK and junixsocket do not send), are skipped.
 */
@Timeout(30)
public abstract class MessageConnectionContract extends TransportContract {
  private static final int DEFAULT_MAX = 4 << 20;

  /** What a datagram client sends first, which makes the server side of its connection. */
  private static final byte[] HELLO = {'h'};

  /** A message listener, a message client connected to it and the server side. */
  protected record Connected(
      Listener<MessageConnection> listener, MessageConnection client, MessageConnection server)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try (listener;
          client;
          server) {
        // closed in reverse order
      }
    }
  }

  /** A message listener with {@code serverOptions} and a raw byte-stream client connected to it. */
  protected record RawPeer(
      Listener<MessageConnection> listener, StreamConnection client, MessageConnection server)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try (listener;
          client;
          server) {
        // closed in reverse order
      }
    }

    /** Writes {@code bytes} by hand, as a peer in another language would. */
    void write(byte[] bytes) throws IOException {
      client.write(ByteBuffer.wrap(bytes));
    }
  }

  /**
   * A listener with {@code serverOptions}, a client with {@code clientOptions} and the server side
   * of their connection. Over datagrams the client first sends a message of one byte, which makes
   * the server side and is received here.
   */
  protected final Connected connect(IpcOptions serverOptions, IpcOptions clientOptions)
      throws IOException {
    Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), serverOptions);
    try {
      MessageConnection client = Ipc.connectMessages(listener.endpoint(), clientOptions);
      try {
        if (!isDatagram()) {
          return new Connected(listener, client, listener.accept());
        }
        client.send(ByteBuffer.wrap(HELLO));
        MessageConnection server = listener.accept();
        ByteBuffer hello = server.receive();
        assertNotNull(hello, "the message that made the server side");
        assertBytesEqual(HELLO, bytesOf(hello), "the message that made the server side");
        return new Connected(listener, client, server);
      } catch (IOException | RuntimeException e) {
        client.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  protected final Connected connect() throws IOException {
    return connect(options(), options());
  }

  protected final RawPeer connectRaw(IpcOptions serverOptions) throws IOException {
    Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), serverOptions);
    try {
      StreamConnection client = Ipc.connect(listener.endpoint(), options());
      try {
        return new RawPeer(listener, client, listener.accept());
      } catch (IOException | RuntimeException e) {
        client.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  /** Whether the endpoint is connectionless: a peer exists once its first datagram arrives. */
  protected final boolean isDatagram() {
    return newEndpoint().kind() == Endpoint.Kind.DATAGRAM;
  }

  /**
   * Whether a client sends empty messages: not over connected datagram sockets, on which the JDK
   * and junixsocket send nothing for an empty buffer.
   */
  private boolean clientSendsEmptyMessages() {
    return !isDatagram();
  }

  /** Skips a test of the framing of byte streams on transports that keep message boundaries. */
  private void assumeFramedStream(String what) {
    assumeFalse(
        capabilities().contains(Capability.MESSAGE_BOUNDARIES),
        what + ": only over byte streams, this transport keeps message boundaries");
  }

  /** Skips a test whose messages exceed what the transport carries. */
  private void assumeTransportCarries(long size) throws IOException {
    int max = transportMaxMessageSize();
    assumeTrue(
        size <= max,
        "a message of " + size + " bytes exceeds this transport's maximum of " + max + " bytes");
  }

  /** The maximum message size with the default options. */
  private int defaultMax() throws IOException {
    return Math.min(DEFAULT_MAX, transportMaxMessageSize());
  }

  private static byte[] header(long length) {
    return ByteBuffer.allocate(4).putInt((int) length).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Sends on another thread (large messages exceed the socket buffers) and echoes back. */
  private void assertRoundTrip(Connected c, int size) throws Exception {
    byte[] payload = randomBytes(size, size);
    Call<Void> send =
        start(
            "send",
            () -> {
              ByteBuffer m = ByteBuffer.wrap(payload);
              c.client().send(m);
              assertFalse(m.hasRemaining(), "send advances the position to the limit");
              return null;
            });
    ByteBuffer received = c.server().receive();
    send.get(STEP);
    assertNotNull(received, "a message of " + size + " bytes");
    assertEquals(0, received.position(), "received buffer position");
    assertEquals(size, received.limit(), "received buffer limit");
    assertBytesEqual(payload, bytesOf(received), "message of " + size + " bytes");

    Call<Void> reply =
        start(
            "reply",
            () -> {
              c.server().send(received);
              return null;
            });
    ByteBuffer dst = ByteBuffer.allocateDirect(size + 7).position(3);
    int n = c.client().receive(dst);
    reply.get(STEP);
    assertEquals(size, n, "receive(ByteBuffer) returns the length");
    assertEquals(3 + size, dst.position(), "receive(ByteBuffer) advances the position");
    assertEquals(size + 7, dst.limit(), "receive(ByteBuffer) leaves the limit alone");
    assertBytesEqual(payload, bytesOf(dst.flip().position(3)), "echo of " + size + " bytes");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 3, 4, 5, 1023, 1024, 1025, 65535, 65536, 65537, 1 << 20, DEFAULT_MAX})
  void roundTripsMessagesOfEverySizeUpToDefaultMaximum(int size) throws Exception {
    assumeTransportCarries(size);
    assumeTrue(
        size > 0 || clientSendsEmptyMessages(),
        "a connected datagram socket sends no empty datagram (see clientSendsEmptyMessages)");
    try (Connected c = connect()) {
      assertEquals(defaultMax(), c.client().maxMessageSize());
      assertEquals(defaultMax(), c.server().maxMessageSize());
      assertRoundTrip(c, size);
    }
  }

  @Test
  void roundTripsMessageOfTheTransportMaximum() throws Exception {
    int max = transportMaxMessageSize();
    assumeTrue(max < DEFAULT_MAX, "the transport carries more than the default maximum");
    try (Connected c = connect()) {
      assertEquals(max, c.client().maxMessageSize());
      assertRoundTrip(c, max);
    }
  }

  @Test
  void roundTripsSixteenMebibyteMessageWhenMaximumRaisedOnBothSides() throws Exception {
    assumeTransportCarries(16 << 20);
    IpcOptions big = options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 16 << 20);
    try (Connected c = connect(big, big)) {
      assertEquals(16 << 20, c.client().maxMessageSize());
      assertRoundTrip(c, 16 << 20);
    }
  }

  /**
   * A parameter the transport does not take is refused on both sides, naming it: ignored, a
   * misspelt one (or one meant for another transport) would go unnoticed.
   */
  @Test
  void refusesAParameterTheTransportDoesNotTake() throws Exception {
    Endpoint unheard = Endpoint.parse(newEndpoint() + "?speling=1");
    assertUnknownParameter(
        unheard,
        assertThrows(IllegalArgumentException.class, () -> Ipc.listenMessages(unheard, options())));
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), options())) {
      Endpoint target = Endpoint.parse(listener.endpoint() + "?speling=1");
      assertUnknownParameter(
          target,
          assertThrows(
              IllegalArgumentException.class, () -> Ipc.connectMessages(target, options())));
    }
  }

  private static void assertUnknownParameter(Endpoint endpoint, IllegalArgumentException e) {
    assertTrue(
        e.getMessage().startsWith("unknown parameter \"speling\" (expected: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("): " + endpoint), e.getMessage());
  }

  @Test
  void keepsConsecutiveMessagesApart() throws Exception {
    try (Connected c = connect()) {
      int empty = clientSendsEmptyMessages() ? 0 : 2;
      int[] sizes = {5, empty, 1, Math.min(70_000, transportMaxMessageSize()), 3, empty, 4};
      Call<Void> send =
          start(
              "send",
              () -> {
                for (int size : sizes) {
                  c.client().send(ByteBuffer.wrap(randomBytes(size, size + 100)));
                }
                return null;
              });
      for (int size : sizes) {
        ByteBuffer m = c.server().receive();
        assertBytesEqual(randomBytes(size, size + 100), bytesOf(m), "message of " + size);
      }
      send.get(STEP);
    }
  }

  @Test
  void writesFramesAsBigEndianLengthThenPayload() throws Exception {
    assumeFramedStream("the frame wire format");
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), options());
        StreamConnection raw = Ipc.connect(listener.endpoint(), options());
        MessageConnection server = listener.accept()) {
      server.send(ByteBuffer.wrap(randomBytes(300, 9)));
      byte[] frame = readExactly(raw, 4 + 300);
      assertBytesEqual(new byte[] {0, 0, 1, 44}, java.util.Arrays.copyOf(frame, 4), "header");
      assertBytesEqual(randomBytes(300, 9), java.util.Arrays.copyOfRange(frame, 4, 304), "payload");
    }
  }

  @Test
  void receiveIntoTooSmallBufferDiscardsMessageAndKeepsConnection() throws Exception {
    try (Connected c = connect()) {
      c.client().send(ByteBuffer.wrap(randomBytes(100, 1)));
      c.client().send(ByteBuffer.wrap("next".getBytes(US_ASCII)));

      ByteBuffer small = ByteBuffer.allocate(50);
      MessageTooLargeException e =
          assertThrows(MessageTooLargeException.class, () -> c.server().receive(small));
      assertEquals(100, e.size());
      assertEquals(50, e.limit());
      assertMentionsNumbers(e.getMessage(), new Object[] {c.server().remoteEndpoint()}, 100, 50);
      assertTrue(c.server().isOpen(), "the connection stays usable");

      ByteBuffer dst = ByteBuffer.allocate(50);
      assertEquals(4, c.server().receive(dst), "the next message still arrives");
      assertEquals("next", new String(dst.array(), 0, 4, US_ASCII));
    }
  }

  @Test
  void rejectsMessageOverMaximumWithoutSendingIt() throws Exception {
    IpcOptions small = options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024);
    try (Connected c = connect(options(), small)) {
      assertEquals(1024, c.client().maxMessageSize());
      MessageTooLargeException e =
          assertThrows(
              MessageTooLargeException.class,
              () -> c.client().send(ByteBuffer.wrap(randomBytes(1025, 1))));
      assertEquals(1025, e.size());
      assertEquals(1024, e.limit());
      assertMentionsNumbers(e.getMessage(), new Object[] {c.client().remoteEndpoint()}, 1025, 1024);
      assertTrue(c.client().isOpen(), "the connection stays usable");

      c.client().send(ByteBuffer.wrap(randomBytes(1024, 2)));
      assertBytesEqual(
          randomBytes(1024, 2), bytesOf(c.server().receive()), "the next message arrives first");
    }
  }

  @Test
  void rejectsMessageOverDefaultMaximumWithoutSendingIt() throws Exception {
    int max = defaultMax();
    try (Connected c = connect()) {
      MessageTooLargeException e =
          assertThrows(
              MessageTooLargeException.class, () -> c.client().send(ByteBuffer.allocate(max + 1)));
      assertEquals(max + 1, e.size());
      assertEquals(max, e.limit());
      c.client().send(ByteBuffer.wrap(new byte[] {42}));
      assertBytesEqual(new byte[] {42}, bytesOf(c.server().receive()), "next message");
    }
  }

  @ParameterizedTest(name = "into a buffer: {0}")
  @ValueSource(booleans = {false, true})
  void peerAnnouncingHugeLengthLosesConnectionWithoutAllocation(boolean intoBuffer)
      throws Exception {
    assumeFramedStream("announced lengths");
    IpcOptions small = options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024);
    try (RawPeer p = connectRaw(small)) {
      p.write(concat(header(0xFFFFFFF0L), randomBytes(100, 1)));
      MessageTooLargeException e =
          assertThrows(
              MessageTooLargeException.class,
              () -> {
                if (intoBuffer) {
                  p.server().receive(ByteBuffer.allocate(1 << 20));
                } else {
                  p.server().receive();
                }
              });
      assertEquals(4294967280L, e.size());
      assertEquals(1024, e.limit());
      assertMentionsNumbers(
          e.getMessage(), new Object[] {p.server().remoteEndpoint()}, 4294967280L, 1024);
      assertFalse(p.server().isOpen(), "the connection is closed");
      try {
        assertEquals(-1, p.client().read(ByteBuffer.allocate(1)), "the peer sees the end");
      } catch (IOException reset) {
        assertCleanEnd(reset);
      }
    }
  }

  @Test
  void receivingAfterOversizedAnnouncementFailsAsClosed() throws Exception {
    assumeFramedStream("announced lengths");
    IpcOptions small = options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024);
    try (RawPeer p = connectRaw(small)) {
      // The bytes after the oversized header happen to look like a frame: they must not be
      // delivered, since the connection was closed at the announcement.
      p.write(concat(header(0xFFFFFFF0L), concat(header(3), "abc".getBytes(US_ASCII))));
      assertThrows(MessageTooLargeException.class, () -> p.server().receive());
      assertFalse(p.server().isOpen());
      assertClosedChannel("receive() after the connection closed", () -> p.server().receive());
      assertClosedChannel(
          "receive(ByteBuffer) after the connection closed",
          () -> p.server().receive(ByteBuffer.allocate(9)));
    }
  }

  @Test
  void receivingAfterCloseFailsEvenWhenMessagesAreBuffered() throws Exception {
    if (capabilities().contains(Capability.MESSAGE_BOUNDARIES)) {
      try (Connected c = connect()) {
        for (String m : new String[] {"a", "b", "c"}) {
          c.client().send(ByteBuffer.wrap(m.getBytes(US_ASCII)));
        }
        assertEquals("a", US_ASCII.decode(c.server().receive()).toString());
        c.server().close();
        assertClosedChannel("receive() after close()", () -> c.server().receive());
        assertClosedChannel(
            "receive(ByteBuffer) after close()", () -> c.server().receive(ByteBuffer.allocate(9)));
      }
      return;
    }
    try (RawPeer p = connectRaw(options())) {
      // Three frames in one write, so that the receiver is likely to read them in one go.
      p.write(
          concat(
              concat(header(1), new byte[] {'a'}),
              concat(concat(header(1), new byte[] {'b'}), concat(header(1), new byte[] {'c'}))));
      assertEquals("a", US_ASCII.decode(p.server().receive()).toString());
      p.server().close();
      assertClosedChannel("receive() after close()", () -> p.server().receive());
      assertClosedChannel(
          "receive(ByteBuffer) after close()", () -> p.server().receive(ByteBuffer.allocate(9)));
    }
  }

  @Test
  void peerAnnouncingLengthOverDefaultMaximumLosesConnection() throws Exception {
    assumeFramedStream("announced lengths");
    try (RawPeer p = connectRaw(options())) {
      p.write(header(DEFAULT_MAX + 1L));
      MessageTooLargeException e =
          assertThrows(MessageTooLargeException.class, () -> p.server().receive());
      assertEquals(DEFAULT_MAX + 1L, e.size());
      assertEquals(DEFAULT_MAX, e.limit());
      assertFalse(p.server().isOpen());
    }
  }

  @Test
  void peerClosingInsideHeaderCausesEofNamingMissingBytes() throws Exception {
    assumeFramedStream("EOF inside a frame header");
    try (RawPeer p = connectRaw(options())) {
      p.write(new byte[] {0, 0});
      p.client().close();
      EOFException e = assertThrows(EOFException.class, () -> p.server().receive());
      assertMentionsNumbers(e.getMessage(), new Object[] {p.server().remoteEndpoint()}, 2);
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "into a buffer: {0}")
  @ValueSource(booleans = {false, true})
  void peerClosingInsidePayloadCausesEofNamingMissingBytes(boolean intoBuffer) throws Exception {
    assumeFramedStream("EOF inside a frame");
    try (RawPeer p = connectRaw(options())) {
      p.write(concat(header(100), randomBytes(10, 1)));
      p.client().close();
      EOFException e =
          assertThrows(
              EOFException.class,
              () -> {
                if (intoBuffer) {
                  p.server().receive(ByteBuffer.allocate(1000));
                } else {
                  p.server().receive();
                }
              });
      assertMentionsNumbers(e.getMessage(), new Object[] {p.server().remoteEndpoint()}, 90);
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  @Test
  void orderlyCloseBetweenMessagesEndsReceive() throws Exception {
    assumeFalse(isDatagram(), "datagrams have no close to see: a silent peer ends after a timeout");
    try (Connected c = connect()) {
      c.client().send(ByteBuffer.wrap("last".getBytes(US_ASCII)));
      c.client().close();
      assertEquals("last", US_ASCII.decode(c.server().receive()).toString());
      assertNull(c.server().receive(), "receive() returns null at a clean end");
    }
    try (Connected c = connect()) {
      c.client().send(ByteBuffer.wrap("last".getBytes(US_ASCII)));
      c.client().close();
      assertEquals(4, c.server().receive(ByteBuffer.allocate(16)));
      assertEquals(-1, c.server().receive(ByteBuffer.allocate(16)), "-1 at a clean end");
    }
  }

  @Test
  void peerKilledMidMessageCausesEofNamingMissingBytes() throws Exception {
    assumeFramedStream("a peer killed inside a frame");
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), options())) {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElseThrow());
      command.add("-Xmx32m");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(PartialMessagePeer.class.getName());
      command.add(listener.endpoint().toString());
      command.add(options().get(StandardIpcOptions.PROVIDER));
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        Call<List<String>> untilReady =
            start(
                "child-output",
                () -> {
                  List<String> lines = new ArrayList<>();
                  BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                  for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    if (line.equals(PartialMessagePeer.READY)) {
                      return lines;
                    }
                  }
                  throw new AssertionError("child ended without getting ready: " + lines);
                });
        try (MessageConnection server = listener.accept()) {
          Call<ByteBuffer> receive = start("receive", server::receive);
          untilReady.get(STEP.multipliedBy(2));
          child.destroyForcibly();
          assertTrue(child.waitFor(STEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
          Throwable failure = receive.failure(STEP);
          assertInstanceOf(EOFException.class, failure);
          assertMentionsNumbers(failure.getMessage(), new Object[] {server.remoteEndpoint()}, 990);
        }
      } finally {
        child.destroyForcibly();
        if (!child.waitFor(STEP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          fail("the child JVM did not end");
        }
      }
    }
  }

  @Test
  void sendsWholeMessagesFromSeveralThreads() throws Exception {
    assumeTrue(
        capabilities().containsAll(EnumSet.of(Capability.RELIABLE, Capability.ORDERED)),
        "a burst of 800 messages, counted in order, needs RELIABLE and ORDERED delivery");
    int threads = 4;
    int perThread = 200;
    try (Connected c = connect()) {
      List<Call<Void>> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        byte marker = (byte) (t + 1);
        senders.add(
            start(
                "sender-" + t,
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    byte[] m = new byte[1 + (i * 997) % 20_000];
                    java.util.Arrays.fill(m, marker);
                    c.client().send(ByteBuffer.wrap(m));
                  }
                  return null;
                }));
      }
      int[] seen = new int[threads + 1];
      for (int i = 0; i < threads * perThread; i++) {
        byte[] m = bytesOf(c.server().receive());
        byte marker = m[0];
        for (byte b : m) {
          assertEquals(marker, b, "a message mixes bytes of two senders");
        }
        assertEquals(1 + (seen[marker] * 997) % 20_000, m.length, "message length, in order");
        seen[marker]++;
      }
      for (Call<Void> s : senders) {
        s.get(STEP);
      }
    }
  }

  /** Whether the transport promises that every message of a burst arrives, in order. */
  private boolean reliableAndOrdered() {
    return capabilities().containsAll(EnumSet.of(Capability.RELIABLE, Capability.ORDERED));
  }

  /** The {@code i}th message of a batch of test messages, of {@code size} bytes. */
  private static ByteBuffer batchMessage(int size, int i) {
    return ByteBuffer.wrap(randomBytes(size, 31L * size + i));
  }

  /**
   * Receives {@code sizes.length} messages on {@code receiver}, checking each against its batch.
   */
  private static void assertReceivesBatch(MessageConnection receiver, int[] sizes)
      throws IOException {
    for (int i = 0; i < sizes.length; i++) {
      ByteBuffer m = receiver.receive();
      assertNotNull(m, "message " + i + " of the batch");
      assertBytesEqual(
          bytesOf(batchMessage(sizes[i], i)),
          bytesOf(m),
          "message " + i + " of the batch (" + sizes[i] + " bytes)");
    }
  }

  /** Sends a batch of messages of {@code sizes} and has it echoed back in a batch. */
  private void assertBatchRoundTrips(Connected c, int[] sizes) throws Exception {
    ByteBuffer[] batch = new ByteBuffer[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      batch[i] = batchMessage(sizes[i], i);
    }
    Call<Void> send =
        start(
            "send",
            () -> {
              c.client().sendAll(batch);
              return null;
            });
    ByteBuffer[] received = new ByteBuffer[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      received[i] = c.server().receive();
      assertNotNull(received[i], "message " + i + " of the batch");
      assertBytesEqual(
          bytesOf(batchMessage(sizes[i], i)),
          bytesOf(received[i]),
          "message " + i + " of the batch (" + sizes[i] + " bytes)");
    }
    send.get(STEP);
    for (int i = 0; i < sizes.length; i++) {
      assertFalse(batch[i].hasRemaining(), "sendAll advances message " + i + " to its limit");
    }
    Call<Void> echo =
        start(
            "echo",
            () -> {
              c.server().sendAll(received, 0, received.length);
              return null;
            });
    assertReceivesBatch(c.client(), sizes);
    echo.get(STEP);
  }

  @Test
  void sendAllDeliversLargeBatchWholeAndInOrder() throws Exception {
    assumeTrue(
        reliableAndOrdered(),
        "a batch of 1300 messages, counted in order, needs RELIABLE and ORDERED delivery");
    boolean empties = !capabilities().contains(Capability.MESSAGE_BOUNDARIES);
    int[] sizes = new int[1300];
    for (int i = 0; i < sizes.length; i++) {
      // Mostly small, some of a few KiB, empty ones where the transport carries them.
      sizes[i] = i % 50 == 7 ? 3000 + i : i % 13 == 0 && empties ? 0 : 1 + (i * 37) % 1100;
    }
    sizes[600] = Math.min(64 * 1024, transportMaxMessageSize());
    try (Connected c = connect()) {
      assertBatchRoundTrips(c, sizes);
    }
  }

  @Test
  void sendAllDeliversSmallBatchOnEveryTransport() throws Exception {
    try (Connected c = connect()) {
      // Within what a datagram receiver keeps while it catches up, as
      // keepsConsecutiveMessagesApart.
      assertBatchRoundTrips(
          c, new int[] {5, 1, Math.min(64 * 1024, transportMaxMessageSize()), 3, 100, 4, 2, 1});
    }
  }

  @Test
  void sendAllWritesConsecutiveFrames() throws Exception {
    assumeFramedStream("the frame wire format");
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), options());
        StreamConnection raw = Ipc.connect(listener.endpoint(), options());
        MessageConnection server = listener.accept()) {
      int count = 1100;
      ByteBuffer[] batch = new ByteBuffer[count];
      ByteBuffer expected = ByteBuffer.allocate(count * (4 + 64));
      for (int i = 0; i < count; i++) {
        int size = i % 65;
        batch[i] = batchMessage(size, i);
        expected.putInt(size).put(batchMessage(size, i));
      }
      Call<Void> send =
          start(
              "send",
              () -> {
                server.sendAll(batch);
                return null;
              });
      byte[] wire = readExactly(raw, expected.position());
      send.get(STEP);
      assertBytesEqual(
          java.util.Arrays.copyOf(expected.array(), expected.position()), wire, "the frames");
    }
  }

  @Test
  void sendAllWithMessageOverMaximumSendsNoneAndKeepsConnection() throws Exception {
    IpcOptions small = options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024);
    try (Connected c = connect(options(), small)) {
      ByteBuffer[] batch = {
        batchMessage(10, 0), batchMessage(1024, 1), batchMessage(1025, 2), batchMessage(3, 3)
      };
      MessageTooLargeException e =
          assertThrows(MessageTooLargeException.class, () -> c.client().sendAll(batch));
      assertEquals(1025, e.size());
      assertEquals(1024, e.limit());
      assertMentionsNumbers(e.getMessage(), new Object[] {c.client().remoteEndpoint()}, 2, 1025);
      assertMentionsNumbers(e.getMessage(), new Object[] {c.client().remoteEndpoint()}, 1024);
      assertTrue(e.getMessage().contains("[2]"), "names the index: " + e.getMessage());
      assertEquals(10, batch[0].remaining(), "no position moved");
      assertTrue(c.client().isOpen(), "the connection stays usable");

      c.client().sendAll(batch, 3, 1);
      assertBytesEqual(
          bytesOf(batchMessage(3, 3)),
          bytesOf(c.server().receive()),
          "the next batch arrives first");
      c.client().sendAll(batch, 0, 2);
      assertReceivesBatch(c.server(), new int[] {10, 1024});
    }
  }

  @Test
  void sendAllWithEmptyMessageSendsAllOrNone() throws Exception {
    try (Connected c = connect()) {
      ByteBuffer[] batch = {batchMessage(5, 0), batchMessage(0, 1), batchMessage(7, 2)};
      try {
        c.client().sendAll(batch);
      } catch (IllegalArgumentException refused) {
        // Transports that cannot carry an empty message refuse the whole batch.
        assertTrue(refused.getMessage().contains("[1]"), "names the index: " + refused);
        assertEquals(5, batch[0].remaining(), "no position moved");
        c.client().send(ByteBuffer.wrap("next".getBytes(US_ASCII)));
        assertEquals(
            "next",
            US_ASCII.decode(c.server().receive()).toString(),
            "nothing of the refused batch arrives");
        return;
      }
      assertReceivesBatch(c.server(), new int[] {5, 0, 7});
    }
  }

  @Test
  void sendAllRejectsBadRangeAndNullMessageSendingNone() throws Exception {
    try (Connected c = connect()) {
      ByteBuffer[] batch = {batchMessage(1, 0), batchMessage(2, 1), batchMessage(3, 2)};
      assertThrows(IndexOutOfBoundsException.class, () -> c.client().sendAll(batch, 2, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> c.client().sendAll(batch, -1, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> c.client().sendAll(batch, 1, -1));
      assertThrows(IndexOutOfBoundsException.class, () -> c.client().sendAll(batch, 4, 0));
      NullPointerException npe =
          assertThrows(
              NullPointerException.class,
              () -> c.client().sendAll(batch[0], batch[1], null, batch[2]));
      assertTrue(
          String.valueOf(npe.getMessage()).contains("[2]"), "names the index: " + npe.getMessage());
      assertThrows(NullPointerException.class, () -> c.client().sendAll((ByteBuffer[]) null));
      c.client().sendAll();
      c.client().sendAll(batch, 3, 0);
      assertEquals(1, batch[0].remaining(), "no position moved");
      assertEquals(2, batch[1].remaining(), "no position moved");

      c.client().sendAll(batch, 1, 2);
      assertBytesEqual(bytesOf(batchMessage(2, 1)), bytesOf(c.server().receive()), "batch[1]");
      assertBytesEqual(bytesOf(batchMessage(3, 2)), bytesOf(c.server().receive()), "batch[2]");
      assertEquals(1, batch[0].remaining(), "a message outside the range stays unsent");
    }
  }

  /**
   * One buffer twice in a batch is refused whole: sent, it would go out twice in one gathering
   * write, rewind and resend part of itself if that write ended part way, or go out empty once a
   * batch spans several writes. Short batches and long ones (over 512 frames, and checked another
   * way) alike.
   */
  @Test
  void sendAllRefusesOneBufferTwiceSendingNone() throws Exception {
    try (Connected c = connect()) {
      ByteBuffer twice = batchMessage(4, 1);
      ByteBuffer[] shortBatch = {batchMessage(3, 0), twice, batchMessage(5, 2), twice};
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> c.client().sendAll(shortBatch));
      assertEquals(
          "messages[3] is messages[1], the same buffer twice (expected: a buffer once per batch;"
              + " send the same bytes again through buffer.duplicate()), none of the batch sent: "
              + c.client().remoteEndpoint(),
          e.getMessage());

      ByteBuffer[] longBatch = new ByteBuffer[600];
      for (int i = 0; i < longBatch.length; i++) {
        longBatch[i] = batchMessage(1 + i % 7, i);
      }
      longBatch[599] = longBatch[17];
      e = assertThrows(IllegalArgumentException.class, () -> c.client().sendAll(longBatch));
      assertTrue(e.getMessage().startsWith("messages[599] is messages[17], "), e.getMessage());
      assertEquals(3, shortBatch[0].remaining(), "no position moved");
      assertEquals(1 + 17 % 7, longBatch[17].remaining(), "no position moved");

      c.client().send(ByteBuffer.wrap("next".getBytes(US_ASCII)));
      assertEquals(
          "next",
          US_ASCII.decode(c.server().receive()).toString(),
          "nothing of the refused batches arrives");
      c.client().sendAll(twice, twice.duplicate());
      for (int i = 0; i < 2; i++) {
        assertBytesEqual(bytesOf(batchMessage(4, 1)), bytesOf(c.server().receive()), "copy " + i);
      }
    }
  }

  @Test
  void sendAllBatchesOfSeveralThreadsDoNotInterleave() throws Exception {
    // Over transports that may drop a burst, few and small messages: as many as a datagram
    // receiver keeps while it catches up.
    boolean reliable = reliableAndOrdered();
    int threads = 2;
    int batches = reliable ? 12 : 4;
    int perBatch = reliable ? 600 : 6;
    try (Connected c = connect()) {
      List<Call<Void>> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        byte sender = (byte) t;
        senders.add(
            start(
                "sender-" + t,
                () -> {
                  for (int b = 0; b < batches; b++) {
                    ByteBuffer[] batch = new ByteBuffer[perBatch];
                    for (int i = 0; i < perBatch; i++) {
                      int size = reliable && i % 100 == 50 ? 20_000 : 4 + (i * 7) % 200;
                      batch[i] = ByteBuffer.allocate(size);
                      batch[i].put(0, sender).put(1, (byte) b).putShort(2, (short) i);
                    }
                    c.client().sendAll(batch);
                  }
                  return null;
                }));
      }
      int[] nextBatch = new int[threads];
      for (int n = 0; n < threads * batches; n++) {
        ByteBuffer first = c.server().receive();
        assertNotNull(first, "batch " + n);
        int sender = first.get(0);
        assertEquals(nextBatch[sender], first.get(1), "the batches of sender " + sender);
        assertEquals(0, first.getShort(2), "a batch starts with its first message");
        for (int i = 1; i < perBatch; i++) {
          ByteBuffer m = c.server().receive();
          assertNotNull(m, "message " + i + " of batch " + n);
          assertEquals(
              sender + "/" + nextBatch[sender] + "/" + i,
              m.get(0) + "/" + m.get(1) + "/" + m.getShort(2),
              "sender/batch/index: a batch's messages arrive together and in order");
        }
        nextBatch[sender]++;
      }
      for (Call<Void> s : senders) {
        s.get(STEP);
      }
    }
  }

  @Test
  void reportsEndpointsOfBothSides() throws Exception {
    try (Connected c = connect()) {
      assertEquals(c.listener().endpoint(), c.client().remoteEndpoint());
      assertEquals(c.listener().endpoint(), c.server().localEndpoint());
      assertEquals(c.client().localEndpoint(), c.server().remoteEndpoint());
      assertTrue(c.client().isOpen());
      c.client().close();
      c.client().close();
      assertFalse(c.client().isOpen());
      assertThrows(ClosedChannelException.class, () -> c.client().send(ByteBuffer.allocate(1)));
      if (!isDatagram()) {
        assertNull(c.server().receive(), "the server side sees the end");
      }
    }
  }

  @Test
  void silentDatagramPeerEndsAfterSessionIdleTimeout() throws Exception {
    assumeTrue(isDatagram(), "only datagram peers end by silence");
    IpcOptions idle =
        options().with(StandardIpcOptions.SESSION_IDLE_TIMEOUT, java.time.Duration.ofMillis(300));
    try (Connected c = connect(idle, options())) {
      c.client().send(ByteBuffer.wrap("last".getBytes(US_ASCII)));
      assertEquals("last", US_ASCII.decode(c.server().receive()).toString());
      long start = System.nanoTime();
      assertNull(c.server().receive(), "receive() returns null once the peer is idle");
      assertTrue(
          System.nanoTime() - start >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250),
          "not before the idle timeout");
      assertFalse(c.server().isOpen());
      c.client().send(ByteBuffer.wrap("again".getBytes(US_ASCII)));
      try (MessageConnection again = c.listener().accept()) {
        assertEquals(c.client().localEndpoint(), again.remoteEndpoint(), "a new conversation");
        assertEquals("again", US_ASCII.decode(again.receive()).toString());
      }
    }
  }

  @Test
  void closingFromAnotherThreadUnblocksReceive() throws Exception {
    try (Connected c = connect()) {
      Call<ByteBuffer> receive = start("receive", () -> c.client().receive());
      assertTrue(receive.awaitBlocked(STEP), "receive should block on a silent peer");
      c.client().close();
      assertInstanceOf(AsynchronousCloseException.class, receive.failure(STEP));
    }
  }
}
