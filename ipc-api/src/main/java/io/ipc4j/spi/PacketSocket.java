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

  /**
   * What {@link #receive} returns, on a socket {@linkplain #idleAfter asked to}, when no packet
   * came within that time: the caller may let go of its buffer and {@link #awaitPacket} without
   * one.
   */
  int IDLE = -2;

  /**
   * Asks {@link #receive} to return {@link #IDLE} instead of waiting longer than {@code millis} for
   * a packet, from the next {@link #awaitPacket} on. Best effort: a socket that cannot (the
   * default) keeps waiting, and one that cannot tell the end of the stream from its timeout may
   * return {@code IDLE} at the end, which the {@code awaitPacket} and {@code receive} that follow
   * report. Called once, before the first receive.
   */
  default void idleAfter(int millis) {}

  /**
   * Waits, holding no buffer, until {@link #receive} would not block: a packet is queued, or the
   * peer has closed, or the input was shut down, or the socket failed (the receive that follows
   * reports which). The default returns at once. Called by the thread that receives.
   */
  default void awaitPacket() throws IOException {}

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
