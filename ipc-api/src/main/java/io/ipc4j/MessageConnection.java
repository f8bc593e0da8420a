package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
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
 * <p>A program that streams many small messages sends them in batches with {@link
 * #sendAll(ByteBuffer...)}: over stream transports many messages of a batch share one system call,
 * where each {@code send} makes its own.
 *
 * <p>Thread-safety: {@code send} and {@code sendAll} may be called from several threads (each
 * message is written whole, and the messages of one batch are not interleaved with other sends),
 * and so may {@code receive} (each caller gets whole messages); one thread may send while another
 * receives. Blocking calls obey {@link StandardIpcOptions#READ_TIMEOUT} and {@link
 * StandardIpcOptions#WRITE_TIMEOUT}. {@link #close()} is idempotent.
 */
public interface MessageConnection extends Closeable {
  /**
   * Sends the remaining bytes of {@code message} as one message. The buffer's position advances to
   * its limit; if the send fails, where it stands is unspecified.
   *
   * @throws MessageTooLargeException if the message exceeds {@link #maxMessageSize()}; nothing was
   *     sent and the connection stays usable
   * @throws IllegalArgumentException if the message is empty on a transport that cannot send empty
   *     messages ({@code unixpacket}, {@code unixgram}, and a connected {@code udp*} socket);
   *     nothing was sent
   * @throws java.net.PortUnreachableException over a connected datagram socket, if an earlier
   *     datagram found nobody listening at the peer (the connection stays usable)
   * @throws java.net.SocketTimeoutException if the write timeout expired (the connection is closed)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if the write fails
   */
  void send(ByteBuffer message) throws IOException;

  /**
   * Sends the remaining bytes of each buffer as one message, in order: {@code messages[offset]}
   * first, {@code messages[offset + length - 1]} last. The messages of one call are not interleaved
   * with those of other threads' sends. Every message is checked before anything is written, so an
   * argument error sends nothing and leaves the connection usable. Each buffer's position advances
   * to its limit as its message is sent. A {@code length} of 0 does nothing.
   *
   * <p>Over stream transports ({@code tcp*}, {@code unix}) the frames of many messages go out in
   * one gathering write, which is what makes a batch of small messages cheaper than a {@link #send}
   * each. Over {@code unixpacket}, {@code udp*} and {@code unixgram} each message is still one
   * packet or datagram, one system call each (the JDK has no {@code sendmmsg}): a batch saves only
   * the locking, and keeps the batch together.
   *
   * @param messages the messages; none of those in the range may be null
   * @param offset the index of the first message to send
   * @param length how many messages to send
   * @throws IndexOutOfBoundsException if {@code offset} or {@code length} is negative, or {@code
   *     offset + length} exceeds {@code messages.length}; nothing was sent
   * @throws NullPointerException if {@code messages} is null, or one of the messages in the range
   *     is (the exception names its index); nothing was sent
   * @throws MessageTooLargeException if a message exceeds {@link #maxMessageSize()}; the exception
   *     names its index, {@link MessageTooLargeException#size()} is its size; nothing was sent and
   *     the connection stays usable
   * @throws IllegalArgumentException if a message is empty on a transport that cannot send empty
   *     messages ({@code unixpacket}, {@code unixgram}, and a connected {@code udp*} socket), or if
   *     one buffer is in the range twice (to send the same bytes twice, pass {@code
   *     buffer.duplicate()}); the exception names the index; nothing was sent
   * @throws java.net.SocketTimeoutException if the write timeout expired (the connection is closed;
   *     the positions of the buffers say how much was written)
   * @throws java.nio.channels.ClosedChannelException if the connection is closed
   * @throws IOException if a write fails (messages before the failed one may have been sent)
   */
  void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException;

  /**
   * Sends the remaining bytes of each buffer as one message, in order, as {@link
   * #sendAll(ByteBuffer[], int, int) sendAll(messages, 0, messages.length)} does.
   *
   * <pre>{@code
   * c.sendAll(UTF_8.encode("first"), UTF_8.encode("second"), UTF_8.encode("third"));
   * }</pre>
   *
   * @throws NullPointerException if {@code messages} or one of its elements is null; nothing was
   *     sent
   * @throws MessageTooLargeException if a message exceeds {@link #maxMessageSize()}; nothing was
   *     sent and the connection stays usable
   * @throws IOException as for {@link #sendAll(ByteBuffer[], int, int)}
   */
  default void sendAll(ByteBuffer... messages) throws IOException {
    sendAll(Objects.requireNonNull(messages, "messages"), 0, messages.length);
  }

  /**
   * Receives the next message into a new buffer, positioned at 0 with its limit at the message's
   * length.
   *
   * @return the message, or null if the peer closed the connection between messages
   * @throws java.io.EOFException if the peer closed the connection inside a message
   * @throws MessageTooLargeException if the peer announced a message larger than {@link
   *     #maxMessageSize()} (the connection is closed)
   * @throws java.net.PortUnreachableException over a connected datagram socket, if an earlier
   *     datagram found nobody listening at the peer (the connection stays usable)
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
