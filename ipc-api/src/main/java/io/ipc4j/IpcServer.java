package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on an endpoint and runs a handler for each, on its own thread.
 *
 * <pre>{@code
 * try (IpcServer server = IpcServer.serveMessages("unix:///run/app.sock", c -> {
 *       for (ByteBuffer m; (m = c.receive()) != null; ) {
 *         c.send(m);
 *       }
 *     })) {
 *   System.out.println("serving " + server.endpoint());
 *   ...
 * }
 * }</pre>
 *
 * <p>Threads: one platform thread accepts, and each connection runs on a thread of its own. The
 * first {@link StandardIpcOptions#PLATFORM_THREADS} connections open at a time get platform daemon
 * threads, which answer small requests fastest; on Java 21 and later the rest get virtual threads
 * (see {@link StandardIpcOptions#VIRTUAL_THREADS}), which hold many idle connections cheaply.
 * Without virtual threads every connection gets a platform daemon thread. A platform thread whose
 * connection ends waits up to a minute for the next one (at most {@code PLATFORM_THREADS} wait at a
 * time), which spares a short-lived connection the creation of a thread; thread locals a handler
 * sets therefore stay with the thread. Threads are named after the server's endpoint and the peer;
 * a platform thread waiting for its next connection keeps the name of its last.
 *
 * <p>Peers: a {@link PeerAuthorizer} decides from the kernel's peer credentials whom to serve; on
 * an abstract Unix name only this process's user is served unless told otherwise. Datagram
 * endpoints ({@code udp*}, {@code unixgram}) are served per peer address, each a connection of its
 * own (see {@link Ipc#listenMessages(Endpoint, IpcOptions)}).
 *
 * <p>Limits: at most {@link StandardIpcOptions#MAX_CONNECTIONS} connections are served at once; one
 * more is closed at once and reported to the {@link IpcEventListener}. {@link
 * StandardIpcOptions#READ_TIMEOUT} is the connections' idle timeout (none by default: a silent peer
 * keeps its connection and thread until it closes; set one where peers are not trusted) and {@link
 * StandardIpcOptions#MAX_MESSAGE_SIZE} bounds their messages. A handler that throws costs only its
 * own connection.
 *
 * <p>{@link #close()} stops accepting, lets handlers finish for up to {@link
 * StandardIpcOptions#SHUTDOWN_GRACE}, then closes the connections that are left. Message handlers
 * see the end of the conversation ({@code receive()} returns null) at their next message boundary,
 * so a request being received is completed and answered. Thread-safe.
 */
public final class IpcServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(IpcServer.class);
  private static final long REFUSAL_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(1);
  private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long AFTER_FORCE_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** How long a platform thread whose connection ended waits for the next one. */
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

  private final ServedListener<? extends Closeable> listener;
  private final Endpoint endpoint;
  // One of the two is set. Called directly rather than through an adapter: each frame on the way
  // to a blocked read is stack that every idle connection's thread keeps touched.
  private final MessageHandler messageHandler;
  private final StreamHandler streamHandler;
  private final IpcEventListener events;
  private final PeerAuthorizer authorizer;
  private final int maxConnections;
  private final long graceNanos;
  private final boolean virtualThreads;
  private final int platformThreads;
  private final PlatformWorkers workers;

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicBoolean closing = new AtomicBoolean();

  /** Counted down when the first close() is done. */
  private final CountDownLatch closed = new CountDownLatch(1);

  private final AtomicLong sequence = new AtomicLong();
  private final Thread acceptor;
  private int active;

  /** Connections on platform threads while virtual threads are in use; guarded by the lock. */
  private int onPlatformThreads;

  private long lastRefusalLog;

  private IpcServer(
      Builder b,
      Listener<? extends Closeable> listener,
      MessageHandler messageHandler,
      StreamHandler streamHandler) {
    this.listener = (ServedListener<? extends Closeable>) listener;
    this.endpoint = listener.endpoint();
    this.messageHandler = messageHandler;
    this.streamHandler = streamHandler;
    this.events = b.events;
    this.authorizer =
        b.authorizer != null
            ? b.authorizer
            : endpoint.isAbstract() ? PeerAuthorizer.SAME_USER : PeerAuthorizer.ANYONE;
    this.maxConnections = b.options.get(StandardIpcOptions.MAX_CONNECTIONS);
    this.graceNanos = b.options.get(StandardIpcOptions.SHUTDOWN_GRACE).toNanos();
    // Transports whose blocking calls would pin a carrier get platform threads.
    this.virtualThreads =
        b.options.get(StandardIpcOptions.VIRTUAL_THREADS)
            && this.listener.virtualThreads()
            && IpcThreads.virtualThreadsAvailable();
    this.platformThreads = b.options.get(StandardIpcOptions.PLATFORM_THREADS);
    this.workers = new PlatformWorkers(platformThreads, KEEP_ALIVE);
    this.acceptor = IpcThreads.platform("ipc4j-accept " + endpoint, this::acceptLoop, false);
  }

  /** Serves byte streams on {@code endpoint} with default options. */
  public static IpcServer serveStreams(String endpoint, StreamHandler handler) throws IOException {
    return builder(Endpoint.parse(endpoint)).streamHandler(handler).start();
  }

  /** Serves messages on {@code endpoint} with default options. */
  public static IpcServer serveMessages(String endpoint, MessageHandler handler)
      throws IOException {
    return builder(Endpoint.parse(endpoint)).messageHandler(handler).start();
  }

  /** Returns a builder for a server on {@code endpoint}. */
  public static Builder builder(String endpoint) {
    return builder(Endpoint.parse(endpoint));
  }

  /** Returns a builder for a server on {@code endpoint}. */
  public static Builder builder(Endpoint endpoint) {
    return new Builder(endpoint);
  }

  /** The endpoint the server listens on (port 0 resolved). */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The number of connections being served now. */
  public int connectionCount() {
    lock.lock();
    try {
      return active;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the server gracefully: stops accepting; after a short settle (200 ms at most) in which
   * requests already on their way are read, ends message conversations at their next boundary; lets
   * handlers finish within the grace period (counted from the start), then closes the remaining
   * connections and waits briefly for their handlers to return. Returns once every handler has
   * returned or that wait has run out. Idempotent; a second caller returns when the first does. A
   * caller that is interrupted stops waiting: what is left is closed at once, and close() returns
   * with the interrupt status set. Called from a handler, it waits out the grace period, since that
   * handler has not returned.
   */
  @Override
  public void close() throws IOException {
    if (!closing.compareAndSet(false, true)) {
      awaitClosed();
      return;
    }
    try {
      closeOnce();
    } finally {
      closed.countDown();
    }
  }

  /** Waits until the first caller of close() is done, keeping this thread's interrupt. */
  private void awaitClosed() {
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeOnce() throws IOException {
    IOException failure = null;
    try {
      listener.stopAccepting();
    } catch (IOException e) {
      failure = e;
    }
    joinAcceptor();
    long start = System.nanoTime();
    // Let bytes already on their way be read before idle conversations are ended: a request
    // sitting in a socket buffer, not yet read by its handler, looks idle and would be lost.
    if (!awaitSessions(start + Math.min(graceNanos, SETTLE_NANOS))) {
      for (Session s : sessions) {
        s.drain();
      }
    }
    if (!awaitSessions(start + graceNanos)) {
      for (Session s : sessions) {
        s.forceClose();
      }
      if (!awaitSessions(System.nanoTime() + AFTER_FORCE_CLOSE_NANOS)) {
        log.warn("{}: {} handlers still running after close", endpoint, connectionCount());
      }
    }
    if (listener.isOpen()) {
      // A datagram socket, open until now for the replies of its peers' handlers.
      try {
        listener.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    workers.close();
    if (failure != null) {
      throw failure;
    }
  }

  private void joinAcceptor() {
    boolean interrupted = false;
    while (acceptor.isAlive()) {
      try {
        acceptor.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until no session is left or {@code deadline} passes; returns whether none is left. */
  private boolean awaitSessions(long deadline) {
    lock.lock();
    try {
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return active == 0;
    } finally {
      lock.unlock();
    }
  }

  private void start() {
    acceptor.start();
  }

  private void acceptLoop() {
    while (!closing.get()) {
      Closeable connection;
      try {
        connection = listener.accept();
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!listener.isOpen() || closing.get()) {
          return;
        }
        // Out of descriptors, a peer that reset before accept: the server keeps going.
        log.warn("{}: accept failed, retrying: {}", endpoint, e.toString());
        pauseAfterAcceptFailure();
        continue;
      }
      try {
        admit(connection);
      } catch (RuntimeException e) {
        // Whatever admitting one connection throws (a transport that cannot describe its peer,
        // say) costs that connection, not the server's accepting.
        closeQuietly(connection);
        if (refusalLogDue()) {
          log.warn("{}: cannot admit a connection, closed it", endpoint, e);
        }
      }
    }
  }

  private void admit(Closeable connection) {
    Endpoint peer = Session.peerOf(connection);
    String unauthorized = checkAuthorized(connection, peer);
    if (unauthorized != null) {
      refuse(connection, peer, unauthorized);
      return;
    }
    lock.lock();
    boolean full = active >= maxConnections;
    boolean virtual = false;
    if (!full) {
      active++;
      if (virtualThreads) {
        virtual = onPlatformThreads >= platformThreads;
        if (!virtual) {
          onPlatformThreads++;
        }
      }
    }
    lock.unlock();
    if (full) {
      refuse(
          connection,
          peer,
          maxConnections + " connections open (maxConnections " + maxConnections + ")");
      return;
    }
    Session session = new Session(connection, peer, virtualThreads && !virtual);
    sessions.add(session);
    String name = "ipc4j-conn-" + sequence.incrementAndGet() + " " + endpoint + " <- " + peer;
    try {
      if (virtual) {
        IpcThreads.connection(name, session, true).start();
      } else {
        workers.execute(name, session);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      log.warn("{}: cannot start a thread for {}, closing it: {}", endpoint, peer, e.toString());
      finish(session);
    }
  }

  /** Why the authorizer refuses the peer, or null if it admits it. */
  private String checkAuthorized(Closeable connection, Endpoint peer) {
    if (authorizer == PeerAuthorizer.ANYONE) {
      // Reading credentials costs a getsockopt, and on the JDK a look-up of the user and group
      // names (/etc/passwd, /etc/group) per connection: a third of a Unix accept's time.
      return null;
    }
    Optional<PeerCredentials> credentials = Session.credentialsOf(connection);
    try {
      return authorizer.authorize(peer, credentials)
          ? null
          : "not authorized: " + credentials.map(Object::toString).orElse("credentials unknown");
    } catch (RuntimeException e) {
      log.warn("{}: peer authorizer failed for {}, refusing it", endpoint, peer, e);
      return "not authorized: the authorizer failed: " + e;
    }
  }

  private void refuse(Closeable connection, Endpoint peer, String reason) {
    closeQuietly(connection);
    if (refusalLogDue()) {
      log.warn("{}: refused a connection from {}: {}", endpoint, peer, reason);
    }
    notify(() -> events.connectionRefused(endpoint, peer, reason));
  }

  /** Whether a refused connection may be logged now: a flood of them is logged at a rate. */
  private boolean refusalLogDue() {
    long now = System.nanoTime();
    if (now - lastRefusalLog < REFUSAL_LOG_INTERVAL) {
      return false;
    }
    lastRefusalLog = now;
    return true;
  }

  private void run(Session s) {
    notify(() -> events.connectionOpened(endpoint, s.peer));
    try {
      if (messageHandler != null) {
        messageHandler.handle((MessageConnection) s.connection);
      } else {
        streamHandler.handle((StreamConnection) s.connection);
      }
    } catch (Throwable failure) {
      if (!(s.forced && failure instanceof ClosedChannelException)) {
        if (failure instanceof IOException) {
          // A peer that vanished, timed out or broke the protocol: its own connection ends.
          log.debug("{}: connection from {} failed: {}", endpoint, s.peer, failure.toString());
        } else {
          log.warn("{}: handler failed for {}, closing its connection", endpoint, s.peer, failure);
        }
        notify(() -> events.handlerFailed(endpoint, s.peer, failure));
      }
      if (failure instanceof Error && !(failure instanceof StackOverflowError)) {
        finish(s);
        throw (Error) failure;
      }
    }
    finish(s);
  }

  private void finish(Session s) {
    if (closing.get() && !s.forced && s.connection instanceof Drainable) {
      ((Drainable) s.connection).lingerBeforeClose();
    }
    closeQuietly(s.connection);
    sessions.remove(s);
    lock.lock();
    try {
      active--;
      if (s.platformSlot) {
        onPlatformThreads--;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    notify(() -> events.connectionClosed(endpoint, s.peer));
  }

  private void pauseAfterAcceptFailure() {
    lock.lock();
    try {
      changed.awaitNanos(ACCEPT_RETRY_NANOS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void notify(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.warn("{}: event listener failed", endpoint, e);
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      log.debug("closing {} failed", c, e);
    }
  }

  @Override
  public String toString() {
    return "IpcServer[" + endpoint + ", " + connectionCount() + " connections]";
  }

  /** One connection being served. */
  private final class Session implements Runnable {
    final Closeable connection;
    final Endpoint peer;

    /** Whether it holds one of the platform threads kept for the first connections. */
    final boolean platformSlot;

    volatile boolean forced;

    Session(Closeable connection, Endpoint peer, boolean platformSlot) {
      this.connection = connection;
      this.peer = peer;
      this.platformSlot = platformSlot;
    }

    /** Serves the connection: its thread's task, with no lambda between it and the handler. */
    @Override
    public void run() {
      IpcServer.this.run(this);
    }

    static Endpoint peerOf(Closeable connection) {
      return connection instanceof MessageConnection
          ? ((MessageConnection) connection).remoteEndpoint()
          : ((StreamConnection) connection).remoteEndpoint();
    }

    static Optional<PeerCredentials> credentialsOf(Closeable connection) {
      return connection instanceof MessageConnection
          ? ((MessageConnection) connection).peerCredentials()
          : ((StreamConnection) connection).peerCredentials();
    }

    void drain() {
      if (connection instanceof Drainable) {
        ((Drainable) connection).drain();
      }
    }

    void forceClose() {
      forced = true;
      closeQuietly(connection);
    }
  }

  /**
   * Configures an {@link IpcServer}. Set exactly one handler, then {@link #start()}. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Endpoint endpoint;
    private IpcOptions options = IpcOptions.DEFAULTS;
    private IpcEventListener events = IpcEventListener.NONE;
    private PeerAuthorizer authorizer;
    private StreamHandler streamHandler;
    private MessageHandler messageHandler;

    private Builder(Endpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The options of the listener, its connections and the server. */
    public Builder options(IpcOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Observes the server's connections. Default: {@link IpcEventListener#NONE}. */
    public Builder eventListener(IpcEventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * Decides which peers are served. Default: {@link PeerAuthorizer#SAME_USER} on an abstract Unix
     * name (which has no file permissions), {@link PeerAuthorizer#ANYONE} elsewhere.
     */
    public Builder authorizer(PeerAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /**
     * An abstract name has no file permissions, so its peers are checked by credentials; where the
     * transport has none (unixgram), the default would refuse everyone without a word to them.
     * Refuse to start instead, and let the caller decide.
     */
    private void requireAuthorizablePeers() throws TransportUnavailableException {
      if (authorizer != null || !endpoint.isAbstract()) {
        return;
      }
      if (!Transports.choose(endpoint, options)
          .capabilities(endpoint.scheme())
          .contains(Capability.PEER_CREDENTIALS)) {
        throw new IllegalStateException(
            endpoint
                + ": peers of an abstract name are admitted by their credentials, which "
                + endpoint.scheme()
                + " does not report (expected: an explicit authorizer, such as"
                + " PeerAuthorizer.ANYONE to serve every local user)");
      }
    }

    /** Serves each connection as a byte stream. */
    public Builder streamHandler(StreamHandler handler) {
      this.streamHandler = Objects.requireNonNull(handler, "handler");
      this.messageHandler = null;
      return this;
    }

    /** Serves each connection as messages. */
    public Builder messageHandler(MessageHandler handler) {
      this.messageHandler = Objects.requireNonNull(handler, "handler");
      this.streamHandler = null;
      return this;
    }

    /**
     * Binds the endpoint and starts serving.
     *
     * @throws IllegalStateException if no handler was set, or if the endpoint is an abstract name
     *     on a transport that cannot tell who its peers are (unixgram) and no authorizer was set
     * @throws AddressInUseException if the address is taken
     * @throws IOException if binding fails otherwise
     */
    public IpcServer start() throws IOException {
      requireAuthorizablePeers();
      IpcServer server;
      if (messageHandler != null) {
        server = new IpcServer(this, Ipc.listenMessages(endpoint, options), messageHandler, null);
      } else if (streamHandler != null) {
        server = new IpcServer(this, Ipc.listen(endpoint, options), null, streamHandler);
      } else {
        throw new IllegalStateException(
            "no handler for " + endpoint + " (expected: streamHandler or messageHandler)");
      }
      server.start();
      return server;
    }
  }
}
