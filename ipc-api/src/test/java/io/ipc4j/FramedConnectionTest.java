package io.ipc4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.spi.StreamSocket;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends and receives of {@link FramedConnection} over a real loopback TCP pair, with the JDK's
 * channels standing in for a transport: the frames on the wire, one write per small message, one
 * gathering write per large one or per 512 frames of a batch, the checks that keep a bad batch off
 * the wire, and a socket that writes a few bytes at a time.
 */
@Timeout(30)
class FramedConnectionTest {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable r : resources) {
      r.close();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(t.isAlive(), t.getName() + " still running");
    }
  }

  @Test
  void writesBatchAsConsecutiveFramesAndAdvancesPositions() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    ByteBuffer[] batch = {ascii("hello"), ByteBuffer.allocate(0), ascii("abc")};
    p.sender.sendAll(batch);
    for (ByteBuffer m : batch) {
      assertFalse(m.hasRemaining(), "the position advances to the limit");
    }
    byte[] wire = readExactly(p.receiverChannel, 4 + 5 + 4 + 4 + 3);
    assertArrayEquals(
        new byte[] {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c'},
        wire);
  }

  @Test
  void sendsRangeOnlyAndRangesOfLengthZeroSendNothing() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    ByteBuffer[] batch = {ascii("a"), ascii("bc"), ascii("def"), ascii("g")};
    p.sender.sendAll();
    p.sender.sendAll(batch, 4, 0);
    assertEquals(0, p.socket.gatheringWrites.size(), "a batch of none writes nothing");
    p.sender.sendAll(batch, 1, 2);
    assertEquals("bc", US_ASCII.decode(p.receiver.receive()).toString());
    assertEquals("def", US_ASCII.decode(p.receiver.receive()).toString());
    assertEquals(1, batch[0].remaining(), "messages outside the range stay as they were");
    assertEquals(1, batch[3].remaining(), "messages outside the range stay as they were");
  }

  @Test
  void writesAtMost512FramesPerGatheringWrite() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    int count = 2 * FramedConnection.MAX_FRAMES_PER_WRITE + 176;
    ByteBuffer[] batch = new ByteBuffer[count];
    for (int i = 0; i < count; i++) {
      batch[i] = ByteBuffer.wrap(payload(64, i));
    }
    CompletableFuture<Void> send = background("send", () -> p.sender.sendAll(batch));
    for (int i = 0; i < count; i++) {
      assertArrayEquals(payload(64, i), bytesOf(p.receiver.receive()), "message " + i);
    }
    send.get(10, TimeUnit.SECONDS);

    // A write that the socket takes only in part is continued by calls that start later in the
    // same array; each chunk's first call starts at 0.
    List<Integer> chunks = new ArrayList<>();
    for (int[] call : p.socket.gatheringWrites) {
      assertTrue(call[1] <= 1024, "at most IOV_MAX buffers per write: " + call[1]);
      if (call[0] == 0) {
        chunks.add(call[1]);
      }
    }
    assertEquals(List.of(1024, 1024, 352), chunks, "buffers of each chunk's first write");
    assertEquals(0, p.socket.singleWrites, "no write of one buffer");
  }

  /**
   * Large single sends and batches share one frame array, whose header slots grow with the batches,
   * and small single sends are copied into a buffer of their own: each message still goes out under
   * its own length, however the sends before it were made, and over a socket that takes 50 bytes at
   * a time.
   */
  @Test
  void singleSendsAndGrowingBatchesFrameEveryMessageUnderItsOwnLength() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, 50);
    int[] batchSizes = {1, 3, 1, 1, 2, FramedConnection.MAX_FRAMES_PER_WRITE + 188, 1, 5, 1, 1};
    List<byte[]> sent = new ArrayList<>();
    List<ByteBuffer[]> calls = new ArrayList<>();
    for (int size : batchSizes) {
      ByteBuffer[] batch = new ByteBuffer[size];
      for (int i = 0; i < size; i++) {
        // Single sends at even places in the list too large to be copied, the others small.
        boolean large = size == 1 && calls.size() % 2 == 0;
        int length = large ? FramedConnection.COALESCE_MAX + calls.size() : sent.size() % 37;
        byte[] bytes = payload(length, sent.size());
        sent.add(bytes);
        batch[i] = ByteBuffer.wrap(bytes);
      }
      calls.add(batch);
    }
    CompletableFuture<Void> send =
        background(
            "send",
            () -> {
              for (ByteBuffer[] batch : calls) {
                if (batch.length == 1) {
                  p.sender.send(batch[0]);
                } else {
                  p.sender.sendAll(batch);
                }
              }
            });
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), bytesOf(p.receiver.receive()), "message " + i);
    }
    send.get(10, TimeUnit.SECONDS);
  }

  /** A read-only buffer is refused before the header is read: the message waits for the next. */
  @Test
  void refusesAReadOnlyBufferAndKeepsTheMessageForTheNextReceive() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    p.sender.send(ascii("hello"));
    ByteBuffer readOnly = ByteBuffer.allocate(16).asReadOnlyBuffer();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.receiver.receive(readOnly));
    assertEquals(
        "read-only buffer (expected: a writable one to receive into): " + readOnly, e.getMessage());
    ByteBuffer dst = ByteBuffer.allocate(16);
    assertEquals(5, p.receiver.receive(dst));
    assertEquals("hello", US_ASCII.decode(dst.flip()).toString());
  }

  /**
   * A send that fails after part of a frame went out (the JDK's temporary buffer for the next
   * write, say) closes the connection: the next frame would follow the part out of step.
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {5, FramedConnection.COALESCE_MAX + 1})
  void aSendBrokenOffInAFrameClosesTheConnection(int size) throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, 3);
    p.socket.writesBeforeFailure.set(2);
    assertThrows(
        IllegalStateException.class, () -> p.sender.send(ByteBuffer.wrap(payload(size, 1))));
    assertFalse(p.sender.isOpen(), "closed: part of the frame went out");
    assertThrows(EOFException.class, p.receiver::receive, "the peer sees a frame cut short");
  }

  /** A send that fails before any of its bytes went out leaves the connection in step. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {4, FramedConnection.COALESCE_MAX + 1})
  void aSendFailingBeforeItsFirstByteKeepsTheConnection(int size) throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    p.socket.writesBeforeFailure.set(0);
    ByteBuffer lost = ByteBuffer.wrap(payload(size, 1));
    assertThrows(IllegalStateException.class, () -> p.sender.send(lost));
    assertEquals(size, lost.remaining(), "nothing of the message went out");
    assertTrue(p.sender.isOpen());
    p.sender.send(ascii("next"));
    assertEquals("next", US_ASCII.decode(p.receiver.receive()).toString());
  }

  /**
   * A message of up to {@link FramedConnection#COALESCE_MAX} bytes goes out as one plain write of
   * header and payload, whatever its buffer (heap, direct, read-only, a position past 0); a larger
   * one as one gathering write. Every position advances to its limit.
   */
  @Test
  void sendsASmallMessageAsOnePlainWriteAndALargeOneGathered() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    byte[] most = payload(FramedConnection.COALESCE_MAX, 2);
    ByteBuffer direct = ByteBuffer.allocateDirect(most.length).put(most).flip();
    ByteBuffer offset = ByteBuffer.wrap(payload(40, 3));
    offset.position(10).limit(30);
    ByteBuffer[] small = {
      ByteBuffer.allocate(0), ascii("x").asReadOnlyBuffer(), offset, direct,
    };
    for (ByteBuffer m : small) {
      p.sender.send(m);
      assertFalse(m.hasRemaining(), "the position advances to the limit");
    }
    assertEquals(small.length, p.socket.singleWrites, "one plain write per small message");
    assertEquals(0, p.socket.gatheringWrites.size(), "no gathering write for a small message");

    ByteBuffer large = ByteBuffer.wrap(payload(FramedConnection.COALESCE_MAX + 1, 4));
    CompletableFuture<Void> send = background("send", () -> p.sender.send(large));
    assertEquals(0, p.receiver.receive().remaining());
    assertEquals("x", US_ASCII.decode(p.receiver.receive()).toString());
    assertArrayEquals(Arrays.copyOfRange(payload(40, 3), 10, 30), bytesOf(p.receiver.receive()));
    assertArrayEquals(most, bytesOf(p.receiver.receive()));
    assertArrayEquals(payload(FramedConnection.COALESCE_MAX + 1, 4), bytesOf(p.receiver.receive()));
    send.get(10, TimeUnit.SECONDS);
    assertFalse(large.hasRemaining(), "the position advances to the limit");
    assertEquals(small.length, p.socket.singleWrites, "the large message was not copied");
    assertEquals(1, p.socket.gatheringWrites.size(), "the large message was gathered");
  }

  /**
   * The buffer small messages are copied into is as large as the first one needed, so that a
   * connection that sent one short answer holds little; it grows at least twofold, never past a
   * frame of {@link FramedConnection#COALESCE_MAX} bytes, and is reused while large enough.
   */
  @Test
  void sizesTheCopyBufferToTheMessagesSent() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    int[] sizes = {60, 10, 61, 200, 100, 3000, FramedConnection.COALESCE_MAX, 1};
    int[] capacities = {64, 64, 128, 256, 256, 3004, 4100, 4100};
    for (int i = 0; i < sizes.length; i++) {
      p.sender.send(ByteBuffer.wrap(payload(sizes[i], i)));
      assertEquals(
          capacities[i], p.socket.lastSingle.capacity(), "after a message of " + sizes[i] + " B");
    }
    for (int i = 0; i < sizes.length; i++) {
      assertArrayEquals(payload(sizes[i], i), bytesOf(p.receiver.receive()), "message " + i);
    }
  }

  /**
   * A message too large for the caller's buffer is skipped; a failure while skipping it leaves part
   * of it unread, so the connection closes rather than read the rest as a header.
   */
  @Test
  void aSkipBrokenOffClosesTheConnection() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    CompletableFuture<Void> send =
        background("send", () -> p.sender.send(ByteBuffer.wrap(payload(1 << 20, 3))));
    p.receiverSocket.readsBeforeFailure.set(3);
    assertThrows(IllegalStateException.class, () -> p.receiver.receive(ByteBuffer.allocate(16)));
    assertFalse(p.receiver.isOpen(), "closed in the middle of a message");
    send.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
  }

  /**
   * The JDK reads into a heap buffer through a temporary direct buffer of the size asked for, and
   * keeps it with the thread: a large message is read 64 KiB at a time, so that a server thread
   * keeps at most that much after it.
   */
  @Test
  void readsALargeMessageIntoTheHeapAtMost64KiBPerRead() throws Exception {
    Pair p = pair(IpcOptions.of(StandardIpcOptions.MAX_MESSAGE_SIZE, 8 << 20), Integer.MAX_VALUE);
    byte[] large = payload(4 << 20, 7);
    CompletableFuture<Void> send = background("send", () -> p.sender.send(ByteBuffer.wrap(large)));
    assertArrayEquals(large, bytesOf(p.receiver.receive()), "receive()");
    send.get(10, TimeUnit.SECONDS);
    ByteBuffer into = ByteBuffer.allocate(large.length);
    send = background("send", () -> p.sender.send(ByteBuffer.wrap(large)));
    assertEquals(large.length, p.receiver.receive(into), "receive(dst)");
    send.get(10, TimeUnit.SECONDS);
    assertArrayEquals(large, into.array(), "receive(dst)");
    assertTrue(
        p.receiverSocket.largestHeapRead <= 64 * 1024,
        "largest read into the heap: " + p.receiverSocket.largestHeapRead + " bytes");
  }

  @Test
  void reusesHeadersAndBufferArrayOnceGrown() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    ByteBuffer[] batch = new ByteBuffer[600];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < batch.length; i++) {
        batch[i] = ByteBuffer.wrap(payload(16, i));
      }
      CompletableFuture<Void> send = background("send", () -> p.sender.sendAll(batch));
      for (int i = 0; i < batch.length; i++) {
        assertArrayEquals(payload(16, i), bytesOf(p.receiver.receive()), "message " + i);
      }
      send.get(10, TimeUnit.SECONDS);
    }
    ByteBuffer[] array = p.socket.lastArray;
    ByteBuffer firstHeader = p.socket.firstHeader;
    p.sender.sendAll(ascii("x"), ascii("y"));
    assertSame(array, p.socket.lastArray, "the same buffer array for every batch");
    assertSame(firstHeader, p.socket.firstHeader, "the same header buffers for every batch");
    for (String m : new String[] {"x", "y"}) {
      assertEquals(m, US_ASCII.decode(p.receiver.receive()).toString());
    }
    byte[] large = payload(FramedConnection.COALESCE_MAX + 1, 5);
    CompletableFuture<Void> send = background("send", () -> p.sender.send(ByteBuffer.wrap(large)));
    assertArrayEquals(large, bytesOf(p.receiver.receive()));
    send.get(10, TimeUnit.SECONDS);
    assertSame(array, p.socket.lastArray, "a large send uses the batch's array too");
    assertSame(firstHeader, p.socket.firstHeader, "and its first header");
  }

  @Test
  void arrivesWholeThroughASocketThatWritesSevenBytesAtATime() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, 7);
    int count = FramedConnection.MAX_FRAMES_PER_WRITE + 88;
    ByteBuffer[] batch = new ByteBuffer[count];
    for (int i = 0; i < count; i++) {
      batch[i] = ByteBuffer.wrap(payload(i % 97, i));
    }
    CompletableFuture<Void> send = background("send", () -> p.sender.sendAll(batch));
    for (int i = 0; i < count; i++) {
      assertArrayEquals(payload(i % 97, i), bytesOf(p.receiver.receive()), "message " + i);
    }
    send.get(10, TimeUnit.SECONDS);
    for (ByteBuffer m : batch) {
      assertFalse(m.hasRemaining(), "the position advances to the limit");
    }
  }

  @Test
  void rejectsBatchWithMessageOverMaximumWithoutSendingAny() throws Exception {
    Pair p = pair(IpcOptions.of(StandardIpcOptions.MAX_MESSAGE_SIZE, 1024), Integer.MAX_VALUE);
    ByteBuffer[] batch = {ascii("a"), ascii("b"), ByteBuffer.allocate(1025), ascii("c")};
    MessageTooLargeException e =
        assertThrows(MessageTooLargeException.class, () -> p.sender.sendAll(batch));
    assertEquals(
        "messages[2] of 1025 bytes exceeds maxMessageSize 1024 bytes, none of the batch sent: "
            + p.sender.remoteEndpoint(),
        e.getMessage());
    assertEquals(1025, e.size());
    assertEquals(1024, e.limit());
    assertEquals(0, p.socket.gatheringWrites.size(), "nothing written");
    assertEquals(1, batch[0].remaining(), "positions untouched");
    assertTrue(p.sender.isOpen(), "the connection stays usable");
    p.sender.sendAll(batch, 3, 1);
    assertEquals("c", US_ASCII.decode(p.receiver.receive()).toString(), "the next batch first");
  }

  @Test
  void rejectsNullMessageNamingItsIndexWithoutSendingAny() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> p.sender.sendAll(ascii("a"), ascii("b"), ascii("c"), null));
    assertEquals("messages[3] is null, none of the batch sent", e.getMessage());
    assertEquals(
        "messages",
        assertThrows(NullPointerException.class, () -> p.sender.sendAll((ByteBuffer[]) null))
            .getMessage());
    assertEquals(0, p.socket.gatheringWrites.size(), "nothing written");
  }

  @Test
  void rejectsRangeOutsideTheArray() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    ByteBuffer[] batch = {ascii("a"), ascii("b"), ascii("c")};
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> p.sender.sendAll(batch, 2, 2));
    assertEquals("Range [2, 2 + 2) out of bounds for length 3", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> p.sender.sendAll(batch, -1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> p.sender.sendAll(batch, 0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> p.sender.sendAll(batch, 4, 0));
    assertEquals(0, p.socket.gatheringWrites.size(), "nothing written");
  }

  @Test
  void batchesOfTwoThreadsDoNotInterleave() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    int batches = 20;
    int perBatch = 700;
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int t = 1; t <= 2; t++) {
      byte sender = (byte) t;
      senders.add(
          background(
              "sender-" + t,
              () -> {
                for (int b = 0; b < batches; b++) {
                  ByteBuffer[] batch = new ByteBuffer[perBatch];
                  for (int i = 0; i < perBatch; i++) {
                    batch[i] = ByteBuffer.allocate(3).put(sender).put((byte) b).put((byte) i);
                    batch[i].flip();
                  }
                  p.sender.sendAll(batch);
                }
              }));
    }
    int[] next = new int[3];
    for (int n = 0; n < 2 * batches; n++) {
      ByteBuffer first = p.receiver.receive();
      byte sender = first.get(0);
      assertEquals(next[sender], first.get(1), "batch of sender " + sender);
      for (int i = 1; i < perBatch; i++) {
        ByteBuffer m = p.receiver.receive();
        assertEquals(sender, m.get(0), "a message of another batch inside batch " + n);
        assertEquals((byte) i, m.get(2), "message order inside the batch");
      }
      next[sender]++;
    }
    for (CompletableFuture<Void> s : senders) {
      s.get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Of a large message, only what came with its header passes through the read buffer (at most the
   * buffer, 64 KiB); the rest is read straight into the destination.
   */
  @Test
  void readsTheRestOfALargeMessageStraightIntoItsDestination() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    int size = 256 * 1024;
    int count = 20;
    CompletableFuture<Void> sent =
        background(
            "sender",
            () -> {
              ByteBuffer message = ByteBuffer.allocateDirect(size);
              for (int i = 0; i < count; i++) {
                message.clear().put(0, (byte) i).put(size - 1, (byte) i);
                p.sender.send(message);
              }
            });
    ByteBuffer dst = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < count; i++) {
      assertEquals(size, p.receiver.receive(dst.clear()));
      assertEquals((byte) i, dst.get(0), "message " + i + ", first byte");
      assertEquals((byte) i, dst.get(size - 1), "message " + i + ", last byte");
    }
    sent.get(10, TimeUnit.SECONDS);
    long direct = p.receiverSocket.readInto.getOrDefault(dst, 0L);
    assertTrue(
        direct >= (long) count * (size - 64 * 1024),
        "bytes read straight into the destination: " + direct + " of " + (long) count * size);
  }

  @Test
  @Timeout(30)
  void aMessageCutShortByADrainEndsTheConversationRatherThanFailingIt() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    // The header of a 10-byte message and its first 3 bytes: the receiver reads them, then waits.
    p.socket.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1, 2, 3}));
    ByteBuffer dst = ByteBuffer.allocate(16);
    CompletableFuture<Integer> received = new CompletableFuture<>();
    background("receiver", () -> received.complete(p.receiver.receive(dst)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (readBytes(p.receiverSocket) < 7) {
      assertTrue(System.nanoTime() < deadline, "the receiver read the first bytes");
      Thread.onSpinWait();
    }
    // Inside a message, not idle at a boundary: the drain only marks the connection, and then the
    // rest of the message never comes.
    p.receiver.drain();
    p.socket.shutdownOutput();

    assertEquals(-1, received.get(10, TimeUnit.SECONDS));
    assertEquals(0, dst.position(), "nothing of the cut message is left in dst");
  }

  @Test
  @Timeout(30)
  void aMessageCutShortWithoutADrainIsStillATruncatedMessage() throws Exception {
    Pair p = pair(IpcOptions.DEFAULTS, Integer.MAX_VALUE);
    p.socket.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1, 2, 3}));
    p.socket.shutdownOutput();

    java.io.EOFException e =
        assertThrows(java.io.EOFException.class, () -> p.receiver.receive(ByteBuffer.allocate(16)));
    assertTrue(e.getMessage().contains("inside a message of 10 bytes"), e.getMessage());
  }

  private static long readBytes(RecordingSocket socket) {
    synchronized (socket.readInto) {
      return socket.readInto.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  // --- fixture ---

  /** A framed sender over a recording socket and a framed receiver, over loopback TCP. */
  private static final class Pair {
    final FramedConnection sender;
    final RecordingSocket socket;
    final FramedConnection receiver;
    final RecordingSocket receiverSocket;
    final SocketChannel receiverChannel;

    Pair(
        FramedConnection sender,
        RecordingSocket socket,
        FramedConnection receiver,
        RecordingSocket receiverSocket,
        SocketChannel receiverChannel) {
      this.sender = sender;
      this.socket = socket;
      this.receiver = receiver;
      this.receiverSocket = receiverSocket;
      this.receiverChannel = receiverChannel;
    }
  }

  /**
   * @param writeLimit the most bytes the sender's socket takes per write call (a hostile socket
   *     when small)
   */
  private Pair pair(IpcOptions options, int writeLimit) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    resources.add(server);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    SocketChannel a = SocketChannel.open(server.getLocalAddress());
    resources.add(a);
    SocketChannel b = server.accept();
    resources.add(b);
    RecordingSocket socket = new RecordingSocket(a, writeLimit);
    FramedConnection sender =
        new FramedConnection(
            new SocketConnection(socket, socket.localEndpoint(), options), options);
    resources.add(sender);
    RecordingSocket other = new RecordingSocket(b, Integer.MAX_VALUE);
    FramedConnection receiver =
        new FramedConnection(new SocketConnection(other, other.localEndpoint(), options), options);
    resources.add(receiver);
    return new Pair(sender, socket, receiver, other, b);
  }

  /**
   * A {@link StreamSocket} over a JDK channel that records its writes and takes at most {@code
   * writeLimit} bytes per call.
   */
  private static final class RecordingSocket implements StreamSocket {
    private final SocketChannel channel;
    private final int writeLimit;
    private final Endpoint local;
    private final Endpoint remote;

    /** Offset and length of each gathering write. */
    final List<int[]> gatheringWrites = Collections.synchronizedList(new ArrayList<>());

    volatile int singleWrites;
    volatile ByteBuffer lastSingle;
    volatile ByteBuffer[] lastArray;
    volatile ByteBuffer firstHeader;

    RecordingSocket(SocketChannel channel, int writeLimit) throws IOException {
      this.channel = channel;
      this.writeLimit = writeLimit;
      this.local = endpoint((InetSocketAddress) channel.getLocalAddress());
      this.remote = endpoint((InetSocketAddress) channel.getRemoteAddress());
    }

    private static Endpoint endpoint(InetSocketAddress a) {
      return Endpoint.parse("tcp://127.0.0.1:" + a.getPort());
    }

    /** Bytes read into each destination buffer, by identity. */
    final java.util.Map<ByteBuffer, Long> readInto =
        Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** The most bytes one read into a heap buffer asked for. */
    volatile int largestHeapRead;

    /**
     * How many more reads work before one throws, once, as a transport's bug or an OOM would; -1
     * for none.
     */
    final AtomicInteger readsBeforeFailure = new AtomicInteger(-1);

    /** The same, for writes. */
    final AtomicInteger writesBeforeFailure = new AtomicInteger(-1);

    private static void countDown(AtomicInteger callsBeforeFailure) {
      if (callsBeforeFailure.getAndUpdate(n -> n > 0 ? n - 1 : -1) == 0) {
        // Not an OutOfMemoryError, which JUnit takes for the end of the test JVM.
        throw new IllegalStateException("injected");
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      countDown(readsBeforeFailure);
      if (!dst.isDirect()) {
        largestHeapRead = Math.max(largestHeapRead, dst.remaining());
      }
      int n = channel.read(dst);
      if (n > 0) {
        readInto.merge(dst, (long) n, Long::sum);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      countDown(writesBeforeFailure);
      singleWrites++;
      lastSingle = src;
      if (writeLimit == Integer.MAX_VALUE) {
        return channel.write(src);
      }
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + Math.min(writeLimit, part.remaining()));
      int n = channel.write(part);
      src.position(part.position());
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      countDown(writesBeforeFailure);
      gatheringWrites.add(new int[] {offset, length});
      lastArray = srcs;
      if (offset == 0) {
        firstHeader = srcs[0];
      }
      if (writeLimit == Integer.MAX_VALUE) {
        return channel.write(srcs, offset, length);
      }
      // Hostile: the first buffer with bytes left, and at most writeLimit of them.
      int i = offset;
      while (i < offset + length - 1 && !srcs[i].hasRemaining()) {
        i++;
      }
      ByteBuffer part = srcs[i].duplicate();
      part.limit(part.position() + Math.min(writeLimit, part.remaining()));
      int n = channel.write(part);
      srcs[i].position(part.position());
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public Endpoint localEndpoint() {
      return local;
    }

    @Override
    public Endpoint remoteEndpoint() {
      return remote;
    }

    @Override
    public void shutdownInput() throws IOException {
      channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      channel.shutdownOutput();
    }

    @Override
    public Optional<PeerCredentials> peerCredentials() {
      return Optional.empty();
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  @FunctionalInterface
  private interface IoRunnable {
    void run() throws IOException;
  }

  /** Runs {@code body} on a platform thread joined after the test. */
  private CompletableFuture<Void> background(String name, IoRunnable body) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "test-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return done;
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(US_ASCII));
  }

  private static byte[] payload(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] bytesOf(ByteBuffer b) {
    assertNotNull(b, "a message");
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  private static byte[] readExactly(SocketChannel channel, int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("ended after " + buffer.position() + " of " + n + " bytes");
      }
    }
    return buffer.array();
  }
}
