package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import io.ipc4j.spi.DescriptorChannel;
import io.ipc4j.spi.StreamSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.SocketClosedException;

/**
 * A connected, blocking {@link AFUNIXSocketChannel}, adjusted to behave like a JDK channel where
 * junixsocket differs: a read blocked when another thread closes the socket fails with {@link
 * AsynchronousCloseException} instead of returning end of stream (or late bytes), reads after
 * {@link #shutdownInput()} return -1 even if bytes were queued, a peer that went away is an {@link
 * IOException} naming it instead of a closed channel, and gathering writes send several buffers in
 * one system call.
 *
 * <p>It passes file descriptors ({@link DescriptorChannel}, see {@link PassedDescriptors}):
 * descriptors attached go with the first byte of the next write, and those that arrive are kept
 * until taken.
 */
final class JunixsocketStreamSocket implements StreamSocket, DescriptorChannel {

  /** How many bytes of a gathering write may be copied into one buffer, to send them at once. */
  static final int COALESCE_LIMIT = 8192;

  private final AFUNIXSocketChannel channel;
  private final Endpoint local;
  private final Endpoint remote;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean inputShutdown;
  private final ReentrantLock gatherLock = new ReentrantLock();
  private ByteBuffer gathered;
  private volatile Optional<PeerCredentials> credentials;
  private final PassedDescriptors descriptors;

  /**
   * {@code receiveDescriptors}: whether it receives file descriptors ({@link PassedDescriptors}).
   */
  JunixsocketStreamSocket(
      AFUNIXSocketChannel channel, Endpoint local, Endpoint remote, boolean receiveDescriptors) {
    this.channel = channel;
    this.local = local;
    this.remote = remote;
    this.descriptors = new PassedDescriptors(channel, remote, receiveDescriptors);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (inputShutdown && channel.isOpen()) {
      // The kernel still hands out bytes queued before SHUT_RD; a JDK channel does not.
      return -1;
    }
    boolean wasOpen = !closed.get();
    int start = dst.position();
    int n;
    try {
      n = channel.read(dst);
    } catch (IOException e) {
      throw translate(e, wasOpen);
    }
    if (wasOpen && closed.get()) {
      // junixsocket shuts the socket down before closing it, which lets a blocked read return
      // end of stream, or bytes that arrived meanwhile, as if nothing had happened. Report the
      // close, as a JDK channel does: read timeouts and IpcServer's drain rely on it.
      dst.position(start);
      throw new AsynchronousCloseException();
    }
    if (n > 0) {
      descriptors.afterRead();
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    boolean wasOpen = !closed.get();
    try {
      if (src.hasRemaining()) {
        descriptors.beforeWrite();
      }
      return channel.write(src);
    } catch (IOException e) {
      throw translate(e, wasOpen);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return write(srcs, 0, srcs.length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    int end = offset + length;
    int first = offset;
    while (first < end && !srcs[first].hasRemaining()) {
      first++;
    }
    if (first == end) {
      return 0;
    }
    long total = 0;
    for (int i = first; i < end; i++) {
      total += srcs[i].remaining();
    }
    // junixsocket writes only the first buffer of a gathering write. Copying a small first buffer
    // together with (the start of) the next ones keeps a frame's header and payload in one system
    // call, and one read for the peer.
    if (total == srcs[first].remaining() || srcs[first].remaining() >= COALESCE_LIMIT) {
      return write(srcs[first]);
    }
    gatherLock.lock();
    try {
      ByteBuffer buffer = gathered;
      if (buffer == null) {
        buffer = ByteBuffer.allocateDirect(COALESCE_LIMIT);
        gathered = buffer;
      }
      buffer.clear();
      for (int i = first; i < end && buffer.hasRemaining(); i++) {
        ByteBuffer part = srcs[i].duplicate();
        if (part.remaining() > buffer.remaining()) {
          part.limit(part.position() + buffer.remaining());
        }
        buffer.put(part);
      }
      buffer.flip();
      int written = write(buffer);
      int left = written;
      for (int i = first; i < end && left > 0; i++) {
        int n = Math.min(left, srcs[i].remaining());
        srcs[i].position(srcs[i].position() + n);
        left -= n;
      }
      return written;
    } finally {
      gatherLock.unlock();
    }
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
    boolean wasOpen = !closed.get();
    try {
      channel.shutdownInput();
    } catch (IOException e) {
      throw translate(e, wasOpen);
    }
    inputShutdown = true;
  }

  @Override
  public void shutdownOutput() throws IOException {
    boolean wasOpen = !closed.get();
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      throw translate(e, wasOpen);
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
   * AFUNIXSocketChannel} and its supertypes, such as {@link java.nio.channels.SocketChannel}).
   */
  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(channel)
        ? Optional.of(type.cast(channel))
        : StreamSocket.super.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    // Set before closing, so that the call it unblocks knows it was a close.
    closed.set(true);
    channel.close();
  }

  /**
   * Maps junixsocket's failures onto the JDK's. A call under way when this socket was closed fails
   * with {@link AsynchronousCloseException} (junixsocket sometimes reports a plain closed channel,
   * or a socket exception); one made after fails with {@link ClosedChannelException}. A peer that
   * went away (junixsocket reports a closed channel caused by EPIPE or ECONNRESET, and closes the
   * socket) is an {@link IOException} naming the endpoint.
   *
   * @param wasOpen whether this socket was still open when the call began
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
    Throwable cause = e.getCause();
    if (e instanceof ClosedChannelException
        && !(e instanceof ClosedByInterruptException)
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
    return "JunixsocketStreamSocket[" + local + " -> " + remote + "]";
  }
}
