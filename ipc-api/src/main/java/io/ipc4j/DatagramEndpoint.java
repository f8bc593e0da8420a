package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Addressed datagrams ({@code udp}, {@code udp4}, {@code udp6}, {@code unixgram}): each send is one
 * datagram to an endpoint, each receive one datagram with its sender. Datagrams may be lost,
 * duplicated or reordered on {@code udp}; check {@link Capability#RELIABLE}.
 *
 * <pre>{@code
 * try (DatagramEndpoint collector = Ipc.bind("udp://127.0.0.1:9000")) {
 *   Datagram d = collector.receive();
 *   collector.send(d.sender(), ByteBuffer.wrap("ack".getBytes(StandardCharsets.UTF_8)));
 * }
 * }</pre>
 *
 * <p>A datagram is never cut silently: one larger than the receiver's buffer is discarded and
 * reported with {@link MessageTooLargeException}. Thread-safe; {@link #close()} is idempotent and
 * unblocks a blocked receive. Receives obey {@link StandardIpcOptions#READ_TIMEOUT}, and sends
 * {@link StandardIpcOptions#WRITE_TIMEOUT} (a {@code unixgram} send waits while the receiver's
 * queue is full); either, when it passes, closes the endpoint.
 */
public interface DatagramEndpoint extends Closeable {
  /** The endpoint this side is bound to (port 0 resolved). */
  Endpoint localEndpoint();

  /**
   * Sends the remaining bytes of {@code message} to {@code target} as one datagram.
   *
   * @throws MessageTooLargeException if the message exceeds {@link #maxMessageSize()}; nothing was
   *     sent
   * @throws IllegalArgumentException if {@code target} is not of this endpoint's kind
   * @throws java.nio.channels.ClosedChannelException if this endpoint is closed
   * @throws IOException if sending fails
   */
  void send(Endpoint target, ByteBuffer message) throws IOException;

  /**
   * Receives the next datagram into a new buffer.
   *
   * @throws java.net.SocketTimeoutException if the read timeout expired (the endpoint is closed)
   * @throws java.nio.channels.ClosedChannelException if this endpoint is closed
   * @throws IOException if receiving fails
   */
  Datagram receive() throws IOException;

  /**
   * Receives the next datagram into {@code dst} without allocating a buffer; the position advances
   * by its length.
   *
   * @return the sender
   * @throws MessageTooLargeException if the datagram does not fit {@code dst.remaining()}: it is
   *     discarded and the endpoint stays usable
   * @throws IOException as for {@link #receive()}
   */
  Endpoint receive(ByteBuffer dst) throws IOException;

  /** The largest datagram this endpoint sends or accepts, in bytes. */
  int maxMessageSize();

  /** Whether this endpoint is open. */
  boolean isOpen();

  /** Narrows to a transport-specific type, such as {@link java.nio.channels.DatagramChannel}. */
  <T> Optional<T> unwrap(Class<T> type);

  @Override
  void close() throws IOException;
}
