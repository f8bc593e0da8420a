package io.ipc4j;

import io.ipc4j.spi.DescriptorChannel;
import io.ipc4j.spi.StreamSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link StreamConnection} implementation: a provider's {@link StreamSocket} plus what
 * every transport shares (whole writes, timeouts, stream views, messages that name the endpoint).
 * Locks are {@link ReentrantLock}s, not monitors, so that virtual threads blocked in I/O do not pin
 * their carrier.
 */
final class SocketConnection implements StreamConnection {
  private final StreamSocket socket;
  private final Endpoint local;
  private final Guard guard;
  private final ReentrantLock writeLock = new ReentrantLock();

  /**
   * Serialises reads under a read timeout, whose deadline has one slot: two reads at once would arm
   * it in turn, and the first to end would disarm the other's. Null without a read timeout.
   */
  private final ReentrantLock readLock;

  private final AtomicBoolean closed = new AtomicBoolean();
  private InputStream in;
  private OutputStream out;

  /**
   * @param socket the provider's socket, owned from now on
   * @param local the endpoint to report for this side (a listener reports its own endpoint, not the
   *     temporary path a Unix socket may have been bound at), or null for the socket's own
   */
  SocketConnection(StreamSocket socket, Endpoint local, IpcOptions options) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.local = local;
    this.guard = Guard.of(this, "connection", socket::remoteEndpoint, options);
    this.readLock = guard.guardsReads() ? new ReentrantLock() : null;
  }

  /** The lock every write holds; a framing on top holds it across a whole batch. */
  ReentrantLock writeLock() {
    return writeLock;
  }

  @Override
  public Endpoint localEndpoint() {
    return local != null ? local : socket.localEndpoint();
  }

  @Override
  public Endpoint remoteEndpoint() {
    return socket.remoteEndpoint();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (readLock == null) {
      return guardedRead(dst);
    }
    readLock.lock();
    try {
      return guardedRead(dst);
    } finally {
      readLock.unlock();
    }
  }

  private int guardedRead(ByteBuffer dst) throws IOException {
    guard.armRead();
    try {
      return socket.read(dst);
    } catch (IOException e) {
      throw guard.translate(e, Guard.READ);
    } finally {
      guard.disarmRead();
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return write(src, null);
  }

  private int write(ByteBuffer src, FileDescriptor[] descriptors) throws IOException {
    ensureOpen();
    int n = src.remaining();
    if (descriptors != null && n == 0) {
      throw new IllegalArgumentException(
          "no bytes to carry the file descriptors (expected: at least 1 byte): " + this);
    }
    writeLock.lock();
    DescriptorChannel carrier = null;
    try {
      if (descriptors != null) {
        carrier = socket.unwrap(DescriptorChannel.class).orElseThrow();
        carrier.attachToNextWrite(descriptors);
      }
      writeHeld(src);
      return n;
    } finally {
      if (carrier != null) {
        // Gone with the first write, or, if it failed, never to go with a later one.
        carrier.attachToNextWrite();
      }
      writeLock.unlock();
    }
  }

  /**
   * Writes all of {@code src} for a caller that holds {@link #writeLock()}: a framing writing a
   * small message whole takes the lock once, as for {@link #writeHeld(ByteBuffer[], int, int)}.
   */
  void writeHeld(ByteBuffer src) throws IOException {
    ensureOpen();
    guard.armWrite();
    try {
      while (src.hasRemaining()) {
        socket.write(src);
      }
    } catch (IOException e) {
      throw guard.translate(e, Guard.WRITE);
    } finally {
      guard.disarmWrite();
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    writeLock.lock();
    try {
      return writeHeld(srcs, offset, length);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * {@link #write(ByteBuffer[], int, int)} for a caller that holds {@link #writeLock()} and has
   * checked the bounds: a framing writing a message takes the lock once, not twice (taking a held
   * lock again still costs two volatile writes, on the path of every message).
   */
  long writeHeld(ByteBuffer[] srcs, int offset, int length) throws IOException {
    ensureOpen();
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += srcs[i].remaining();
    }
    guard.armWrite();
    try {
      long written = 0;
      int first = offset;
      while (written < total) {
        written += socket.write(srcs, first, offset + length - first);
        while (first < offset + length && !srcs[first].hasRemaining()) {
          first++;
        }
      }
      return total;
    } catch (IOException e) {
      throw guard.translate(e, Guard.WRITE);
    } finally {
      guard.disarmWrite();
    }
  }

  /**
   * Fails once close() has begun, whoever called it: a provider may still be half-way through
   * closing (and answer a read with -1) when the next call comes.
   */
  private void ensureOpen() throws ClosedChannelException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public synchronized InputStream inputStream() {
    if (in == null) {
      in = new ConnectionInputStream(this);
    }
    return in;
  }

  @Override
  public synchronized OutputStream outputStream() {
    if (out == null) {
      out = new ConnectionOutputStream(this);
    }
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void shutdownInput() throws IOException {
    socket.shutdownInput();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return socket.peerCredentials();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type == DescriptorPassing.class) {
      return socket
          .unwrap(DescriptorChannel.class)
          .map(channel -> type.cast(new Descriptors(channel, this::write, this)));
    }
    return type.isInstance(this) ? Optional.of(type.cast(this)) : socket.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      guard.release();
      socket.close();
    }
  }

  @Override
  public String toString() {
    return "StreamConnection[" + localEndpoint() + " <-> " + socket.remoteEndpoint() + "]";
  }

  private static final class ConnectionInputStream extends InputStream {
    private final StreamConnection connection;
    private final byte[] one = new byte[1];

    ConnectionInputStream(StreamConnection connection) {
      this.connection = connection;
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      return connection.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }

  private static final class ConnectionOutputStream extends OutputStream {
    private final StreamConnection connection;

    ConnectionOutputStream(StreamConnection connection) {
      this.connection = connection;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      connection.write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }
}
