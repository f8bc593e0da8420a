package io.ipc4j.spi;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * A transport: the code that opens sockets for some endpoint schemes. Providers are found with
 * {@link java.util.ServiceLoader}; {@link io.ipc4j.Ipc} chooses, for each endpoint, the available
 * provider of highest {@link #priority()} that {@linkplain #supports supports} it, unless {@link
 * io.ipc4j.StandardIpcOptions#PROVIDER} names one.
 *
 * <p>A provider deals in blocking sockets only. Timeouts, stream views, framing, servers and error
 * messages are built once, above this interface, for every transport; the connect timeout is the
 * provider's, and {@link Watchdog#closeAfter} bounds a blocking connect without leaving blocking
 * mode.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface TransportProvider {
  /** A short, unique name, such as {@code jdk}; what {@code StandardIpcOptions.PROVIDER} takes. */
  String name();

  /** The endpoint schemes this provider serves, such as {@code tcp} and {@code unix}. */
  Set<String> schemes();

  /** Ranks providers serving the same scheme: the highest available one is chosen. */
  default int priority() {
    return 0;
  }

  /** Whether this provider can work in this JVM and on this platform. */
  boolean isAvailable();

  /** Why this provider is not available; empty when it is. */
  Optional<Throwable> unavailabilityCause();

  /** What this provider can do for {@code scheme}; empty for a scheme it does not serve. */
  Set<Capability> capabilities(String scheme);

  /**
   * Whether this provider can serve {@code endpoint}, whose scheme it serves. A provider that
   * cannot bind abstract names, for example, returns false for them.
   */
  default boolean supports(Endpoint endpoint) {
    return schemes().contains(endpoint.scheme());
  }

  /**
   * Refuses an endpoint with parameters, for a transport that takes none: a parameter it ignored (a
   * misspelt one, or one meant for another transport) would go unnoticed.
   *
   * @throws IllegalArgumentException naming the first parameter and the endpoint
   */
  static void requireNoParameters(Endpoint endpoint) {
    if (!endpoint.parameters().isEmpty()) {
      throw new IllegalArgumentException(
          "unknown parameter \""
              + endpoint.parameters().keySet().iterator().next()
              + "\" (expected: none over "
              + endpoint.scheme()
              + "): "
              + endpoint);
    }
  }

  /**
   * Connects a stream socket to {@code endpoint} ({@code tcp*}, {@code unix}), honouring {@code
   * CONNECT_TIMEOUT}.
   *
   * @throws java.net.ConnectException if nobody listens there
   * @throws java.net.SocketTimeoutException if the connect timeout expired
   * @throws IOException if connecting fails otherwise
   */
  StreamSocket connect(Endpoint endpoint, IpcOptions options) throws IOException;

  /**
   * Binds a stream listener to {@code endpoint}.
   *
   * @throws io.ipc4j.AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  StreamAcceptor listen(Endpoint endpoint, IpcOptions options) throws IOException;

  /**
   * Binds a datagram socket to {@code local} ({@code udp*}, {@code unixgram}).
   *
   * @throws io.ipc4j.AddressInUseException if the address is taken
   * @throws UnsupportedOperationException if this provider has no datagram sockets
   * @throws IOException if binding fails otherwise
   */
  default DatagramSocket bindDatagram(Endpoint local, IpcOptions options) throws IOException {
    throw new UnsupportedOperationException(name() + " has no datagram sockets: " + local);
  }

  /**
   * Opens a datagram socket connected to {@code remote}, bound to an address that the peer can
   * answer: an ephemeral port, or for {@code unixgram} a fresh abstract name (or a temporary path
   * where the platform has no abstract names).
   *
   * @throws UnsupportedOperationException if this provider has no datagram sockets
   * @throws IOException if connecting fails
   */
  default DatagramSocket connectDatagram(Endpoint remote, IpcOptions options) throws IOException {
    throw new UnsupportedOperationException(name() + " has no datagram sockets: " + remote);
  }

  /**
   * Connects a packet socket to {@code remote} ({@code unixpacket}), honouring {@code
   * CONNECT_TIMEOUT}.
   *
   * @throws UnsupportedOperationException if this provider has no packet sockets
   * @throws IOException as for {@link #connect}
   */
  default PacketSocket connectPacket(Endpoint remote, IpcOptions options) throws IOException {
    throw new UnsupportedOperationException(name() + " has no packet sockets: " + remote);
  }

  /**
   * Binds a packet listener to {@code local} ({@code unixpacket}).
   *
   * @throws UnsupportedOperationException if this provider has no packet sockets
   * @throws IOException as for {@link #listen}
   */
  default PacketAcceptor listenPacket(Endpoint local, IpcOptions options) throws IOException {
    throw new UnsupportedOperationException(name() + " has no packet sockets: " + local);
  }
}
