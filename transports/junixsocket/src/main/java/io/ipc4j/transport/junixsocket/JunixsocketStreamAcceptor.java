package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A listening, blocking {@link AFUNIXServerSocketChannel}, owning its socket file if it has one (an
 * abstract name has none).
 */
final class JunixsocketStreamAcceptor implements StreamAcceptor {
  private final AFUNIXServerSocketChannel channel;
  private final AFUNIXServerSocketChannel bound;
  private final Endpoint endpoint;
  private final UnixSocketFile file;
  private final boolean receiveDescriptors;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param channel the channel to accept on
   * @param bound the channel that was bound, if {@code channel} took over a duplicate of its
   *     descriptor (closed last: junixsocket's close shuts the shared socket down); else null
   * @param endpoint the endpoint to report
   * @param file the socket file to delete on close, or null
   * @param receiveDescriptors whether accepted sockets receive file descriptors
   */
  JunixsocketStreamAcceptor(
      AFUNIXServerSocketChannel channel,
      AFUNIXServerSocketChannel bound,
      Endpoint endpoint,
      UnixSocketFile file,
      boolean receiveDescriptors) {
    this.channel = channel;
    this.bound = bound;
    this.endpoint = endpoint;
    this.file = file;
    this.receiveDescriptors = receiveDescriptors;
  }

  @Override
  public StreamSocket accept() throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    AFUNIXSocketChannel accepted;
    try {
      do {
        accepted = channel.accept();
        // junixsocket returns null for a blocking accept that did not complete; retry if open.
        if (accepted == null && !channel.isOpen()) {
          throw new ClosedChannelException();
        }
      } while (accepted == null);
    } catch (IOException e) {
      if (closed.get() && !(e instanceof AsynchronousCloseException)) {
        // Closed while accepting: junixsocket sometimes reports a plain closed channel.
        AsynchronousCloseException c = new AsynchronousCloseException();
        c.initCause(e);
        throw c;
      }
      throw e;
    }
    try {
      // The local address of a path listener is the temporary name it was bound at; report the
      // endpoint instead. The peer is usually unnamed.
      return new JunixsocketStreamSocket(
          accepted,
          endpoint,
          UnixAddresses.peerOf(endpoint.scheme(), accepted.getRemoteAddress()),
          receiveDescriptors);
    } catch (IOException | RuntimeException e) {
      accepted.close();
      throw e;
    }
  }

  /** The channel that accepts and, if another, the one that was bound: for tests. */
  List<AFUNIXServerSocketChannel> channels() {
    return bound == null ? List.of(channel) : List.of(channel, bound);
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
   * Deletes the socket file if it is still ours, then closes the accepting channel and the bound
   * one; a later failure is added to the first as suppressed. The file goes first: while the socket
   * still listens, no other process can take its path for stale, so the file deleted is this one's.
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    IOException failure = null;
    for (Closeable step :
        new Closeable[] {file == null ? null : file::deleteIfOwned, channel, bound}) {
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

  @Override
  public String toString() {
    return "JunixsocketStreamAcceptor[" + endpoint + "]";
  }
}
