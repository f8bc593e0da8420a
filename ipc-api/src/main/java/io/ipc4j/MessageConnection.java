package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Ordered whole messages to and from another process. Over stream transports each message is a
 * frame: a 4-byte big-endian unsigned length and then that many bytes (see the README for the wire
 * format).
 *
 * <pre>{@code
 * try (MessageConnection c = Ipc.connectMessages("tcp://127.0.0.1:7000")) {
 *   c.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
 *   ByteBuffer reply = c.receive();
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@code send} may be called from several threads (each message is written
 * whole), and so may {@code receive} (each caller gets whole messages); one thread may send while
 * another receives. Blocking calls obey {@link StandardIpcOptions#READ_TIMEOUT} and {@link
 * StandardIpcOptions#WRITE_TIMEOUT}. {@link #close()} is idempotent.
 */
public interface MessageConnection extends Closeable {
  /**
   * Sends the remaining bytes of {@code message} as one message. The buffer's position advances to
   * its limit.
   *
   * @throws MessageTooLargeException if the message exceeds {@link #maxMessageSize()}; nothing was
   *     sent and the connection stays usable
   * @throws java.net.SocketTimeoutException if the write timeout expired (the connection is closed)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if the write fails
   */
  void send(ByteBuffer message) throws IOException;

  /**
   * Receives the next message into a new buffer, positioned at 0 with its limit at the message's
   * length.
   *
   * @return the message, or null if the peer closed the connection between messages
   * @throws java.io.EOFException if the peer closed the connection inside a message
   * @throws MessageTooLargeException if the peer announced a message larger than {@link
   *     #maxMessageSize()} (the connection is closed)
   * @throws java.net.SocketTimeoutException if the read timeout expired (the connection is closed)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if the read fails
   */
  ByteBuffer receive() throws IOException;

  /**
   * Receives the next message into {@code dst}, without allocating. The position advances by the
   * message's length.
   *
   * @return the message's length, or -1 if the peer closed the connection between messages
   * @throws MessageTooLargeException if the message does not fit in {@code dst.remaining()}: it is
   *     discarded and the connection stays usable; or as for {@link #receive()}
   * @throws java.io.EOFException if the peer closed the connection inside a message
   * @throws IOException as for {@link #receive()}
   */
  int receive(ByteBuffer dst) throws IOException;

  /** The largest message this connection sends or accepts, in bytes. */
  int maxMessageSize();

  /** The endpoint of this side. */
  Endpoint localEndpoint();

  /** The endpoint of the peer. */
  Endpoint remoteEndpoint();

  /** Who the peer is, on transports that know it ({@link Capability#PEER_CREDENTIALS}). */
  Optional<PeerCredentials> peerCredentials();

  /** Whether the connection is open. */
  boolean isOpen();

  /** Narrows this connection to a transport-specific type. */
  <T> Optional<T> unwrap(Class<T> type);

  /**
   * Closes the connection; blocked calls fail with an {@link
   * java.nio.channels.AsynchronousCloseException}.
   */
  @Override
  void close() throws IOException;
}
