package io.ipc4j;

import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections over a bound datagram socket, one per peer address: what lets one {@link
 * MessageHandler} serve {@code udp} and {@code unixgram} as it serves streams.
 *
 * <p>One thread receives every datagram and hands it to its peer's connection; the first datagram
 * from a new address makes a connection that {@link #accept()} returns. Everything is bounded: at
 * most {@link StandardIpcOptions#MAX_CONNECTIONS} peers (datagrams from more are dropped), at most
 * {@value #PEER_QUEUE_BYTES} bytes queued per peer and {@value #LISTENER_QUEUE_BYTES} for all peers
 * together, each datagram counted with what its place in the queue costs (a peer whose handler
 * falls behind loses datagrams, as it would to a full socket buffer; a flood of empty ones is
 * bounded too), and a peer silent for {@link StandardIpcOptions#SESSION_IDLE_TIMEOUT} ends (its
 * {@code receive()} returns null).
 *
 * <p>The bound for all peers is what keeps many peers from filling the heap: over {@code udp} one
 * host can send from thousands of ports (or forge them), each a peer with a queue of its own, and
 * {@code MAX_CONNECTIONS} queues of 1 MiB are a gigabyte. A conversation that ends gives its queued
 * bytes back: closed, its unread datagrams are discarded; ended by the server, it takes no more.
 */
final class DatagramListener implements ServedListener<MessageConnection> {
  private static final Logger log = LoggerFactory.getLogger(DatagramListener.class);
  static final int PEER_QUEUE_BYTES = 1 << 20;

  /** The most bytes queued for all peers together, counted as for one peer. */
  static final int LISTENER_QUEUE_BYTES = 32 << 20;

  /**
   * What a queued datagram costs beyond its bytes: the queue's node and the array's header, 40 B
   * with compressed pointers, rounded up. Counted so that empty datagrams cannot queue without end.
   */
  static final int QUEUE_ENTRY_BYTES = 64;

  private static final long DROP_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(1);
  private static final byte[] END = new byte[0];

  /** Queued by a peer connection's own close(): a receive blocked then ends as closed. */
  private static final byte[] CLOSED = new byte[0];

  private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final DatagramSocket socket;
  private final Endpoint endpoint;
  private final IpcOptions options;
  private final int maxMessageSize;
  private final int maxPeers;
  private final long idleNanos;
  private final boolean virtualThreads;
  private final Map<Endpoint, Peer> peers = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Peer> arrivals = new LinkedBlockingQueue<>();
  private final Peer closedMarker;
  private final AtomicLong dropped = new AtomicLong();

  /** Bytes queued for all peers, each datagram with its {@link #QUEUE_ENTRY_BYTES}. */
  private final AtomicLong queuedForAll = new AtomicLong();

  private volatile boolean closed;
  private volatile boolean accepting = true;
  private long lastDropLog;

  DatagramListener(DatagramSocket socket, IpcOptions options, boolean virtualThreads) {
    this.socket = socket;
    this.endpoint = socket.localEndpoint();
    this.options = options;
    this.maxMessageSize =
        Math.min(options.get(StandardIpcOptions.MAX_MESSAGE_SIZE), socket.maxDatagramSize());
    this.maxPeers = options.get(StandardIpcOptions.MAX_CONNECTIONS);
    this.idleNanos = options.get(StandardIpcOptions.SESSION_IDLE_TIMEOUT).toNanos();
    this.virtualThreads = virtualThreads;
    this.closedMarker = new Peer(endpoint);
    IpcThreads.platform("ipc4j-datagrams " + endpoint, this::receiveLoop, true).start();
  }

  @Override
  public MessageConnection accept() throws IOException {
    if (closed || !accepting) {
      throw new ClosedChannelException();
    }
    Peer p;
    try {
      p = arrivals.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.nio.channels.ClosedByInterruptException();
    }
    if (p == closedMarker) {
      arrivals.add(closedMarker); // for any other thread in accept()
      throw new AsynchronousCloseException();
    }
    return p;
  }

  private void receiveLoop() {
    try {
      ByteBuffer in = ByteBuffer.allocateDirect(maxMessageSize + 1);
      long pause = 0;
      while (!closed) {
        in.clear();
        Endpoint from;
        try {
          from = socket.receive(in);
        } catch (IOException | RuntimeException e) {
          // A RuntimeException is a transport's bug; it must not end the service of every peer.
          if (closed) {
            break;
          }
          if (!socket.isOpen()) {
            log.warn(
                "{}: the socket closed under the server, which stops serving: {}",
                endpoint,
                e.toString());
            break;
          }
          // Keep serving, but a socket that keeps failing must not spin: back off up to 1 s.
          pause = Math.min(Math.max(pause * 2, TimeUnit.MILLISECONDS.toNanos(10)), ONE_SECOND);
          log.warn("{}: receive failed, retrying: {}", endpoint, e.toString());
          java.util.concurrent.locks.LockSupport.parkNanos(pause);
          continue;
        }
        pause = 0;
        in.flip();
        if (in.remaining() > maxMessageSize) {
          drop(from, 1, "datagram over maxMessageSize " + maxMessageSize + " bytes");
          continue;
        }
        // A copy per datagram: the receive buffer is reused while the peer's handler runs.
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        while (true) {
          Peer p = peers.get(from);
          boolean fresh = p == null;
          if (fresh) {
            if (!accepting) {
              drop(from, 1, "the server is closing");
              break;
            }
            if (peers.size() >= maxPeers) {
              drop(from, 1, peers.size() + " peers (maxConnections " + maxPeers + ")");
              break;
            }
            // Published only once its first datagram is queued: a first datagram dropped must not
            // leave a handler waiting for it.
            p = new Peer(from);
          }
          Offer offered = p.offer(bytes);
          if (offered == Offer.GONE) {
            continue; // Its session ended as this came: the next one's, or a new one.
          }
          if (offered == Offer.FULL) {
            drop(from, 1, "its handler is " + PEER_QUEUE_BYTES + " bytes behind");
          } else if (offered == Offer.ALL_FULL) {
            drop(from, 1, "the queues of all peers hold " + LISTENER_QUEUE_BYTES + " bytes");
          } else if (fresh) {
            peers.put(from, p);
            arrivals.add(p);
            if (!accepting && arrivals.remove(p)) {
              // stopAccepting() ran between the check and the add, and did not see this peer.
              drop(from, p.discard(), "the server is closing");
            }
          }
          break;
        }
      }
    } finally {
      // Whatever ended the loop (an Error too), no peer and no accept() waits for it for ever.
      for (Peer p : peers.values()) {
        p.end();
      }
      arrivals.add(closedMarker);
    }
  }

  /** Bytes queued for all peers; for tests. */
  long queuedBytes() {
    return queuedForAll.get();
  }

  /** Peers in conversation or waiting to be accepted; for tests. */
  int peerCount() {
    return peers.size();
  }

  /** Datagrams dropped so far; for tests. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Counts {@code count} datagrams from {@code from} dropped, and logs it, once a second at most.
   */
  private void drop(Endpoint from, int count, String why) {
    if (count == 0) {
      return;
    }
    dropped.addAndGet(count);
    long now = System.nanoTime();
    if (now - lastDropLog >= DROP_LOG_INTERVAL) {
      lastDropLog = now;
      log.warn(
          "{}: dropped {} from {}: {} ({} dropped so far)",
          endpoint,
          count == 1 ? "a datagram" : count + " datagrams",
          from,
          why,
          dropped);
    }
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean isOpen() {
    return !closed && socket.isOpen();
  }

  @Override
  public boolean virtualThreads() {
    return virtualThreads;
  }

  /**
   * Stops admitting peers; the socket stays open, so that the peers already accepted receive what
   * is on its way to them and answer it, until {@link #close()}. Peers that arrived and were not
   * accepted yet end here with what they sent, as connections waiting in a stream listener's
   * backlog do when it closes.
   */
  @Override
  public void stopAccepting() {
    accepting = false;
    for (Peer p; (p = arrivals.poll()) != null; ) {
      if (p != closedMarker) {
        dropped.addAndGet(p.discard()); // what it sent, never to be read
      }
    }
    arrivals.add(closedMarker); // wakes accept()
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }

  @Override
  public String toString() {
    return "Listener[" + endpoint + ", " + peers.size() + " peers]";
  }

  /** What became of a datagram offered to a peer's session. */
  private enum Offer {
    QUEUED,
    /** Its handler is {@link #PEER_QUEUE_BYTES} behind: dropped. */
    FULL,
    /** The queues of all peers hold {@link #LISTENER_QUEUE_BYTES}: dropped. */
    ALL_FULL,
    /** The session ended as it came, and is no longer in the peers map. */
    GONE
  }

  /** The conversation with one peer address. */
  private final class Peer implements MessageConnection, Drainable {
    private final Endpoint remote;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

    /** This peer's share of the listener's queuedForAll. */
    private final AtomicLong queuedBytes = new AtomicLong();

    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile boolean open = true;

    /** Orders offer() against the session's end: guards gone. */
    private final ReentrantLock stateLock = new ReentrantLock();

    /** Out of the peers map: takes no more datagrams. */
    private boolean gone;

    Peer(Endpoint remote) {
      this.remote = remote;
    }

    Offer offer(byte[] datagram) {
      stateLock.lock();
      try {
        if (gone) {
          return Offer.GONE;
        }
        long cost = datagram.length + QUEUE_ENTRY_BYTES;
        // Only the receiving thread adds: neither count can pass its bound between add and check.
        if (queuedBytes.addAndGet(cost) > PEER_QUEUE_BYTES) {
          queuedBytes.addAndGet(-cost);
          return Offer.FULL;
        }
        if (queuedForAll.addAndGet(cost) > LISTENER_QUEUE_BYTES) {
          queuedForAll.addAndGet(-cost);
          queuedBytes.addAndGet(-cost);
          return Offer.ALL_FULL;
        }
        queue.add(datagram);
        return Offer.QUEUED;
      } finally {
        stateLock.unlock();
      }
    }

    /**
     * Leaves the peers map, unless {@code onlyIfIdle} and a datagram is queued; returns whether it
     * left. Atomic with offer(): a datagram either is queued before, or goes to the next session.
     */
    private boolean leave(boolean onlyIfIdle) {
      stateLock.lock();
      try {
        if (onlyIfIdle && !queue.isEmpty()) {
          return false;
        }
        gone = true;
        peers.remove(remote, this);
        return true;
      } finally {
        stateLock.unlock();
      }
    }

    /**
     * Ends the conversation: receive() returns null once what is queued has been read, and keeps
     * returning null. The peer takes no more datagrams: a later one from its address goes to a new
     * conversation, or is dropped if the server no longer accepts.
     */
    void end() {
      leave(false);
      queue.add(END);
    }

    /** Gives back what a datagram taken off the queue counted. */
    private void taken(byte[] datagram) {
      long cost = datagram.length + QUEUE_ENTRY_BYTES;
      queuedBytes.addAndGet(-cost);
      queuedForAll.addAndGet(-cost);
    }

    /**
     * Leaves, and discards what is queued: the conversation is over with its datagrams unread.
     * Returns how many it discarded.
     */
    int discard() {
      leave(false);
      int discarded = 0;
      for (byte[] m; (m = queue.poll()) != null; ) {
        if (m != END && m != CLOSED) {
          taken(m);
          discarded++;
        }
      }
      return discarded;
    }

    @Override
    public void drain() {
      end();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
      if (!open || !socket.isOpen()) {
        throw new ClosedChannelException();
      }
      Messages.checkSendSize(message.remaining(), maxMessageSize, remote);
      sendLock.lock();
      try {
        sendShared(message);
      } finally {
        sendLock.unlock();
      }
    }

    /**
     * Sends through the socket every peer shares. A JDK channel closes itself when a thread that
     * calls it is interrupted, which would end the service of every peer for one handler's
     * interrupt (often just the flag restored by the usual catch of InterruptedException): the flag
     * is held back for the send and restored after. An interrupt that comes during a send blocked
     * on a full socket buffer still closes it.
     */
    private void sendShared(ByteBuffer message) throws IOException {
      boolean interrupted = Thread.interrupted();
      try {
        socket.send(message, remote);
      } catch (SocketTimeoutException e) {
        // The transport's own write timeout (unixgram: this peer's queue stayed full): this
        // conversation ends, as a connection does, and the socket goes on serving the others.
        close();
        SocketTimeoutException timeout =
            new SocketTimeoutException(
                "write timed out after "
                    + Guard.format(options.get(StandardIpcOptions.WRITE_TIMEOUT))
                    + " (writeTimeout), connection closed: "
                    + remote);
        timeout.initCause(e);
        throw timeout;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** One datagram per message, under the lock {@link #send} takes too. */
    @Override
    public void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
      // junixsocket cannot send an empty unixgram datagram: refused before anything is sent.
      Messages.checkBatch(messages, offset, length, maxMessageSize, !remote.isUnix(), remote);
      if (length == 0) {
        return;
      }
      if (!open || !socket.isOpen()) {
        throw new ClosedChannelException();
      }
      sendLock.lock();
      try {
        for (int i = offset; i < offset + length; i++) {
          sendShared(messages[i]);
        }
      } finally {
        sendLock.unlock();
      }
    }

    @Override
    public ByteBuffer receive() throws IOException {
      byte[] m = next();
      return m == null ? null : ByteBuffer.wrap(m);
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
      byte[] m = next();
      if (m == null) {
        return -1;
      }
      if (m.length > dst.remaining()) {
        throw Messages.doesNotFit(m.length, dst.remaining(), remote);
      }
      dst.put(m);
      return m.length;
    }

    /** The next datagram, or null when the conversation is over. */
    private byte[] next() throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      long readTimeout = options.get(StandardIpcOptions.READ_TIMEOUT).toNanos();
      long wait = readTimeout != 0 ? readTimeout : idleNanos;
      byte[] m;
      do {
        try {
          m = wait == 0 ? queue.take() : queue.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.nio.channels.ClosedByInterruptException();
        }
        // A datagram that came as the wait ran out is this session's: take it.
      } while (m == null && !leave(true));
      if (m == null) {
        if (readTimeout != 0) {
          close();
          throw new SocketTimeoutException(
              "read timed out after "
                  + Guard.format(options.get(StandardIpcOptions.READ_TIMEOUT))
                  + " (readTimeout), connection closed: "
                  + remote);
        }
        close(); // idle: the peer is gone as far as datagrams can tell
        return null;
      }
      if (m == END) {
        queue.add(END); // stays ended for later calls
        return null;
      }
      if (m == CLOSED) {
        queue.add(CLOSED); // for another receive blocked at the same time
        throw new AsynchronousCloseException();
      }
      taken(m);
      return m;
    }

    @Override
    public int maxMessageSize() {
      return maxMessageSize;
    }

    @Override
    public Endpoint localEndpoint() {
      return endpoint;
    }

    @Override
    public Endpoint remoteEndpoint() {
      return remote;
    }

    @Override
    public Optional<PeerCredentials> peerCredentials() {
      return Optional.empty();
    }

    @Override
    public boolean isOpen() {
      return open && !closed;
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
      return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        dropped.addAndGet(discard()); // received, and never to be read
        // A receive blocked in the conversation learns it was closed, not ended by the server.
        queue.add(CLOSED);
      }
    }

    @Override
    public String toString() {
      return "MessageConnection[" + endpoint + " <-> " + remote + "]";
    }
  }
}
