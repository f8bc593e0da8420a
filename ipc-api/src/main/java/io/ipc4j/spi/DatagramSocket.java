package io.ipc4j.spi;

import io.ipc4j.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.Optional;

/**
 * A blocking datagram socket as a provider supplies it ({@code udp*}, {@code unixgram}): bound, and
 * possibly connected to one peer. {@link #close()} from another thread must unblock a blocked
 * {@link #receive}.
 */
public interface DatagramSocket extends Channel {
  /** The endpoint this socket is bound to (port 0 resolved; an autobound Unix name if any). */
  Endpoint localEndpoint();

  /** The peer this socket is connected to, if it is. */
  Optional<Endpoint> remoteEndpoint();

  /** The largest datagram this socket can send, in bytes. */
  int maxDatagramSize();

  /**
   * Sends the remaining bytes of {@code src} as one datagram, all or nothing.
   *
   * @param target where to send it, or null to send to the connected peer
   * @throws IOException if the datagram cannot be sent
   */
  void send(ByteBuffer src, Endpoint target) throws IOException;

  /**
   * Receives one datagram into {@code dst}, blocking until one arrives. A datagram longer than
   * {@code dst.remaining()} fills {@code dst} and its rest is lost: callers that must detect
   * truncation pass one byte more than the largest datagram they accept.
   *
   * @return the sender (of a connected socket: the peer)
   * @throws IOException if receiving fails, or {@link java.nio.channels.ClosedChannelException} (an
   *     {@link java.nio.channels.AsynchronousCloseException} when closed while blocked)
   */
  Endpoint receive(ByteBuffer dst) throws IOException;

  /** Narrows to a transport-specific type; by default, to this object's own types. */
  default <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }
}
