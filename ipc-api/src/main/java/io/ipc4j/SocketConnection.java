package io.ipc4j;

import io.ipc4j.spi.StreamSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link StreamConnection} implementation: a provider's {@link StreamSocket} plus what
 * every transport shares (whole writes, timeouts, stream views, messages that name the endpoint).
 * Locks are {@link ReentrantLock}s, not monitors, so that virtual threads blocked in I/O do not pin
 * their carrier.
 */
final class SocketConnection implements StreamConnection, Timeouts.Guarded {
  private static final int NOT_EXPIRED = 0;
  private static final int READ_EXPIRED = 1;
  private static final int WRITE_EXPIRED = 2;

  private final StreamSocket socket;
  private final Endpoint local;
  private final long readTimeout;
  private final long writeTimeout;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long readDeadline;
  private volatile long writeDeadline;
  private final AtomicInteger expired = new AtomicInteger(NOT_EXPIRED);
  private InputStream in;
  private OutputStream out;

  /**
   * @param socket the provider's socket, owned from now on
   * @param local the endpoint to report for this side (a listener reports its own endpoint, not the
   *     temporary path a Unix socket may have been bound at)
   */
  SocketConnection(StreamSocket socket, Endpoint local, IpcOptions options) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.local = local;
    this.readTimeout = options.get(StandardIpcOptions.READ_TIMEOUT).toNanos();
    this.writeTimeout = options.get(StandardIpcOptions.WRITE_TIMEOUT).toNanos();
    long shortest = Math.min(nonZero(readTimeout), nonZero(writeTimeout));
    if (shortest != Long.MAX_VALUE) {
      Timeouts.INSTANCE.register(this, shortest);
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public Endpoint remoteEndpoint() {
    return socket.remoteEndpoint();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (readTimeout == 0) {
      return readUntimed(dst);
    }
    readDeadline = Timeouts.deadline(readTimeout);
    try {
      return readUntimed(dst);
    } finally {
      readDeadline = 0;
    }
  }

  private int readUntimed(ByteBuffer dst) throws IOException {
    try {
      return socket.read(dst);
    } catch (IOException e) {
      throw translate(e, READ_EXPIRED);
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    writeLock.lock();
    try {
      armWrite();
      while (src.hasRemaining()) {
        socket.write(src);
      }
      return n;
    } catch (IOException e) {
      throw translate(e, WRITE_EXPIRED);
    } finally {
      writeDeadline = 0;
      writeLock.unlock();
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += srcs[i].remaining();
    }
    writeLock.lock();
    try {
      armWrite();
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
      throw translate(e, WRITE_EXPIRED);
    } finally {
      writeDeadline = 0;
      writeLock.unlock();
    }
  }

  private void armWrite() {
    if (writeTimeout != 0) {
      writeDeadline = Timeouts.deadline(writeTimeout);
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
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw translate(e, NOT_EXPIRED);
    }
  }

  @Override
  public void shutdownInput() throws IOException {
    try {
      socket.shutdownInput();
    } catch (IOException e) {
      throw translate(e, NOT_EXPIRED);
    }
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return socket.peerCredentials();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : socket.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      Timeouts.INSTANCE.unregister(this);
      socket.close();
    }
  }

  @Override
  public void expireIfDue(long now) {
    long r = readDeadline;
    long w = writeDeadline;
    int which = r != 0 && now - r >= 0 ? READ_EXPIRED : w != 0 && now - w >= 0 ? WRITE_EXPIRED : 0;
    if (which != NOT_EXPIRED && expired.compareAndSet(NOT_EXPIRED, which)) {
      try {
        close();
      } catch (IOException ignored) {
        // The blocked call reports the timeout; a failure to close adds nothing to it.
      }
    }
  }

  /**
   * Turns the failure of the call the watchdog interrupted into the timeout it was. The timeout is
   * reported once, to that call; later calls see the connection closed.
   */
  private IOException translate(IOException e, int op) {
    if (op == NOT_EXPIRED
        || !(e instanceof ClosedChannelException)
        || !expired.compareAndSet(op, -op)) {
      return e;
    }
    boolean read = op == READ_EXPIRED;
    SocketTimeoutException timeout =
        new SocketTimeoutException(
            (read ? "read" : "write")
                + " timed out after "
                + format(Duration.ofNanos(read ? readTimeout : writeTimeout))
                + " ("
                + (read ? StandardIpcOptions.READ_TIMEOUT : StandardIpcOptions.WRITE_TIMEOUT)
                + "), connection closed: "
                + socket.remoteEndpoint());
    timeout.initCause(e);
    return timeout;
  }

  static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static long nonZero(long nanos) {
    return nanos == 0 ? Long.MAX_VALUE : nanos;
  }

  @Override
  public String toString() {
    return "StreamConnection[" + local + " <-> " + socket.remoteEndpoint() + "]";
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
