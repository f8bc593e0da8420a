package io.ipc4j.spi;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.Optional;

/**
 * A connected, blocking stream socket as a provider supplies it. {@code read} blocks until at least
 * one byte is available; {@code write} may write fewer bytes than asked (the caller loops). {@link
 * #close()} from another thread must unblock a blocked read or write.
 */
public interface StreamSocket extends ByteChannel, GatheringByteChannel {
  /** The endpoint of this side. */
  Endpoint localEndpoint();

  /** The endpoint of the peer. */
  Endpoint remoteEndpoint();

  /** Shuts down the input side. */
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
