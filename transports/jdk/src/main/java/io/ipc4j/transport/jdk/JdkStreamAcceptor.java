package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.UnixSocketFile;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/** A bound, blocking {@link ServerSocketChannel}, owning its Unix socket file if it has one. */
final class JdkStreamAcceptor implements StreamAcceptor {
  private final ServerSocketChannel channel;
  private final Endpoint endpoint;
  private final UnixSocketFile file;
  private final boolean noDelay;
  private final AtomicBoolean closed = new AtomicBoolean();

  JdkStreamAcceptor(
      ServerSocketChannel channel, Endpoint endpoint, UnixSocketFile file, IpcOptions options) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.file = file;
    this.noDelay = options.get(StandardIpcOptions.TCP_NODELAY);
  }

  @Override
  public StreamSocket accept() throws IOException {
    SocketChannel accepted = channel.accept();
    try {
      if (file != null) {
        // The peer of a Unix socket is usually unnamed; its local side is this listener.
        return new JdkStreamSocket(accepted, endpoint.scheme(), endpoint, null, true);
      }
      accepted.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
      return new JdkStreamSocket(accepted, endpoint.scheme(), null, null, false);
    } catch (IOException | RuntimeException e) {
      accepted.close();
      throw e;
    }
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  /**
   * Deletes the socket file if it is still ours, then closes the channel: while the socket still
   * listens, no other process can take its path for stale, so the file deleted is this one's.
   */
  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      try {
        if (file != null) {
          file.deleteIfOwned();
        }
      } finally {
        channel.close();
      }
    }
  }
}
