package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.newsclub.net.unix.FileDescriptorCast;
import org.newsclub.net.unix.SocketClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound Unix datagram socket ({@code unixgram}), possibly connected, adjusted where junixsocket
 * differs from a JDK channel:
 *
 * <ul>
 *   <li>junixsocket closes a socket whose send is refused (nobody bound at the target any more),
 *       which would end a server's socket because one client went away. Sends therefore go through
 *       a duplicate of the socket's descriptor, replaced when junixsocket closes it; the socket
 *       that receives stays open. A send to an endpoint where nobody listens fails with {@link
 *       PortUnreachableException}, as a JDK datagram channel reports an unreachable peer.
 *   <li>A receive blocked when another thread closes the socket returns nothing in junixsocket; it
 *       fails with {@link AsynchronousCloseException} here.
 *   <li>Abstract sender names come back padded with NULs (see {@link UnixAddresses#endpointOf}).
 *   <li>The kernel names a path-bound sender after the name it was bound at, which for ipc4j's own
 *       sockets is a private temporary name: such a sender is reported under its public name (see
 *       {@link #senderOf}), and this socket's own temporary name is kept answerable ({@link
 *       AnswerableName}).
 *   <li>junixsocket's receive makes a new address for every datagram's sender (its address cache
 *       never hits), and one for a short abstract name, padded with NULs, formats each of its 108
 *       bytes with {@code String.format}: some 50 KiB of garbage per datagram, five times the cost
 *       of the rest of a receive (which is why connected clients bind long names, see {@link
 *       JunixsocketTransportProvider#connectDatagram}). A connected socket therefore reads instead
 *       (its sender is known), and senders' endpoints are cached; so are targets' addresses, which
 *       cost 2 KiB each to build.
 *   <li>junixsocket cannot send an empty datagram (it skips the system call and reports success)
 *       and drops the sender of an empty datagram it receives: {@link #send} refuses an empty
 *       buffer, and an empty datagram is reported as coming from the connected peer, or else from
 *       the unnamed endpoint {@code unixgram:}.
 *   <li>A send waits while the receiver's queue is full (net.unix.max_dgram_qlen datagrams, unless
 *       the receiver is connected to this socket) or this socket's send buffer is (a datagram is
 *       charged to its sender until it is read, so a receiver that reads no more fills it, for
 *       every receiver), and neither closing this socket nor shutting it down wakes it: only the
 *       kernel's send timeout (SO_SNDTIMEO) bounds it. A socket with a send timeout therefore sets
 *       it with junixsocket's {@code setSoTimeout}, which sets the receive timeout (SO_RCVTIMEO)
 *       too, at least {@link #MIN_TIMEOUT_MILLIS} ms; a send that timed out fails with {@link
 *       SocketTimeoutException} (or {@link AsynchronousCloseException} if the socket was closed
 *       meanwhile), and a receive that timed out, which junixsocket reports exactly like an empty
 *       datagram, waits again. So an empty datagram that arrives within 20 ms of such a timeout is
 *       taken for it and dropped.
 * </ul>
 *
 * <p>{@link #maxDatagramSize()} is what Linux accepts in one send: SO_SNDBUF less 32 bytes (more is
 * refused with EMSGSIZE), measured on this socket when it was opened. A receiver's buffer does not
 * limit it: a Unix datagram is charged to its sender.
 */
final class JunixsocketDatagramSocket implements DatagramSocket {
  private static final Logger log = LoggerFactory.getLogger(JunixsocketDatagramSocket.class);

  /**
   * Cached for a sender whose address no {@link Endpoint} can hold: its datagrams are dropped. A
   * distinct instance, compared by identity.
   */
  private static final Endpoint NAMELESS = Endpoint.parse("unixgram:");

  /** The directory of a private bind ({@link UnixSocketFile}): {@code .i} and 4 base-36 digits. */
  private static final Pattern PRIVATE_DIRECTORY = Pattern.compile("\\.i[0-9a-z]{4}");

  /** How many senders' endpoints, and targets' addresses, are remembered. */
  private static final int KNOWN_PEERS = 64;

  private final AFUNIXDatagramChannel channel;
  private final Endpoint local;
  private final Endpoint remote;
  private final int maxDatagramSize;
  private final Closeable cleanup;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock sendLock = new ReentrantLock();
  private volatile AFUNIXDatagramChannel sender;

  /** The descriptor of {@link #sender}, which closing it leaves open (see {@link #closeSender}). */
  private volatile FileDescriptor senderDescriptor;

  private final Endpoint unnamed;

  /**
   * The least send timeout: the kernel counts it in clock ticks (up to 10 ms), and a timeout of one
   * tick can end a receive at once, which {@link #receive} could not tell from an empty datagram.
   */
  static final int MIN_TIMEOUT_MILLIS = 25;

  /** How long a send may wait for room, in milliseconds; 0 for ever. */
  private final int sendTimeoutMillis;

  /**
   * With a send timeout, how long a receive that got nothing must have waited to be taken for the
   * receive timeout rather than an empty datagram: the timeout less 20 ms, the kernel's rounding to
   * its clock tick, or half of it if that is longer.
   */
  private final long timedOutAfterNanos;

  /**
   * The addresses of recent targets, under sendLock: junixsocket builds each new address with some
   * 2 KiB of garbage and its address cache never hits, which halved the rate of sends to a target.
   */
  @SuppressWarnings("serial")
  private final Map<Endpoint, AFUNIXSocketAddress> targets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Endpoint, AFUNIXSocketAddress> eldest) {
          return size() > KNOWN_PEERS;
        }
      };

  /** A sender and its endpoint. */
  private record Sender(AFUNIXSocketAddress address, Endpoint endpoint) {}

  /**
   * The last sender, checked before {@link #senders}: equal addresses compare their names as
   * strings at once, where a map look-up first hashes a new string of some 110 characters (the
   * name, encoded by junixsocket) for every datagram. Null until the first datagram.
   */
  private volatile Sender lastSender;

  @SuppressWarnings("serial")
  private final Map<AFUNIXSocketAddress, Endpoint> senders =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AFUNIXSocketAddress, Endpoint> eldest) {
          return size() > KNOWN_PEERS;
        }
      };

  /**
   * @param channel the bound (and possibly connected) channel
   * @param local the endpoint to report as this side
   * @param remote the connected peer, or null
   * @param cleanup what to release before the channel is closed (a socket file), or null
   * @param sendTimeoutMillis how long a send may wait for room, 0 for ever; at least {@link
   *     #MIN_TIMEOUT_MILLIS} if not 0
   */
  JunixsocketDatagramSocket(
      AFUNIXDatagramChannel channel,
      Endpoint local,
      Endpoint remote,
      Closeable cleanup,
      int sendTimeoutMillis)
      throws IOException {
    if (sendTimeoutMillis < 0) {
      throw new IllegalArgumentException(
          "negative send timeout (expected: 0 or more ms): " + sendTimeoutMillis);
    }
    this.channel = channel;
    this.local = local;
    this.remote = remote;
    this.cleanup = cleanup;
    this.maxDatagramSize = JunixsocketPacketSocket.maxSize(channel.socket());
    this.unnamed = Endpoint.parse(local.scheme() + ":");
    this.sendTimeoutMillis =
        sendTimeoutMillis == 0 ? 0 : Math.max(sendTimeoutMillis, MIN_TIMEOUT_MILLIS);
    long timeout = TimeUnit.MILLISECONDS.toNanos(this.sendTimeoutMillis);
    this.timedOutAfterNanos = Math.max(timeout - TimeUnit.MILLISECONDS.toNanos(20), timeout / 2);
    if (this.sendTimeoutMillis > 0) {
      // The duplicate that sends shares the socket, and so its kernel timeouts.
      channel.socket().setSoTimeout(this.sendTimeoutMillis);
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public Optional<Endpoint> remoteEndpoint() {
    return Optional.ofNullable(remote);
  }

  @Override
  public int maxDatagramSize() {
    return maxDatagramSize;
  }

  /**
   * @throws IllegalArgumentException if {@code src} is empty (see the class comment), or {@code
   *     target} is not a named {@code unixgram} endpoint
   * @throws NotYetConnectedException if {@code target} is null and this socket is not connected
   * @throws PortUnreachableException if nobody is bound at the target
   */
  @Override
  public void send(ByteBuffer src, Endpoint target) throws IOException {
    Endpoint to = target == null ? remote : target;
    if (to == null) {
      throw new NotYetConnectedException();
    }
    if (target != null
        && (!target.scheme().equals("unixgram") || target.isUnnamed() || !target.isUnix())) {
      throw new IllegalArgumentException(
          "not a named unixgram endpoint (expected: unixgram:///path or unixgram:@name): "
              + target);
    }
    if (!src.hasRemaining()) {
      throw new IllegalArgumentException(
          "empty datagram (expected: at least 1 byte; junixsocket cannot send an empty one): "
              + to);
    }
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    // One send at a time, as in a JDK datagram channel: junixsocket closes the sending descriptor
    // on some failures, which must not happen under another thread's send (its number could be
    // reused by then).
    sendLock.lock();
    try {
      AFUNIXDatagramChannel out = null;
      int sent;
      try {
        out = sender();
        sent = target == null ? out.write(src) : out.send(src, addressOf(target));
      } catch (IOException e) {
        if (out != null) {
          retire();
        }
        throw translate(e, to, true);
      }
      if (sent == 0) {
        throw notSent(to); // from a buffer that was not empty
      }
    } finally {
      sendLock.unlock();
      if (closed.get()) {
        // close() found a send under way, perhaps this one, and left the sender to it.
        closeSenderUnlessSendingQuietly();
      }
    }
  }

  /**
   * Why a send sent nothing: the send timeout passed, as a rule (the duplicate that sends blocks
   * whatever mode the receiving channel is put in).
   */
  private IOException notSent(Endpoint to) {
    if (closed.get()) {
      return new AsynchronousCloseException();
    }
    if (sendTimeoutMillis == 0) {
      return new IOException(to + ": the datagram was not sent (no buffer space)");
    }
    return new SocketTimeoutException(
        "send timed out after "
            + sendTimeoutMillis
            + " ms: no room at the receiver, nor in this socket's send buffer, which holds what its"
            + " receivers have not read yet: "
            + to);
  }

  /** The junixsocket address of a target, from {@link #targets}; under sendLock. */
  private AFUNIXSocketAddress addressOf(Endpoint target) throws SocketException {
    AFUNIXSocketAddress address = targets.get(target);
    if (address == null) {
      address = UnixAddresses.of(target);
      targets.put(target, address);
    }
    return address;
  }

  /** The duplicate that sends, opened on first use and after a failed send; under sendLock. */
  private AFUNIXDatagramChannel sender() throws IOException {
    if (closed.get()) {
      // Closed while this send waited for the lock: close() left the duplicate to it.
      throw new AsynchronousCloseException();
    }
    if (sender == null) {
      FileDescriptorCast cast = FileDescriptorCast.duplicating(channel.getFileDescriptor());
      try {
        AFUNIXDatagramSocket dup = cast.as(AFUNIXDatagramSocket.class);
        // Closing it must neither shut down the socket it shares nor delete a file.
        dup.setShutdownOnClose(false);
        dup.setDeleteOnClose(false);
        senderDescriptor = dup.getFileDescriptor();
        sender = dup.getChannel();
      } catch (IOException | RuntimeException e) {
        PassedDescriptors.closeQuietly(cast.getFileDescriptor()); // nothing else would
        throw e;
      }
      if (closed.get()) {
        // Closed meanwhile: close() may not have seen this duplicate, which keeps the socket.
        closeSender();
        throw new AsynchronousCloseException();
      }
    }
    return sender;
  }

  /** Closes the sender after a failure (junixsocket may have closed it); under sendLock. */
  private void retire() {
    try {
      closeSender();
    } catch (IOException ignored) {
      // Its descriptor is a duplicate, closed or not: nothing of this socket's is lost.
    } finally {
      sender = null;
      senderDescriptor = null;
    }
  }

  @Override
  public Endpoint receive(ByteBuffer dst) throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    int start = dst.position();
    while (true) {
      AFUNIXSocketAddress from = null;
      int read = 0;
      long began = sendTimeoutMillis > 0 ? System.nanoTime() : 0;
      try {
        if (remote != null) {
          // No sender to learn: read, which unlike receive allocates nothing (see class comment).
          read = channel.read(dst);
        } else {
          from = channel.receive(dst);
        }
      } catch (IOException e) {
        throw translate(e, remote == null ? local : remote, false);
      }
      if (closed.get()) {
        // junixsocket shuts the socket down before closing it, which ends a blocked receive with
        // nothing received: report the close, as a JDK channel does.
        dst.position(start);
        throw new AsynchronousCloseException();
      }
      if (sendTimeoutMillis > 0
          && dst.position() == start
          && (remote != null ? read < 0 : from == null)
          && System.nanoTime() - began >= timedOutAfterNanos) {
        continue; // the receive timeout that the send timeout set passed (see class comment)
      }
      if (remote != null) {
        return remote; // the kernel takes datagrams from nobody else
      }
      Endpoint sender = senderOf(from);
      if (sender != NAMELESS) {
        return sender;
      }
      // A sender no endpoint can name (a 107-byte name, say) could not be answered: its datagram
      // is dropped, as one from a stranger on a connected socket would be, and receiving goes on.
      dst.position(start);
    }
  }

  /**
   * The endpoint of a sender, from a small cache so that a repeated sender costs no new endpoint. A
   * sender bound to a path by ipc4j is named by the kernel after the private name {@link
   * UnixSocketFile} bound it at ({@code DIR/.iXXXX/s}); it is reported under its public name in
   * {@code DIR}, found as the other link to the same socket file, where this process may look.
   */
  private Endpoint senderOf(AFUNIXSocketAddress from) {
    if (from == null) {
      return unnamed;
    }
    Sender last = lastSender;
    if (last != null && last.address().equals(from)) {
      return last.endpoint();
    }
    Endpoint sender = knownSender(from);
    lastSender = new Sender(from, sender);
    return sender;
  }

  private Endpoint knownSender(AFUNIXSocketAddress from) {
    synchronized (senders) {
      Endpoint known = senders.get(from);
      if (known == null) {
        try {
          known = publicName(UnixAddresses.endpointOf(local.scheme(), from));
        } catch (IllegalArgumentException e) {
          log.warn(
              "{}: dropping datagrams from a sender no endpoint can name: {}",
              local,
              e.getMessage());
          known = NAMELESS;
        }
        senders.put(from, known);
      }
      return known;
    }
  }

  private static Endpoint publicName(Endpoint sender) {
    if (sender.isUnnamed() || sender.isAbstract()) {
      return sender;
    }
    Path path = sender.path();
    Path privateDir = path.getParent();
    if (privateDir == null
        || privateDir.getParent() == null
        || !path.getFileName().toString().equals("s")
        || !PRIVATE_DIRECTORY.matcher(privateDir.getFileName().toString()).matches()) {
      return sender;
    }
    try {
      Object key = fileKey(path);
      if (key == null) {
        return sender;
      }
      try (Stream<Path> siblings = Files.list(privateDir.getParent())) {
        return siblings
            .filter(p -> !p.equals(privateDir))
            .filter(p -> key.equals(fileKeyOrNull(p)))
            .sorted()
            .findFirst()
            .map(p -> Endpoint.unix(p).withScheme(sender.scheme()))
            .orElse(sender);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("{}: no public name found", sender, e);
      return sender;
    }
  }

  private static Object fileKeyOrNull(Path path) {
    try {
      return fileKey(path);
    } catch (IOException e) {
      return null;
    }
  }

  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  /**
   * Narrows to the junixsocket channel that receives ({@link AFUNIXDatagramChannel} and its
   * supertypes, such as {@link java.nio.channels.DatagramChannel}).
   */
  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(channel)
        ? Optional.of(type.cast(channel))
        : DatagramSocket.super.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && channel.isOpen();
  }

  /**
   * Releases the socket file (if still ours), then closes the channel and the sending duplicate; a
   * later failure is added to the first as suppressed. The file goes first: while the socket is
   * open, no other process can take its path for stale, so the file deleted is this one's.
   */
  @Override
  public void close() throws IOException {
    // Set before closing, so that the receive it unblocks knows it was a close.
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    IOException failure = null;
    for (Closeable step : new Closeable[] {cleanup, channel, this::closeSenderUnlessSending}) {
      try {
        if (step != null) {
          step.close();
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Closes the sender, unless a send is under way: close must not wait for one blocked on a full
   * peer, and must not close the descriptor under it (junixsocket closes it itself after a refused
   * send, by then perhaps another file's number). The send closes it when it returns, so a send
   * that waits on a receiver's full queue keeps the socket until then: until the receiver reads or
   * goes away, or the send timeout passes.
   */
  private void closeSenderUnlessSending() throws IOException {
    if (sendLock.tryLock()) {
      try {
        closeSender();
      } finally {
        sendLock.unlock();
      }
    }
  }

  private void closeSenderUnlessSendingQuietly() {
    try {
      closeSenderUnlessSending();
    } catch (IOException e) {
      log.debug("{}: closing the sending duplicate failed", local, e);
    }
  }

  /**
   * Closes the sender, and its descriptor: junixsocket leaves that of a socket made from a
   * descriptor open when it closes the socket (2.11.1), which kept this socket, its name and what
   * was queued for it alive after {@link #close()}, one descriptor leaked per socket that had sent.
   * A descriptor junixsocket did close (after a refused send) it marks invalid, and it is left
   * alone.
   */
  private void closeSender() throws IOException {
    AFUNIXDatagramChannel out = sender;
    FileDescriptor descriptor = senderDescriptor;
    try {
      if (out != null) {
        out.close();
      }
    } finally {
      if (descriptor != null) {
        PassedDescriptors.closeQuietly(descriptor);
      }
    }
  }

  /**
   * Maps junixsocket's failures onto the JDK's: a call under way when this socket was closed fails
   * with {@link AsynchronousCloseException}; a send to where nobody is bound with {@link
   * PortUnreachableException}; other socket errors with an {@link IOException} naming {@code at}.
   */
  private IOException translate(IOException e, Endpoint at, boolean sending) {
    if (closed.get()) {
      if (e instanceof AsynchronousCloseException) {
        return e;
      }
      AsynchronousCloseException c = new AsynchronousCloseException();
      c.initCause(e);
      return c;
    }
    if (e instanceof ClosedByInterruptException) {
      return e;
    }
    Throwable cause = e instanceof ClosedChannelException ? e.getCause() : e;
    if (sending && (cause instanceof ConnectionRefusedSocketException || isMissingFile(at))) {
      PortUnreachableException p =
          new PortUnreachableException(at + ": " + describe(cause) + " (nobody is bound there)");
      p.initCause(e);
      return p;
    }
    if (cause instanceof SocketException && !(cause instanceof SocketClosedException)) {
      return new IOException(at + ": " + describe(cause), e);
    }
    return e;
  }

  /** Whether {@code target} is a socket path with no file (ENOENT, a plain socket exception). */
  private static boolean isMissingFile(Endpoint target) {
    return !target.isAbstract() && !Files.exists(target.path(), LinkOption.NOFOLLOW_LINKS);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
  }

  /** Deletes a temporary socket file and its private directory: for a client on a path. */
  static Closeable deletingDirectory(Path dir, Path file) {
    Objects.requireNonNull(dir, "dir");
    return () -> {
      try {
        Files.deleteIfExists(file);
      } finally {
        Files.deleteIfExists(dir);
      }
    };
  }

  /** Deletes a bound socket file if it is still ours. */
  static Closeable deleting(UnixSocketFile file) {
    return file::deleteIfOwned;
  }

  @Override
  public String toString() {
    return "JunixsocketDatagramSocket[" + local + (remote == null ? "" : " -> " + remote) + "]";
  }
}
