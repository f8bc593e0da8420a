package io.ipc4j.benchmarks;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import io.ipc4j.spi.StreamSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * What the in-memory sockets share: endpoints, close, shutdown. Subclasses supply one direction;
 * the other fails, so that a benchmark cannot quietly measure the wrong direction.
 */
abstract class MemorySocket implements StreamSocket {
  private static final Endpoint UNNAMED = Endpoint.parse("unix:");

  private volatile boolean open = true;

  @Override
  public int read(ByteBuffer dst) throws IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is not readable");
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return write(srcs, 0, srcs.length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is not writable");
  }

  /** Copies up to {@code n} bytes from {@code src} to {@code dst}, moving both positions. */
  static void copy(ByteBuffer src, ByteBuffer dst, int n) {
    int limit = src.limit();
    src.limit(src.position() + n);
    dst.put(src);
    src.limit(limit);
  }

  void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return UNNAMED;
  }

  @Override
  public Endpoint remoteEndpoint() {
    return UNNAMED;
  }

  @Override
  public void shutdownInput() {}

  @Override
  public void shutdownOutput() {}

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return Optional.empty();
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
