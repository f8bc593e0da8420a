package io.ipc4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.Datagram;
import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageTooLargeException;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link DatagramEndpoint} ({@code udp*}, {@code unixgram}): addressed datagrams
 * with their sender, every size up to the maximum, limits enforced on both sides without ever
 * handing on a cut datagram, timeouts and close, many senders at once, and a connected {@link
 * MessageConnection} over the same transport.
 *
 * <p>A transport runs it with a subclass that supplies {@link #newEndpoint()} (a fresh endpoint to
 * bind, such as {@code udp://127.0.0.1:0}) and {@link #options()}; it may state {@link
 * #transportMaxMessageSize()}, its largest datagram, which otherwise is asked of the provider.
 * Datagrams are sent on loopback and at modest rates; where many are sent, each is acknowledged and
 * resent until it is, so that a datagram dropped by the kernel costs time, not the test.
 */
@Timeout(30)
public abstract class DatagramEndpointContract extends TransportContract {
  private static final int DEFAULT_MAX = 4 << 20;

  /** Binds a fresh endpoint with {@code options}, closed after the test. */
  protected final DatagramEndpoint bind(IpcOptions options) throws IOException {
    return closeAfter(Ipc.bind(newEndpoint(), options));
  }

  /** Binds a fresh endpoint with {@link #options()}, closed after the test. */
  protected final DatagramEndpoint bind() throws IOException {
    return bind(options());
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(US_ASCII));
  }

  private static String text(ByteBuffer b) {
    return US_ASCII.decode(b.duplicate()).toString();
  }

  /** The largest datagram with the default options. */
  private int defaultMax() throws IOException {
    return Math.min(DEFAULT_MAX, transportMaxMessageSize());
  }

  @Test
  void roundTripsADatagramAndReportsItsSender() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    assertNotEquals(a.localEndpoint(), b.localEndpoint());
    assertEquals(newEndpoint().scheme(), a.localEndpoint().scheme());
    if (a.localEndpoint().isInet()) {
      assertNotEquals(0, a.localEndpoint().port(), "port 0 resolved");
    }

    ByteBuffer ping = ascii("ping");
    a.send(b.localEndpoint(), ping);
    assertFalse(ping.hasRemaining(), "send advances the position to the limit");
    Datagram d = b.receive();
    assertEquals(a.localEndpoint(), d.sender());
    assertEquals(0, d.payload().position());
    assertEquals("ping", text(d.payload()));

    b.send(d.sender(), ascii("pong"));
    Datagram reply = a.receive();
    assertEquals(b.localEndpoint(), reply.sender());
    assertEquals("pong", text(reply.payload()));
  }

  @Test
  void receiveIntoABufferReturnsTheSenderAndAllocatesNothingPerDatagram() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    DatagramEndpoint c = bind();
    a.send(b.localEndpoint(), ascii("one"));
    a.send(b.localEndpoint(), ascii("two"));
    c.send(b.localEndpoint(), ascii("three"));

    ByteBuffer dst = ByteBuffer.allocateDirect(64).position(5);
    Endpoint first = b.receive(dst);
    assertEquals(a.localEndpoint(), first);
    assertEquals(8, dst.position(), "the position advances by the length");
    assertEquals(64, dst.limit(), "the limit stays");
    assertEquals("one", text(dst.duplicate().flip().position(5)));
    Endpoint second = b.receive(dst.clear());
    assertSame(first, second, "a repeated sender is reported without a new endpoint");
    assertEquals(c.localEndpoint(), b.receive(dst.clear()));

    // Warm up, then count what the receiving thread allocates over many datagrams.
    com.sun.management.ThreadMXBean threads = allocationCounter();
    long allocated = 0;
    int rounds = 10;
    int perRound = 20;
    for (int round = 0; round < rounds; round++) {
      ByteBuffer m = ByteBuffer.allocateDirect(16);
      for (int i = 0; i < perRound; i++) {
        a.send(b.localEndpoint(), m.clear());
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < perRound; i++) {
        b.receive(dst.clear());
      }
      if (round >= rounds / 2) {
        allocated += threads.getCurrentThreadAllocatedBytes() - before;
      }
    }
    long perDatagram = allocated / (rounds / 2 * perRound);
    assertTrue(
        perDatagram < 32,
        "receive(ByteBuffer) allocated " + perDatagram + " bytes per datagram (expected none)");
  }

  private static com.sun.management.ThreadMXBean allocationCounter() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean
            && ((com.sun.management.ThreadMXBean) bean).isThreadAllocatedMemorySupported(),
        "this JVM does not count allocated bytes per thread");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) bean;
    if (!counter.isThreadAllocatedMemoryEnabled()) {
      counter.setThreadAllocatedMemoryEnabled(true);
    }
    return counter;
  }

  @Test
  void emptyDatagramsArriveAsEmpty() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    a.send(b.localEndpoint(), ByteBuffer.allocate(0));
    a.send(b.localEndpoint(), ByteBuffer.allocate(0));
    a.send(b.localEndpoint(), ascii("x"));
    Datagram d = b.receive();
    assertEquals(a.localEndpoint(), d.sender());
    assertEquals(0, d.payload().remaining());
    ByteBuffer dst = ByteBuffer.allocate(0);
    assertEquals(a.localEndpoint(), b.receive(dst), "an empty datagram fits an empty buffer");
    assertEquals("x", text(b.receive().payload()), "each empty datagram arrived on its own");
  }

  @Test
  void roundTripsADatagramOfTheMaximumSize() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    int max = defaultMax();
    assertEquals(max, a.maxMessageSize());
    byte[] payload = randomBytes(max, max);
    a.send(b.localEndpoint(), ByteBuffer.wrap(payload));
    Datagram d = b.receive();
    assertEquals(a.localEndpoint(), d.sender());
    assertBytesEqual(payload, bytesOf(d.payload()), "a datagram of " + max + " bytes");

    a.send(b.localEndpoint(), ByteBuffer.wrap(payload));
    ByteBuffer dst = ByteBuffer.allocateDirect(max);
    assertEquals(a.localEndpoint(), b.receive(dst), "a buffer of exactly the size");
    assertBytesEqual(payload, bytesOf(dst.flip()), "into a buffer");
  }

  @Test
  void maximumFollowsMaxMessageSizeBelowTheTransportsLimit() throws Exception {
    DatagramEndpoint small = bind(options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1000));
    assertEquals(1000, small.maxMessageSize());
    DatagramEndpoint big = bind(options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1 << 30));
    assertEquals(transportMaxMessageSize(), big.maxMessageSize(), "the transport's limit");
  }

  @Test
  void sendingOneByteOverTheMaximumFailsNamingTheSizeAndSendsNothing() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    int max = defaultMax();
    ByteBuffer tooBig = ByteBuffer.allocate(max + 1);
    MessageTooLargeException e =
        assertThrows(MessageTooLargeException.class, () -> a.send(b.localEndpoint(), tooBig));
    assertEquals(
        "message of "
            + (max + 1)
            + " bytes exceeds maxMessageSize "
            + max
            + " bytes, not sent: "
            + b.localEndpoint(),
        e.getMessage());
    assertEquals(max + 1, e.size());
    assertEquals(max, e.limit());
    assertEquals(0, tooBig.position(), "nothing was taken from the buffer");
    assertTrue(a.isOpen(), "the endpoint stays usable");

    a.send(b.localEndpoint(), ascii("next"));
    assertEquals("next", text(b.receive().payload()), "the next datagram arrives first");
  }

  @Test
  void datagramLargerThanTheCallersBufferFailsAndTheNextOneArrives() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind();
    a.send(b.localEndpoint(), ByteBuffer.wrap(randomBytes(100, 1)));
    a.send(b.localEndpoint(), ascii("next"));

    ByteBuffer small = ByteBuffer.allocate(60).position(10);
    MessageTooLargeException e =
        assertThrows(MessageTooLargeException.class, () -> b.receive(small));
    assertEquals(
        "message of 100 bytes does not fit the buffer's 50 remaining bytes, discarded: "
            + a.localEndpoint(),
        e.getMessage());
    assertEquals(100, e.size());
    assertEquals(50, e.limit());
    assertEquals(10, small.position(), "nothing was put in the buffer");
    assertTrue(b.isOpen(), "the endpoint stays usable");

    assertEquals(a.localEndpoint(), b.receive(small));
    assertEquals("next", text(small.flip().position(10)), "the next datagram arrives whole");
  }

  @Test
  void datagramOverTheReceiversMaximumIsReportedNeverCut() throws Exception {
    DatagramEndpoint a = bind();
    DatagramEndpoint b = bind(options().with(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024));
    for (boolean intoBuffer : new boolean[] {false, true}) {
      a.send(b.localEndpoint(), ByteBuffer.wrap(randomBytes(1025, 2)));
      a.send(b.localEndpoint(), ByteBuffer.wrap(randomBytes(1024, 3)));
      ByteBuffer dst = ByteBuffer.allocate(4096);
      MessageTooLargeException e =
          assertThrows(
              MessageTooLargeException.class,
              () -> {
                if (intoBuffer) {
                  b.receive(dst);
                } else {
                  b.receive();
                }
              });
      assertEquals(
          "received a message over maxMessageSize 1024 bytes, discarded: " + a.localEndpoint(),
          e.getMessage());
      assertEquals(1024, e.limit());
      assertTrue(e.size() > 1024, "size " + e.size());
      assertEquals(0, dst.position(), "nothing was put in the buffer");
      assertBytesEqual(
          randomBytes(1024, 3), bytesOf(b.receive().payload()), "the next datagram, whole");
    }
  }

  @Test
  void receiveTimesOutAfterTheReadTimeoutAndCloses() throws Exception {
    DatagramEndpoint b =
        bind(options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(200)));
    long start = System.nanoTime();
    SocketTimeoutException e = assertThrows(SocketTimeoutException.class, b::receive);
    assertTrue(
        System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190), "not before the timeout");
    assertEquals(
        "read timed out after 200 ms (readTimeout), endpoint closed: " + b.localEndpoint(),
        e.getMessage());
    assertFalse(b.isOpen(), "a timeout closes the endpoint");
    assertClosedChannel("receive() after the timeout", b::receive);
  }

  /**
   * A send blocked on a receiver that does not read ends at the write timeout, which closes the
   * endpoint, while another thread sends to a receiver with room; that one waits its turn and finds
   * the endpoint closed. Only on {@code unixgram}, where a send waits while the receiver's queue is
   * full ({@code udp} drops the datagram instead), and where closing the socket does not wake the
   * send, so that the kernel's send timeout has to. (That the other send does not clear the blocked
   * one's deadline is {@code SocketDatagramEndpointTest}'s: here the kernel would end it anyway.)
   */
  @Test
  void writeTimeoutEndsASendBlockedWhileAnotherSends() throws Exception {
    DatagramEndpoint sender =
        bind(options().with(StandardIpcOptions.WRITE_TIMEOUT, Duration.ofMillis(300)));
    assumeTrue(
        sender.localEndpoint().isUnix(),
        "only a unixgram send waits for a receiver that does not read");
    Endpoint deaf = bind().localEndpoint();
    DatagramEndpoint listening = bind();
    Call<Void> flood =
        start(
            "send to a receiver that does not read",
            () -> {
              for (; ; ) {
                sender.send(deaf, ascii("x"));
              }
            });
    assertTrue(flood.awaitBlocked(STEP), "sends should block once the receiver's queue is full");
    long start = System.nanoTime();
    Call<Void> other =
        start(
            "send to a receiver with room",
            () -> {
              sender.send(listening.localEndpoint(), ascii("y"));
              return null;
            });
    Throwable timeout = flood.failure(STEP);
    assertInstanceOf(SocketTimeoutException.class, timeout, "the blocked send timed out");
    assertEquals(
        "write timed out after 300 ms (writeTimeout), endpoint closed: " + sender.localEndpoint(),
        timeout.getMessage());
    assertTrue(
        System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000),
        "the blocked send kept its own deadline");
    // The other send waited for the blocked one, whose timeout closed the endpoint; the timeout is
    // reported once, to the send that timed out.
    assertInstanceOf(ClosedChannelException.class, other.failure(STEP));
    assertFalse(sender.isOpen(), "a timeout closes the endpoint");
  }

  /**
   * A write timeout does not time receives out: on {@code unixgram} the kernel's send timeout,
   * which enforces it, times receives out too, and they must wait on, on a bound endpoint and on a
   * connection alike.
   */
  @Test
  void writeTimeoutLeavesReceivesWaiting() throws Exception {
    IpcOptions writeTimeout =
        options().with(StandardIpcOptions.WRITE_TIMEOUT, Duration.ofMillis(50));
    DatagramEndpoint server = bind(writeTimeout);
    MessageConnection client =
        closeAfter(Ipc.connectMessages(server.localEndpoint(), writeTimeout));
    Call<Datagram> serverReceive = start("receive on the endpoint", server::receive);
    Call<ByteBuffer> clientReceive = start("receive on the connection", client::receive);
    long start = System.nanoTime();
    // What is under test is time passing: several of the kernel's receive timeouts.
    awaitCondition(
        STEP,
        "four write timeouts to pass",
        () -> System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(200));
    assertFalse(serverReceive.future().isDone(), "the endpoint's receive waits on");
    assertFalse(clientReceive.future().isDone(), "the connection's receive waits on");
    client.send(ascii("ping"));
    Datagram ping = serverReceive.get(STEP);
    assertEquals("ping", text(ping.payload()));
    server.send(ping.sender(), ascii("pong"));
    assertEquals("pong", text(clientReceive.get(STEP)));
  }

  @Test
  void closingFromAnotherThreadUnblocksReceive() throws Exception {
    DatagramEndpoint b = bind();
    Call<Datagram> receive = start("receive", b::receive);
    assertTrue(receive.awaitBlocked(STEP), "receive should block on a silent endpoint");
    b.close();
    assertInstanceOf(AsynchronousCloseException.class, receive.failure(STEP));
    assertFalse(b.isOpen());
    b.close();
    assertClosedChannel("receive() after close()", b::receive);
    assertClosedChannel(
        "receive(ByteBuffer) after close()", () -> b.receive(ByteBuffer.allocate(8)));
    assertThrows(ClosedChannelException.class, () -> b.send(b.localEndpoint(), ascii("x")));
  }

  @Test
  void sendingToAnotherKindOfEndpointFailsNamingIt() throws Exception {
    DatagramEndpoint a = bind();
    Endpoint stream =
        a.localEndpoint().isUnix()
            ? Endpoint.parse("unix:///tmp/ipc4j-not-a-datagram.sock")
            : Endpoint.parse("tcp://127.0.0.1:9");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.send(stream, ascii("x")));
    assertEquals(
        "cannot send from "
            + a.localEndpoint()
            + " to another kind of endpoint (expected: "
            + (a.localEndpoint().isUnix() ? "unixgram" : "udp, udp4 or udp6")
            + "): "
            + stream,
        e.getMessage());
  }

  /**
   * Several senders, each sending numbered datagrams one at a time and resending until the receiver
   * acknowledges: every datagram is accounted for exactly once, with its sender, whatever the
   * kernel drops.
   */
  @Test
  void manyDatagramsFromSeveralSendersAreAllAccountedFor() throws Exception {
    int senders = 4;
    int perSender = 100;
    DatagramEndpoint receiver = bind();
    List<DatagramEndpoint> endpoints = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      endpoints.add(bind());
    }
    Call<Map<Endpoint, Set<Integer>>> receiving =
        start(
            "receiver",
            () -> {
              Map<Endpoint, Set<Integer>> seen = new HashMap<>();
              ByteBuffer dst = ByteBuffer.allocateDirect(Integer.BYTES + 100);
              try {
                while (true) {
                  Endpoint from = receiver.receive(dst.clear());
                  int seq = dst.flip().getInt();
                  assertBytesEqual(randomBytes(seq % 100, seq), bytesOf(dst), "payload " + seq);
                  seen.computeIfAbsent(from, k -> new HashSet<>()).add(seq);
                  receiver.send(from, dst.rewind()); // the acknowledgement echoes the number
                }
              } catch (ClosedChannelException closedOnceAllAreAcknowledged) {
                return seen;
              }
            });
    List<Call<Integer>> sending = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      DatagramEndpoint sender = endpoints.get(s);
      LinkedBlockingQueue<Integer> acks = new LinkedBlockingQueue<>();
      Call<Void> acknowledged =
          start(
              "acks-" + s,
              () -> {
                ByteBuffer dst = ByteBuffer.allocate(Integer.BYTES + 100);
                while (true) {
                  sender.receive(dst.clear()); // ends when the endpoint closes
                  acks.add(dst.flip().getInt());
                }
              });
      sending.add(
          start(
              "sender-" + s,
              () -> {
                int resent = 0;
                ByteBuffer m = ByteBuffer.allocate(Integer.BYTES + 100);
                for (int seq = 0; seq < perSender; seq++) {
                  m.clear().putInt(seq).put(randomBytes(seq % 100, seq)).flip();
                  while (true) {
                    sender.send(receiver.localEndpoint(), m.duplicate());
                    Integer ack = acks.poll(500, TimeUnit.MILLISECONDS);
                    while (ack != null && ack != seq) {
                      ack = acks.poll(); // a late acknowledgement of a resent datagram
                    }
                    if (ack != null) {
                      break;
                    }
                    if (acknowledged.future().isDone() || receiving.future().isDone()) {
                      acknowledged.get(STEP); // throws what ended it
                      receiving.get(STEP);
                      throw new AssertionError("the receiving threads ended early");
                    }
                    resent++;
                  }
                }
                return resent;
              }));
    }
    int resent = 0;
    for (Call<Integer> s : sending) {
      resent += s.get(STEP.multipliedBy(2));
    }
    receiver.close();
    Map<Endpoint, Set<Integer>> seen = receiving.get(STEP);
    assertEquals(senders, seen.size(), "senders seen: " + seen.keySet());
    for (DatagramEndpoint sender : endpoints) {
      Set<Integer> numbers = seen.get(sender.localEndpoint());
      assertNotNull(numbers, "nothing from " + sender.localEndpoint() + ": " + seen.keySet());
      assertEquals(perSender, numbers.size(), "datagrams from " + sender.localEndpoint());
    }
    assertTrue(resent < senders * perSender / 10, resent + " datagrams resent on loopback");
    for (DatagramEndpoint sender : endpoints) {
      sender.close(); // ends the acknowledgement threads
    }
  }

  @Test
  void connectedMessageConnectionRoundTripsThroughABoundEndpoint() throws Exception {
    DatagramEndpoint server = bind();
    try (MessageConnection client = Ipc.connectMessages(server.localEndpoint(), options())) {
      assertEquals(server.localEndpoint(), client.remoteEndpoint());
      assertEquals(defaultMax(), client.maxMessageSize());
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> client.send(ByteBuffer.allocate(0)));
      assertTrue(
          refused.getMessage().contains(server.localEndpoint().toString()),
          "a connected socket sends no empty datagram, and says to whom: " + refused);
      client.send(ascii("hello"));
      Datagram d = server.receive();
      assertEquals("hello", text(d.payload()), "nothing was sent for the refused message");
      assertEquals(client.localEndpoint(), d.sender(), "the client's address, which it answers on");

      server.send(d.sender(), ascii("welcome"));
      assertEquals("welcome", text(client.receive()));
      server.send(d.sender(), ByteBuffer.allocate(0));
      ByteBuffer dst = ByteBuffer.allocate(16);
      assertEquals(0, client.receive(dst), "an empty datagram is an empty message");

      byte[] big = randomBytes(defaultMax(), 5);
      server.send(d.sender(), ByteBuffer.wrap(big));
      assertBytesEqual(big, bytesOf(client.receive()), "a message of the maximum size");
      MessageTooLargeException e =
          assertThrows(
              MessageTooLargeException.class,
              () -> client.send(ByteBuffer.allocate(defaultMax() + 1)));
      assertEquals(
          "message of "
              + (defaultMax() + 1)
              + " bytes exceeds maxMessageSize "
              + defaultMax()
              + " bytes, not sent: "
              + server.localEndpoint(),
          e.getMessage());
      assertTrue(client.isOpen(), "the connection stays usable");
    }
  }
}
