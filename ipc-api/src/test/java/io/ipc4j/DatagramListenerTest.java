package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-peer connections of a datagram socket, over a socket that plays a script of arrivals. */
@Timeout(30)
class DatagramListenerTest {
  private static final Endpoint LOCAL = Endpoint.parse("udp://127.0.0.1:9000");
  private static final Endpoint PEER = Endpoint.parse("udp://127.0.0.1:40000");

  /**
   * A handler that has fallen behind holds at most {@value DatagramListener#PEER_QUEUE_BYTES} bytes
   * of its peer's datagrams, empty ones included: each costs its place in the queue.
   */
  @Test
  void emptyDatagramsQueueForASlowHandlerOnlyUpToTheLimit() throws Exception {
    int sent = 50_000;
    ScriptedSocket socket = new ScriptedSocket();
    for (int i = 0; i < sent; i++) {
      socket.arrive(PEER, 0);
    }
    socket.arrive(null, 0); // the script's end: receive() now waits, as for a quiet peer
    IpcOptions options =
        IpcOptions.of(StandardIpcOptions.SESSION_IDLE_TIMEOUT, Duration.ofMillis(300));
    try (DatagramListener listener = new DatagramListener(socket, options, false)) {
      MessageConnection peer = listener.accept();
      socket.awaitPlayed();
      int queued = 0;
      for (ByteBuffer m; (m = peer.receive()) != null; ) {
        assertEquals(0, m.remaining());
        queued++;
      }
      int limit = DatagramListener.PEER_QUEUE_BYTES / DatagramListener.QUEUE_ENTRY_BYTES;
      assertEquals(limit, queued, "empty datagrams queued of " + sent);
    }
  }

  /**
   * Many peers whose handlers fall behind hold at most {@value
   * DatagramListener#LISTENER_QUEUE_BYTES} bytes together, not {@value
   * DatagramListener#PEER_QUEUE_BYTES} each (over udp one host can be a thousand peers), and a
   * conversation gives its share back as it is read or closed.
   */
  @Test
  void thePeersTogetherQueueOnlyUpToTheListenersLimit() throws Exception {
    int peers = 48; // 48 MiB if each could queue its 1 MiB
    int size = 60_000;
    int perPeer = DatagramListener.PEER_QUEUE_BYTES / size + 2;
    ScriptedSocket socket = new ScriptedSocket();
    for (int i = 0; i < perPeer; i++) {
      for (int p = 0; p < peers; p++) {
        socket.arrive(Endpoint.parse("udp://127.0.0.1:" + (40000 + p)), size);
      }
    }
    socket.arrive(null, 0);
    IpcOptions options =
        IpcOptions.of(StandardIpcOptions.SESSION_IDLE_TIMEOUT, Duration.ofMillis(300));
    try (DatagramListener listener = new DatagramListener(socket, options, false)) {
      MessageConnection[] accepted = new MessageConnection[peers];
      for (int p = 0; p < peers; p++) {
        accepted[p] = listener.accept();
      }
      socket.awaitPlayed();
      long cost = size + DatagramListener.QUEUE_ENTRY_BYTES;
      long queued = listener.queuedBytes();
      assertTrue(
          queued <= DatagramListener.LISTENER_QUEUE_BYTES
              && queued > DatagramListener.LISTENER_QUEUE_BYTES - cost,
          "queued for all peers: " + queued);
      long dropped = listener.dropped();
      assertTrue(dropped > 0, "datagrams dropped: " + dropped);

      // Half the peers are read to the end, the other half closed unread.
      AtomicLong read = new AtomicLong();
      Thread[] readers = new Thread[peers / 2];
      for (int p = 0; p < readers.length; p++) {
        MessageConnection peer = accepted[p];
        readers[p] =
            new Thread(
                () -> {
                  try (peer) {
                    for (ByteBuffer m; (m = peer.receive()) != null; ) {
                      read.addAndGet(m.remaining() + DatagramListener.QUEUE_ENTRY_BYTES);
                    }
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                },
                "reader-" + p);
        readers[p].start();
      }
      for (int p = readers.length; p < peers; p++) {
        accepted[p].close();
      }
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!reader.isAlive(), reader + " still reading");
      }
      assertTrue(read.get() > 0 && read.get() < queued, "read " + read + " of " + queued);
      assertEquals(0, listener.queuedBytes(), "queued once every conversation has ended");
      assertEquals(
          dropped + (queued - read.get()) / cost,
          listener.dropped(),
          "dropped, with those the closed conversations never read");
    }
  }

  /**
   * A new peer whose first datagram finds the queues of all peers full makes no conversation: a
   * handler would wait for a datagram that was dropped, holding one of the peers' places.
   */
  @Test
  void aNewPeerWhoseFirstDatagramIsDroppedIsNotAccepted() throws Exception {
    int size = 60_000;
    int perPeer = DatagramListener.PEER_QUEUE_BYTES / (size + DatagramListener.QUEUE_ENTRY_BYTES);
    int peers = DatagramListener.LISTENER_QUEUE_BYTES / DatagramListener.PEER_QUEUE_BYTES + 2;
    ScriptedSocket socket = new ScriptedSocket();
    for (int i = 0; i < perPeer; i++) {
      for (int p = 0; p < peers; p++) {
        socket.arrive(Endpoint.parse("udp://127.0.0.1:" + (40000 + p)), size);
      }
    }
    // A newcomer, once every queue together is full.
    socket.arrive(Endpoint.parse("udp://127.0.0.1:50000"), size);
    socket.arrive(null, 0);
    try (DatagramListener listener = new DatagramListener(socket, IpcOptions.DEFAULTS, false)) {
      socket.awaitPlayed();
      assertTrue(
          listener.queuedBytes() > DatagramListener.LISTENER_QUEUE_BYTES - size,
          "the queues are full: " + listener.queuedBytes());
      assertEquals(peers, listener.peerCount(), "peers: the newcomer's datagram was dropped");
    }
  }

  /**
   * A conversation the server ended, as IpcServer.close() does (it stops accepting, then ends each
   * conversation at a message boundary), keeps returning null: a datagram its peer sends later is
   * dropped, and counted, rather than queued behind the end for a handler that asks again.
   */
  @Test
  void anEndedConversationTakesNoLaterDatagram() throws Exception {
    ScriptedSocket socket = new ScriptedSocket();
    socket.arrive(PEER, 1);
    try (DatagramListener listener = new DatagramListener(socket, IpcOptions.DEFAULTS, false)) {
      MessageConnection peer = listener.accept();
      assertEquals(1, peer.receive().remaining());
      listener.stopAccepting();
      ((Drainable) peer).drain();
      socket.arrive(PEER, 2);
      socket.arrive(null, 0);
      socket.awaitPlayed();
      assertNull(peer.receive(), "the end");
      assertNull(peer.receive(), "still the end");
      assertEquals(1, listener.dropped(), "the later datagram, dropped");
    }
  }

  /** Whatever ends the receiving thread, accept() and the accepted peers do not wait for ever. */
  @Test
  void anErrorInTheReceivingThreadEndsAcceptAndThePeers() throws Exception {
    ScriptedSocket socket = new ScriptedSocket();
    socket.arrive(PEER, 3);
    socket.fail(new OutOfMemoryError("scripted: no memory for the next datagram"));
    try (DatagramListener listener = new DatagramListener(socket, IpcOptions.DEFAULTS, false)) {
      MessageConnection peer = listener.accept();
      assertEquals(3, peer.receive().remaining(), "what came before the error");
      assertNull(peer.receive(), "the conversation ends");
      assertThrows(ClosedChannelException.class, listener::accept);
    }
  }

  /**
   * A peer connection closed by another thread ends a receive blocked in it as
   * MessageConnection.close() promises, with AsynchronousCloseException, not as the end of the
   * conversation (null, which is for the server's side ending it).
   */
  @Test
  void closingAPeerFromAnotherThreadEndsABlockedReceiveAsClosed() throws Exception {
    ScriptedSocket socket = new ScriptedSocket();
    socket.arrive(PEER, 1);
    try (DatagramListener listener = new DatagramListener(socket, IpcOptions.DEFAULTS, false)) {
      MessageConnection peer = listener.accept();
      assertEquals(1, peer.receive().remaining());
      CompletableFuture<ByteBuffer> receive = new CompletableFuture<>();
      Thread receiver =
          new Thread(
              () -> {
                try {
                  receive.complete(peer.receive());
                } catch (Throwable t) {
                  receive.completeExceptionally(t);
                }
              },
              "receive");
      receiver.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!waiting(receiver) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      assertTrue(waiting(receiver), "the receive waits: " + receiver.getState());
      peer.close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> receive.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof AsynchronousCloseException, e.getCause().toString());
      assertThrows(ClosedChannelException.class, peer::receive, "and later calls see it closed");
    }
  }

  /**
   * A datagram that comes as its peer's session runs out of time reaches a handler: the ending one,
   * or the next session's. Taken off the socket, it went to the queue of a handler that then saw
   * the end and returned (15 of 24,000 here, in sessions of 1 ms).
   */
  @Test
  void aDatagramArrivingAsItsPeersSessionExpiresIsNotLost() throws Exception {
    int peers = 8;
    int rounds = 3000;
    ScriptedSocket socket = new ScriptedSocket();
    IpcOptions options =
        IpcOptions.of(StandardIpcOptions.SESSION_IDLE_TIMEOUT, Duration.ofMillis(1));
    AtomicLong delivered = new AtomicLong();
    try (DatagramListener listener = new DatagramListener(socket, options, false)) {
      Thread acceptor = new Thread(() -> serveEach(listener, delivered), "accept");
      acceptor.start();
      long sent = 0;
      for (int r = 0; r < rounds; r++) {
        for (int p = 0; p < peers; p++) {
          socket.arrive(Endpoint.parse("udp://127.0.0.1:" + (40000 + p)), 1);
          sent++;
        }
        // Gaps around the idle timeout: about half of them end the session.
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(500_000, 1_500_000));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (delivered.get() < sent && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertEquals(sent, delivered.get(), "datagrams delivered of those received");
    }
  }

  /** Counts every datagram of every session the listener accepts, a thread per session. */
  private static void serveEach(DatagramListener listener, AtomicLong delivered) {
    try {
      while (true) {
        MessageConnection session = listener.accept();
        new Thread(
                () -> {
                  try (session) {
                    while (session.receive() != null) {
                      delivered.incrementAndGet();
                    }
                  } catch (IOException closed) {
                    // The listener closed at the end of the test.
                  }
                },
                "session")
            .start();
      }
    } catch (IOException closed) {
      // The listener closed at the end of the test.
    }
  }

  private static boolean waiting(Thread t) {
    Thread.State state = t.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  /** Plays a script of arrivals, then waits until it is closed. */
  private static final class ScriptedSocket implements DatagramSocket {
    /** A sender and a length; a null sender ends the script, a failure is thrown. */
    private record Arrival(Endpoint from, int length, Error failure) {}

    private final LinkedBlockingQueue<Arrival> script = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Boolean> played = new LinkedBlockingQueue<>();
    private volatile boolean open = true;

    void arrive(Endpoint from, int length) {
      script.add(new Arrival(from, length, null));
    }

    void fail(Error failure) {
      script.add(new Arrival(null, 0, failure));
    }

    void awaitPlayed() throws InterruptedException {
      assertNotNull(played.poll(10, TimeUnit.SECONDS), "the script was played");
    }

    @Override
    public Endpoint receive(ByteBuffer dst) throws IOException {
      try {
        while (open) {
          Arrival a = script.poll(10, TimeUnit.MILLISECONDS);
          if (a == null) {
            continue;
          }
          if (a.failure() != null) {
            throw a.failure();
          }
          if (a.from() == null) {
            played.add(true);
            continue;
          }
          dst.put(new byte[a.length()]);
          return a.from();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new AsynchronousCloseException();
    }

    @Override
    public void send(ByteBuffer src, Endpoint target) {
      assertTrue(open, "sent on a closed socket");
      src.position(src.limit());
    }

    @Override
    public Endpoint localEndpoint() {
      return LOCAL;
    }

    @Override
    public Optional<Endpoint> remoteEndpoint() {
      return Optional.empty();
    }

    @Override
    public int maxDatagramSize() {
      return 65_507;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
