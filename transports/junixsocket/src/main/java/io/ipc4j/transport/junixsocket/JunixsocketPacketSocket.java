package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import io.ipc4j.spi.DescriptorChannel;
import io.ipc4j.spi.PacketSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.SocketClosedException;

/**
 * A connected SOCK_SEQPACKET socket: junixsocket's {@link AFUNIXDatagramSocket} of that type, one
 * packet per send and per receive, adjusted to behave like the stream socket ({@link
 * JunixsocketStreamSocket}): a receive blocked when another thread closes the socket fails with
 * {@link AsynchronousCloseException}, receives after {@link #shutdownInput()} return -1 even with
 * packets queued, sends after {@link #shutdownOutput()} fail with {@link ClosedChannelException},
 * and a peer that went away is an {@link IOException} naming it. Shutdowns go through {@link
 * PacketShutdown}, since junixsocket's datagram sockets have none.
 *
 * <p><b>Empty packets.</b> On Linux a SOCK_SEQPACKET receive returns 0 both for an empty packet and
 * at the end of the stream, and junixsocket reports both (and a receive timeout) alike; only the
 * kernel's ancillary data (SO_PASSCRED) or poll(2) could tell them apart, and junixsocket exposes
 * neither. As in Go, whose {@code unixpacket} reads an empty packet as end of file, an empty packet
 * received here ends the stream for good: {@link #receive} returns -1 from then on. Consistently,
 * an empty packet is never sent: {@link #send} refuses an empty buffer (junixsocket itself would
 * skip the system call and send nothing).
 *
 * <p>{@link #maxPacketSize()} is what Linux accepts in one SOCK_SEQPACKET send: SO_SNDBUF less 32
 * bytes (more is refused with EMSGSIZE), measured on this socket when it was opened.
 *
 * <p><b>Idle receives.</b> {@link #awaitPacket} peeks at one byte (MSG_PEEK), which needs no
 * receive buffer. After it, receives wait at most the {@linkplain #idleAfter idle time}:
 * junixsocket sets it as SO_RCVTIMEO, and also as SO_SNDTIMEO, so {@link #send} tries again when
 * that passes, with the same descriptors (junixsocket lets go of them before its system call).
 * junixsocket reports a receive that timed out as it reports the end of the stream and an empty
 * packet; one that ends no earlier than the idle time less the timer's slack is reported as {@link
 * #IDLE}, and the peek that follows tells whether it was the end. An empty packet that arrives in
 * those last 20 ms is therefore taken for a timeout and skipped, not taken for the end: ipc4j never
 * sends one.
 *
 * <p>Only a socket whose peer is unnamed (an accepted client that did not bind, the common case for
 * a server) idles so. junixsocket decodes the sender's address with every peek, which for a named
 * peer costs tens of microseconds and some 100 KB of garbage (its address cache never hits; see the
 * README); and a peek at a packet that carries descriptors would take a copy of them. Other sockets
 * wait for packets with the caller's buffer, as before.
 */
final class JunixsocketPacketSocket implements PacketSocket, DescriptorChannel {
  /** How much less than SO_SNDBUF one packet or datagram may be on Linux (af_unix.c). */
  static final int SNDBUF_OVERHEAD = 32;

  private final AFUNIXDatagramSocket socket;
  private final AFUNIXDatagramChannel channel;
  private final PacketShutdown shutdown;
  private final Endpoint local;
  private final Endpoint remote;
  private final int maxPacketSize;
  private final PassedDescriptors descriptors;
  private final ReentrantLock sendLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private volatile boolean ended;
  private volatile Optional<PeerCredentials> credentials;

  /**
   * How much earlier than asked the kernel may end a wait under SO_RCVTIMEO: it counts in jiffies
   * (10 ms at the coarsest, HZ=100), and the first one may have begun already.
   */
  private static final int TIMER_SLACK_MILLIS = 20;

  /** The receiving thread's: the idle time in ms (0: wait for ever), and whether it is armed. */
  private int idleMillis;

  private long idleNanos; // What a receive must have waited to be taken for timed out.

  private boolean idleArmed;

  /**
   * {@code receiveDescriptors}: whether it receives file descriptors ({@link PassedDescriptors}).
   */
  JunixsocketPacketSocket(
      AFUNIXDatagramSocket socket, Endpoint local, Endpoint remote, boolean receiveDescriptors)
      throws IOException {
    this.socket = socket;
    this.channel = socket.getChannel();
    this.local = local;
    this.remote = remote;
    this.shutdown = new PacketShutdown(socket.getFileDescriptor());
    this.maxPacketSize = maxSize(socket);
    this.descriptors = new PassedDescriptors(channel, remote, receiveDescriptors);
  }

  /** The largest packet or datagram Linux takes in one send on {@code socket}. */
  static int maxSize(java.net.DatagramSocket socket) throws SocketException {
    return Math.max(1, socket.getSendBufferSize() - SNDBUF_OVERHEAD);
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
  public int maxPacketSize() {
    return maxPacketSize;
  }

  /**
   * @throws IllegalArgumentException if {@code src} is empty (see the class comment)
   * @throws ClosedChannelException if this socket is closed or its output shut down
   */
  @Override
  public void send(ByteBuffer src) throws IOException {
    if (!src.hasRemaining()) {
      throw new IllegalArgumentException(
          "empty packet (expected: at least 1 byte; an empty packet reads as the end of the"
              + " stream over unixpacket): "
              + remote);
    }
    if (closed.get() || outputShutdown) {
      throw new ClosedChannelException();
    }
    sendLock.lock();
    try {
      FileDescriptor[] fds = descriptors.beforeWrite();
      // 0: nothing went within the idle time, armed as SO_SNDTIMEO too (class comment).
      while (channel.write(src) == 0) {
        if (closed.get() || outputShutdown) {
          throw new AsynchronousCloseException();
        }
        if (!channel.isBlocking()) {
          throw new IllegalBlockingModeException(); // Made so through unwrap: would spin here.
        }
        descriptors.beforeRetry(fds);
      }
    } catch (IOException e) {
      throw translate(e, true);
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * @throws IllegalArgumentException if {@code dst} has no room: an empty receive could not be told
   *     from the end of the stream
   */
  @Override
  public int receive(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      throw new IllegalArgumentException(
          "receive buffer has no room (expected: at least 1 byte): " + remote);
    }
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    if ((inputShutdown || ended) && channel.isOpen()) {
      // The kernel still hands out packets queued before SHUT_RD; a JDK channel would not.
      return -1;
    }
    int start = dst.position();
    boolean timed = idleArmed;
    long began = timed ? System.nanoTime() : 0;
    int n;
    try {
      n = channel.read(dst);
    } catch (IOException e) {
      throw translate(e, true);
    }
    if (closed.get()) {
      // junixsocket shuts the socket down before closing it, which ends a blocked receive as if
      // the peer had: report the close instead, as the stream socket does.
      dst.position(start);
      throw new AsynchronousCloseException();
    }
    if (n <= 0) {
      dst.position(start);
      if (timed && System.nanoTime() - began >= idleNanos) {
        return IDLE; // Perhaps only the idle time: awaitPacket finds out (class comment).
      }
      // An empty packet, or the end: the same to junixsocket, and the end here (class comment).
      ended = true;
      return -1;
    }
    descriptors.afterRead();
    return n;
  }

  @Override
  public void idleAfter(int millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("idle time " + millis + " ms (expected: 0 or more)");
    }
    idleMillis = remote.isUnnamed() && !descriptors.receiving() ? millis : 0;
    idleNanos =
        TimeUnit.MILLISECONDS.toNanos(Math.max(idleMillis - TIMER_SLACK_MILLIS, idleMillis / 2));
  }

  @Override
  public void awaitPacket() throws IOException {
    if (idleMillis == 0 || inputShutdown || ended || closed.get()) {
      return; // The receive that follows blocks, or returns at once.
    }
    try {
      if (idleArmed) {
        socket.setSoTimeout(0);
        idleArmed = false;
      }
      socket.peek(new DatagramPacket(new byte[1], 1));
    } catch (SocketTimeoutException e) {
      // junixsocket's word for a peek at the end, at an empty packet or at shut input: the receive
      // that follows, untimed, reports it.
      if (closed.get()) {
        throw new AsynchronousCloseException();
      }
      return;
    } catch (IOException e) {
      throw translate(e, true);
    }
    if (closed.get()) {
      throw new AsynchronousCloseException();
    }
    try {
      socket.setSoTimeout(idleMillis);
      idleArmed = true;
    } catch (IOException e) {
      throw translate(e, true);
    }
  }

  @Override
  public void shutdownInput() throws IOException {
    requireOpen();
    try {
      shutdown.input();
    } catch (IOException e) {
      throw translate(e, true);
    }
    inputShutdown = true;
  }

  @Override
  public void shutdownOutput() throws IOException {
    requireOpen();
    try {
      shutdown.output();
    } catch (IOException e) {
      throw translate(e, true);
    }
    outputShutdown = true;
  }

  private void requireOpen() throws ClosedChannelException {
    if (closed.get() || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    Optional<PeerCredentials> c = credentials;
    if (c == null) {
      c = UnixCredentials.of(channel, remote);
      credentials = c;
    }
    return c;
  }

  /**
   * @throws IllegalArgumentException also for more than {@value PassedDescriptors#MAX_PER_WRITE}
   */
  @Override
  public void attachToNextWrite(FileDescriptor... descriptors) {
    this.descriptors.attach(descriptors);
  }

  @Override
  public FileDescriptor[] takeReceived() {
    return descriptors.take();
  }

  @Override
  public boolean receivesDescriptors() {
    return descriptors.receiving();
  }

  /**
   * Narrows to {@link DescriptorChannel} (this socket) and to the junixsocket channel ({@link
   * AFUNIXDatagramChannel} and its supertypes).
   */
  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(channel)
        ? Optional.of(type.cast(channel))
        : PacketSocket.super.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    // Set before closing, so that the call it unblocks knows it was a close.
    closed.set(true);
    socket.close();
  }

  /**
   * Maps junixsocket's failures onto the JDK's, as {@link JunixsocketStreamSocket} does: a call
   * under way when this socket was closed fails with {@link AsynchronousCloseException}; a peer
   * that went away (junixsocket reports a closed channel caused by EPIPE or ECONNRESET, and closes
   * the socket) is an {@link IOException} naming the endpoint.
   */
  private IOException translate(IOException e, boolean wasOpen) {
    if (closed.get()) {
      if (wasOpen ? e instanceof AsynchronousCloseException : e instanceof ClosedChannelException) {
        return e;
      }
      ClosedChannelException c =
          wasOpen ? new AsynchronousCloseException() : new ClosedChannelException();
      c.initCause(e);
      return c;
    }
    Throwable cause = e instanceof ClosedChannelException ? e.getCause() : e;
    if (!(e instanceof ClosedByInterruptException)
        && cause instanceof SocketException
        && !(cause instanceof SocketClosedException)) {
      return new IOException(remote + ": " + describe(cause), e);
    }
    return e;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "JunixsocketPacketSocket[" + local + " -> " + remote + "]";
  }
}
