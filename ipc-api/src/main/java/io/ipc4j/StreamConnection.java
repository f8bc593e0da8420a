package io.ipc4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.Optional;

/**
 * An ordered, reliable, bidirectional byte stream to another process: TCP or a Unix stream socket.
 *
 * <pre>{@code
 * try (StreamConnection c = Ipc.connect("unix:///run/app.sock")) {
 *   c.outputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
 *   c.shutdownOutput();
 *   System.out.println(new String(c.inputStream().readAllBytes(), StandardCharsets.UTF_8));
 * }
 * }</pre>
 *
 * <p>Reads and writes block. One thread may read while another writes; concurrent reads (or
 * concurrent writes) are serialised. A read blocked longer than {@link
 * StandardIpcOptions#READ_TIMEOUT} fails with {@link java.net.SocketTimeoutException} and closes
 * the connection; likewise writes and {@link StandardIpcOptions#WRITE_TIMEOUT}. Closing the
 * connection from another thread makes blocked calls fail with {@link
 * java.nio.channels.AsynchronousCloseException}. {@link #close()} is idempotent.
 */
public interface StreamConnection extends ByteChannel, GatheringByteChannel {
  /** The endpoint of this side. */
  Endpoint localEndpoint();

  /** The endpoint of the peer ({@link Endpoint#isUnnamed() unnamed} for most Unix clients). */
  Endpoint remoteEndpoint();

  /**
   * Reads up to {@code dst.remaining()} bytes, blocking until at least one is available.
   *
   * @return the number of bytes read, or -1 at the end of the stream
   * @throws java.net.SocketTimeoutException if the read timeout expired (the connection is closed)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if the read fails
   */
  @Override
  int read(ByteBuffer dst) throws IOException;

  /**
   * Writes all of {@code src}, blocking until it is written.
   *
   * @return the number of bytes written (all that remained)
   * @throws java.net.SocketTimeoutException if the write timeout expired (the connection is closed)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if the write fails
   */
  @Override
  int write(ByteBuffer src) throws IOException;

  /** Writes all remaining bytes of the buffers, in order, with as few system calls as it can. */
  @Override
  long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

  /** Writes all remaining bytes of the buffers, in order. */
  @Override
  default long write(ByteBuffer[] srcs) throws IOException {
    return write(srcs, 0, srcs.length);
  }

  /** An unbuffered input stream over this connection. Its {@code close()} closes the connection. */
  InputStream inputStream();

  /**
   * An unbuffered output stream over this connection. Its {@code close()} closes the connection.
   */
  OutputStream outputStream();

  /**
   * Ends the output: the peer reads the end of the stream once it has read what was sent. Reads
   * keep working.
   *
   * @throws IOException if the connection is closed or the shutdown fails
   */
  void shutdownOutput() throws IOException;

  /**
   * Ends the input: further reads return -1. Writes keep working.
   *
   * @throws IOException if the connection is closed or the shutdown fails
   */
  void shutdownInput() throws IOException;

  /** Who the peer is, on transports that know it ({@link Capability#PEER_CREDENTIALS}). */
  Optional<PeerCredentials> peerCredentials();

  /**
   * Narrows this connection to a transport-specific type, such as the underlying {@link
   * java.nio.channels.SocketChannel} on the JDK transport.
   */
  <T> Optional<T> unwrap(Class<T> type);
}
