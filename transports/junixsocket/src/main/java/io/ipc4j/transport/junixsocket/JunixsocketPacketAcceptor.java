package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A listening SOCK_SEQPACKET socket (junixsocket opens those as {@link AFUNIXDatagramSocket}s that
 * listen and accept), owning its socket file if it has one (an abstract name has none).
 */
final class JunixsocketPacketAcceptor implements PacketAcceptor {
  private final AFUNIXDatagramSocket socket;
  private final Endpoint endpoint;
  private final UnixSocketFile file;
  private final boolean receiveDescriptors;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param socket the bound, listening socket
   * @param endpoint the endpoint to report
   * @param file the socket file to delete on close, or null
   * @param receiveDescriptors whether accepted sockets receive file descriptors
   */
  JunixsocketPacketAcceptor(
      AFUNIXDatagramSocket socket,
      Endpoint endpoint,
      UnixSocketFile file,
      boolean receiveDescriptors) {
    this.socket = socket;
    this.endpoint = endpoint;
    this.file = file;
    this.receiveDescriptors = receiveDescriptors;
  }

  @Override
  public PacketSocket accept() throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    AFUNIXDatagramSocket accepted;
    try {
      AFDatagramSocket<AFUNIXSocketAddress> next;
      do {
        next = socket.accept();
        // As for streams, a blocking accept that did not complete may return null; retry if open.
        if (next == null && (closed.get() || socket.isClosed())) {
          throw new ClosedChannelException();
        }
      } while (next == null);
      accepted = (AFUNIXDatagramSocket) next;
    } catch (IOException e) {
      if (closed.get() && !(e instanceof AsynchronousCloseException)) {
        // Closed while accepting: junixsocket reports "Socket is closed".
        AsynchronousCloseException c = new AsynchronousCloseException();
        c.initCause(e);
        throw c;
      }
      throw e;
    }
    try {
      // The local address of a path listener is the temporary name it was bound at; report the
      // endpoint instead. The peer is usually unnamed.
      return new JunixsocketPacketSocket(
          accepted,
          endpoint,
          UnixAddresses.peerOf(endpoint.scheme(), accepted.getRemoteSocketAddress()),
          receiveDescriptors);
    } catch (IOException | RuntimeException e) {
      accepted.close();
      throw e;
    }
  }

  /** The listening socket: for tests. */
  AFUNIXDatagramSocket socket() {
    return socket;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && !socket.isClosed();
  }

  /**
   * Deletes the socket file if it is still ours, then closes the socket; a later failure is added
   * to the first as suppressed. The file goes first: while the socket still listens, no other
   * process can take its path for stale, so the file deleted is this one's.
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    IOException failure = null;
    for (Closeable step : new Closeable[] {file == null ? null : file::deleteIfOwned, socket}) {
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
    return "JunixsocketPacketAcceptor[" + endpoint + "]";
  }
}
