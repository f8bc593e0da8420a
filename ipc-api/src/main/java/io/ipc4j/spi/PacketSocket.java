package io.ipc4j.spi;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.Optional;

/**
 * A connected, blocking socket that keeps message boundaries ({@code unixpacket}, SOCK_SEQPACKET)
 * as a provider supplies it. {@link #close()} from another thread must unblock a blocked call.
 */
public interface PacketSocket extends Channel {
  /** The endpoint of this side. */
  Endpoint localEndpoint();

  /** The endpoint of the peer. */
  Endpoint remoteEndpoint();

  /** The largest packet this socket can send, in bytes. */
  int maxPacketSize();

  /** Sends the remaining bytes of {@code src} as one packet, all or nothing. */
  void send(ByteBuffer src) throws IOException;

  /**
   * Receives one packet into {@code dst}, blocking until one arrives. A packet longer than {@code
   * dst.remaining()} fills {@code dst} and its rest is lost: callers that must detect truncation
   * pass one byte more than the largest packet they accept.
   *
   * @return the packet's length as received, or -1 when the peer has closed the connection
   */
  int receive(ByteBuffer dst) throws IOException;

  /** Shuts down the input side: a blocked or later {@link #receive} returns -1. */
  void shutdownInput() throws IOException;

  /** Shuts down the output side. */
  void shutdownOutput() throws IOException;

  /** The peer's credentials, where the transport knows them. */
  Optional<PeerCredentials> peerCredentials();

  /** Narrows to a transport-specific type; by default, to this object's own types. */
  default <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }
}
