package io.ipc4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link StreamConnection} and its {@link Listener}, for every stream transport:
 * bytes arrive in order and whole, half-close works, timeouts and closes unblock, and failures name
 * the endpoint.
 */
@Timeout(30)
public abstract class StreamConnectionContract extends TransportContract {

  /** A listener, a client connected to it and the server side of that connection. */
  protected record Connected(
      Listener<StreamConnection> listener, StreamConnection client, StreamConnection server)
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

  /** Listens on a new endpoint and connects one client, with {@code clientOptions}. */
  protected final Connected connect(IpcOptions clientOptions) throws IOException {
    Listener<StreamConnection> listener = Ipc.listen(newEndpoint(), options());
    try {
      StreamConnection client = Ipc.connect(listener.endpoint(), clientOptions);
      try {
        return new Connected(listener, client, listener.accept());
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
    return connect(options());
  }

  @Test
  void echoesBytesThroughChannelReadAndWrite() throws Exception {
    byte[] payload = randomBytes(1 << 20, 1);
    try (Connected c = connect()) {
      Call<Long> echo =
          start(
              "echo",
              () -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(8192);
                long total = 0;
                while (total < payload.length) {
                  buffer.clear();
                  int n = c.server().read(buffer);
                  if (n < 0) {
                    break;
                  }
                  total += n;
                  buffer.flip();
                  assertEquals(n, c.server().write(buffer));
                  assertFalse(buffer.hasRemaining(), "write must write all remaining bytes");
                }
                return total;
              });
      Call<Integer> send =
          start(
              "send",
              () -> {
                ByteBuffer src = ByteBuffer.wrap(payload);
                int n = c.client().write(src);
                assertFalse(src.hasRemaining(), "write must write all remaining bytes");
                return n;
              });
      byte[] echoed = readExactly(c.client(), payload.length);
      assertEquals(payload.length, send.get(STEP));
      assertEquals(payload.length, echo.get(STEP));
      assertBytesEqual(payload, echoed, "echoed bytes");
    }
  }

  @Test
  void echoesBytesThroughInputAndOutputStreams() throws Exception {
    byte[] payload = randomBytes(300_000, 2);
    try (Connected c = connect()) {
      Call<Long> echo =
          start(
              "echo",
              () -> {
                long n = c.server().inputStream().transferTo(c.server().outputStream());
                c.server().shutdownOutput();
                return n;
              });
      Call<Void> send =
          start(
              "send",
              () -> {
                OutputStream out = c.client().outputStream();
                out.write(payload, 0, 1000);
                out.write(payload, 1000, payload.length - 1000);
                out.flush();
                c.client().shutdownOutput();
                return null;
              });
      byte[] echoed = c.client().inputStream().readAllBytes();
      send.get(STEP);
      assertEquals(payload.length, echo.get(STEP));
      assertBytesEqual(payload, echoed, "echoed bytes");
    }
  }

  @Test
  void writesGatheredBuffersInOrder() throws Exception {
    try (Connected c = connect()) {
      ByteBuffer[] parts = {
        ByteBuffer.wrap("ab".getBytes(US_ASCII)),
        ByteBuffer.allocate(0),
        ByteBuffer.allocateDirect(3).put("cde".getBytes(US_ASCII)).flip(),
        ByteBuffer.wrap(randomBytes(200_000, 3))
      };
      long total = 5 + 200_000;
      Call<Long> send = start("send", () -> c.client().write(parts));
      byte[] received = readExactly(c.server(), (int) total);
      assertEquals(total, send.get(STEP));
      for (ByteBuffer part : parts) {
        assertFalse(part.hasRemaining(), "every buffer must be written whole");
      }
      assertEquals("abcde", new String(received, 0, 5, US_ASCII));
      byte[] tail = new byte[200_000];
      System.arraycopy(received, 5, tail, 0, tail.length);
      assertBytesEqual(randomBytes(200_000, 3), tail, "last buffer");
    }
  }

  @Test
  void shutdownOutputLetsPeerReadEndOfStreamAndStillReply() throws Exception {
    try (Connected c = connect()) {
      c.client().write(ByteBuffer.wrap("ping".getBytes(US_ASCII)));
      c.client().shutdownOutput();

      assertEquals("ping", new String(readExactly(c.server(), 4), US_ASCII));
      assertEquals(-1, c.server().read(ByteBuffer.allocate(16)), "peer reads end of stream");
      c.server().write(ByteBuffer.wrap("pong".getBytes(US_ASCII)));
      c.server().close();

      assertEquals("pong", new String(readExactly(c.client(), 4), US_ASCII));
      assertEquals(-1, c.client().read(ByteBuffer.allocate(16)));
      assertThrows(
          IOException.class,
          () -> c.client().write(ByteBuffer.wrap(new byte[] {1})),
          "writing after shutdownOutput must fail");
    }
  }

  @Test
  void shutdownInputEndsReadsAndKeepsWritesWorking() throws Exception {
    try (Connected c = connect()) {
      c.client().shutdownInput();
      assertEquals(-1, c.client().read(ByteBuffer.allocate(16)));
      assertEquals(-1, c.client().inputStream().read());
      c.client().write(ByteBuffer.wrap("still".getBytes(US_ASCII)));
      assertEquals("still", new String(readExactly(c.server(), 5), US_ASCII));
    }
  }

  /** Hostile variant: every write and every read moves a single byte. */
  @Test
  void carriesPayloadWrittenAndReadOneByteAtATime() throws Exception {
    byte[] up = randomBytes(64 * 1024, 4);
    byte[] down = randomBytes(64 * 1024, 5);
    try (Connected c = connect()) {
      Call<Void> clientWrites =
          start(
              "client-writes",
              () -> {
                OutputStream out = c.client().outputStream();
                for (byte b : up) {
                  out.write(b);
                }
                return null;
              });
      Call<Void> serverWrites =
          start(
              "server-writes",
              () -> {
                ByteBuffer one = ByteBuffer.allocateDirect(1);
                for (byte b : down) {
                  one.clear();
                  one.put(b).flip();
                  assertEquals(1, c.server().write(one));
                }
                return null;
              });
      Call<byte[]> serverReads =
          start(
              "server-reads",
              () -> {
                byte[] got = new byte[up.length];
                ByteBuffer one = ByteBuffer.allocate(1);
                for (int i = 0; i < got.length; i++) {
                  one.clear();
                  int n = c.server().read(one);
                  assertEquals(1, n, "a one-byte buffer reads one byte");
                  got[i] = one.get(0);
                }
                return got;
              });
      InputStream in = c.client().inputStream();
      byte[] got = new byte[down.length];
      for (int i = 0; i < got.length; i++) {
        int b = in.read();
        assertTrue(b >= 0 && b <= 255, "read() returns an unsigned byte, got " + b);
        got[i] = (byte) b;
      }
      clientWrites.get(STEP);
      serverWrites.get(STEP);
      assertBytesEqual(up, serverReads.get(STEP), "bytes written one at a time");
      assertBytesEqual(down, got, "bytes read one at a time");
    }
  }

  @Test
  void reportsBoundLocalAndRemoteEndpoints() throws Exception {
    Endpoint requested = newEndpoint();
    try (Listener<StreamConnection> listener = Ipc.listen(requested, options());
        StreamConnection client = Ipc.connect(listener.endpoint(), options());
        StreamConnection server = listener.accept()) {
      Endpoint bound = listener.endpoint();
      assertEquals(requested.scheme(), bound.scheme());
      if (requested.isInet()) {
        assertEquals(requested.host(), bound.host());
        if (requested.port() == 0) {
          assertNotEquals(0, bound.port(), "the listener reports the port the system chose");
        }
      } else {
        assertEquals(requested, bound);
      }
      assertEquals(bound, client.remoteEndpoint(), "client's remote endpoint");
      assertEquals(bound, server.localEndpoint(), "server side's local endpoint");
      assertEquals(client.localEndpoint(), server.remoteEndpoint(), "the two ends agree");
      assertEquals(bound, Endpoint.parse(bound.toString()));
    }
  }

  @Test
  void readTimeoutFailsWithSocketTimeoutNamingTimeoutAndEndpointThenCloses() throws Exception {
    IpcOptions withTimeout =
        options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(200));
    try (Connected c = connect(withTimeout)) {
      long start = System.nanoTime();
      SocketTimeoutException e =
          assertThrows(
              SocketTimeoutException.class, () -> c.client().read(ByteBuffer.allocate(16)));
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(elapsedMillis >= 200, "timed out early, after " + elapsedMillis + " ms");
      assertTrue(elapsedMillis < 5000, "timed out late, after " + elapsedMillis + " ms");
      assertTrue(e.getMessage().contains("200"), "message names the timeout: " + e.getMessage());
      assertTrue(
          e.getMessage().contains(c.listener().endpoint().toString()),
          "message names the endpoint: " + e.getMessage());
      assertFalse(c.client().isOpen(), "a timed-out connection is closed");
      assertEquals(-1, c.server().read(ByteBuffer.allocate(1)), "the peer sees the end");
    }
  }

  /**
   * Two reads at once under a read timeout: the one that gets the byte returns it, and the other,
   * waiting behind it, still has a deadline. (The deadline had one slot: the first read to end
   * disarmed the other's, which then waited for ever.)
   */
  @Test
  void aReadWaitingBehindAnotherStillTimesOut() throws Exception {
    IpcOptions withTimeout =
        options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(300));
    try (Connected c = connect(withTimeout)) {
      LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread reader =
            new Thread(
                () -> {
                  try {
                    outcomes.add(c.client().read(ByteBuffer.allocate(16)));
                  } catch (IOException e) {
                    outcomes.add(e);
                  }
                },
                "reader " + i);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
      // One read is in progress once the other waits for it (parked on a lock).
      awaitCondition(
          STEP,
          "one read to wait behind the other",
          () -> readers.stream().anyMatch(t -> t.getState() == Thread.State.WAITING));
      c.server().write(ByteBuffer.wrap(new byte[] {7}));
      List<Object> seen = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Object outcome = outcomes.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(outcome != null, "both reads ended: " + seen);
        seen.add(outcome);
      }
      assertTrue(seen.contains(1), "one read got the byte: " + seen);
      assertTrue(
          seen.stream().anyMatch(o -> o instanceof SocketTimeoutException),
          "the other timed out: " + seen);
    }
  }

  @Test
  void callsAfterReadTimeoutFailAsClosedNotAsNewTimeouts() throws Exception {
    IpcOptions withTimeout =
        options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(200));
    try (Connected c = connect(withTimeout)) {
      assertThrows(SocketTimeoutException.class, () -> c.client().read(ByteBuffer.allocate(16)));
      // Nothing blocked in these calls, so nothing timed out: the connection is simply closed.
      // (A caller that retries on SocketTimeoutException would otherwise spin for ever.)
      assertClosedChannel(
          "read after a read timeout", () -> c.client().read(ByteBuffer.allocate(1)));
      assertClosedChannel(
          "write after a read timeout", () -> c.client().write(ByteBuffer.wrap(new byte[] {1})));
    }
  }

  @Test
  void writeTimeoutFailsWithSocketTimeoutWhenPeerDoesNotRead() throws Exception {
    IpcOptions withTimeout =
        options().with(StandardIpcOptions.WRITE_TIMEOUT, Duration.ofMillis(200));
    try (Connected c = connect(withTimeout)) {
      ByteBuffer flood = ByteBuffer.allocateDirect(64 << 20);
      SocketTimeoutException e =
          assertThrows(SocketTimeoutException.class, () -> c.client().write(flood));
      assertTrue(flood.hasRemaining(), "the peer never read, so not everything was written");
      assertTrue(e.getMessage().contains("200"), "message names the timeout: " + e.getMessage());
      assertTrue(
          e.getMessage().contains(c.listener().endpoint().toString()),
          "message names the endpoint: " + e.getMessage());
      assertFalse(c.client().isOpen(), "a timed-out connection is closed");
    }
  }

  @Test
  void connectWaitsOrTimesOutWhileListenerBacklogIsFull() throws Exception {
    Duration connectTimeout = Duration.ofMillis(300);
    IpcOptions tinyBacklog = options().with(StandardIpcOptions.BACKLOG, 1);
    IpcOptions impatient = options().with(StandardIpcOptions.CONNECT_TIMEOUT, connectTimeout);
    try (Listener<StreamConnection> listener = Ipc.listen(newEndpoint(), tinyBacklog)) {
      // Nobody accepts: once the queue is full a connect must wait, and time out, since someone
      // does listen there. It must not fail as if nobody listened (ConnectException).
      for (int i = 0; i < 16; i++) {
        long start = System.nanoTime();
        try {
          closeAfter(Ipc.connect(listener.endpoint(), impatient));
        } catch (IOException e) {
          long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
          assertInstanceOf(
              SocketTimeoutException.class, e, "connect " + i + " with a full queue failed: " + e);
          // It waited for (about) the timeout rather than failing at once; a millisecond of
          // rounding is not the point here.
          assertTrue(tookMillis >= 250, "timed out early, after " + tookMillis + " ms");
          assertTrue(
              e.getMessage().contains(listener.endpoint().toString()),
              "message names the endpoint: " + e.getMessage());
          return;
        }
      }
      fail("16 connects to a listener with a backlog of 1 that accepts nothing all succeeded");
    }
  }

  @Test
  void readTimeoutAppliesToInputStream() throws Exception {
    IpcOptions withTimeout =
        options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(200));
    try (Connected c = connect(withTimeout)) {
      assertThrows(SocketTimeoutException.class, () -> c.client().inputStream().read());
      assertFalse(c.client().isOpen());
    }
  }

  @Test
  void connectingWhereNobodyListensFailsWithConnectExceptionNamingEndpoint() throws Exception {
    Endpoint gone;
    try (Listener<StreamConnection> listener = Ipc.listen(newEndpoint(), options())) {
      gone = listener.endpoint();
    }
    ConnectException e = assertThrows(ConnectException.class, () -> Ipc.connect(gone, options()));
    assertTrue(
        e.getMessage().contains(gone.toString()), "message names the endpoint: " + e.getMessage());
  }

  @Test
  void closingListenerUnblocksAcceptAndIsIdempotent() throws Exception {
    Listener<StreamConnection> listener = closeAfter(Ipc.listen(newEndpoint(), options()));
    Call<StreamConnection> accept = start("accept", listener::accept);
    assertTrue(accept.awaitBlocked(STEP), "accept should block on a listener nobody connects to");
    listener.close();
    assertInstanceOf(AsynchronousCloseException.class, accept.failure(STEP));
    assertFalse(listener.isOpen());
    listener.close();
    assertThrows(ClosedChannelException.class, listener::accept);
  }

  @Test
  void closingFromAnotherThreadUnblocksRead() throws Exception {
    try (Connected c = connect()) {
      Call<Integer> read = start("read", () -> c.client().read(ByteBuffer.allocate(16)));
      assertTrue(read.awaitBlocked(STEP), "the read should block on a silent peer");
      c.client().close();
      assertInstanceOf(AsynchronousCloseException.class, read.failure(STEP));
      assertFalse(c.client().isOpen());
      c.client().close();
      assertThrows(ClosedChannelException.class, () -> c.client().read(ByteBuffer.allocate(1)));
      assertEquals(-1, c.server().read(ByteBuffer.allocate(1)), "the peer sees the end");
    }
  }

  @Test
  void closingInputStreamClosesConnection() throws Exception {
    try (Connected c = connect()) {
      c.client().inputStream().close();
      assertFalse(c.client().isOpen());
      assertEquals(-1, c.server().read(ByteBuffer.allocate(1)));
    }
  }

  @Test
  void unwrapsToUnrelatedTypeAsEmpty() throws Exception {
    try (Connected c = connect()) {
      assertTrue(c.client().unwrap(String.class).isEmpty());
      assertTrue(c.server().unwrap(Thread.class).isEmpty());
    }
  }
}
