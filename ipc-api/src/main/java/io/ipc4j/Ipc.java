package io.ipc4j;

import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.TransportProvider;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The front door: connect to and listen on any endpoint, as bytes or as messages.
 *
 * <pre>{@code
 * try (Listener<MessageConnection> listener = Ipc.listenMessages("unix:///tmp/app.sock");
 *     MessageConnection client = Ipc.connectMessages(listener.endpoint());
 *     MessageConnection server = listener.accept()) {
 *   client.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
 *   ByteBuffer m = server.receive();
 * }
 * }</pre>
 *
 * <p>Each method takes an {@link Endpoint} or its string form, and optionally {@link IpcOptions}.
 * The transport is chosen per endpoint (see {@link #providers()}).
 */
public final class Ipc {
  private Ipc() {}

  /** Connects a byte stream to {@code endpoint} with default options. */
  public static StreamConnection connect(String endpoint) throws IOException {
    return connect(Endpoint.parse(endpoint), IpcOptions.DEFAULTS);
  }

  /** Connects a byte stream to {@code endpoint}. */
  public static StreamConnection connect(String endpoint, IpcOptions options) throws IOException {
    return connect(Endpoint.parse(endpoint), options);
  }

  /** Connects a byte stream to {@code endpoint} with default options. */
  public static StreamConnection connect(Endpoint endpoint) throws IOException {
    return connect(endpoint, IpcOptions.DEFAULTS);
  }

  /**
   * Connects a byte stream to {@code endpoint}.
   *
   * @throws IllegalArgumentException if {@code endpoint} is not a stream endpoint (tcp, tcp4, tcp6,
   *     unix), naming it
   * @throws TransportUnavailableException if no available transport serves the endpoint with {@code
   *     options} (one that passes file descriptors, if {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS} is on)
   * @throws java.net.ConnectException if nobody listens there
   * @throws java.net.SocketTimeoutException if {@link StandardIpcOptions#CONNECT_TIMEOUT} expired
   * @throws IOException if connecting fails otherwise
   */
  public static StreamConnection connect(Endpoint endpoint, IpcOptions options) throws IOException {
    requireStream(endpoint, "Ipc.connectMessages");
    return openStream(endpoint, options);
  }

  /** Listens for byte-stream connections on {@code endpoint} with default options. */
  public static Listener<StreamConnection> listen(String endpoint) throws IOException {
    return listen(Endpoint.parse(endpoint), IpcOptions.DEFAULTS);
  }

  /** Listens for byte-stream connections on {@code endpoint}. */
  public static Listener<StreamConnection> listen(String endpoint, IpcOptions options)
      throws IOException {
    return listen(Endpoint.parse(endpoint), options);
  }

  /** Listens for byte-stream connections on {@code endpoint} with default options. */
  public static Listener<StreamConnection> listen(Endpoint endpoint) throws IOException {
    return listen(endpoint, IpcOptions.DEFAULTS);
  }

  /**
   * Listens for byte-stream connections on {@code endpoint}. Port 0 binds an ephemeral port; {@link
   * Listener#endpoint()} reports it.
   *
   * @throws IllegalArgumentException if {@code endpoint} is not a stream endpoint, naming it
   * @throws TransportUnavailableException if no available transport serves the endpoint with {@code
   *     options} (one that passes file descriptors, if {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS} is on)
   * @throws AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  public static Listener<StreamConnection> listen(Endpoint endpoint, IpcOptions options)
      throws IOException {
    requireStream(endpoint, "Ipc.listenMessages");
    return listenStreams(endpoint, options, s -> s);
  }

  /** Connects a message connection to {@code endpoint} with default options. */
  public static MessageConnection connectMessages(String endpoint) throws IOException {
    return connectMessages(Endpoint.parse(endpoint), IpcOptions.DEFAULTS);
  }

  /** Connects a message connection to {@code endpoint}. */
  public static MessageConnection connectMessages(String endpoint, IpcOptions options)
      throws IOException {
    return connectMessages(Endpoint.parse(endpoint), options);
  }

  /** Connects a message connection to {@code endpoint} with default options. */
  public static MessageConnection connectMessages(Endpoint endpoint) throws IOException {
    return connectMessages(endpoint, IpcOptions.DEFAULTS);
  }

  /**
   * Connects a message connection to {@code endpoint}: over {@code tcp*} and {@code unix},
   * length-prefixed frames; over {@code unixpacket}, one packet per message; over {@code udp*} and
   * {@code unixgram}, one datagram per message to and from that peer (from a local address the
   * system chooses, which the peer can answer).
   *
   * @throws TransportUnavailableException if no available transport serves the endpoint with {@code
   *     options} (one that passes file descriptors, if {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS} is on)
   * @throws java.net.ConnectException if nobody listens there
   * @throws java.net.SocketTimeoutException if {@link StandardIpcOptions#CONNECT_TIMEOUT} expired
   * @throws IOException if connecting fails otherwise
   */
  public static MessageConnection connectMessages(Endpoint endpoint, IpcOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    switch (endpoint.kind()) {
      case STREAM:
        return new FramedConnection(openStream(endpoint, options), options);
      case SEQPACKET:
        PacketSocket packets =
            Transports.choose(endpoint, options).connectPacket(endpoint, options);
        return new PacketConnection(packets, packets.localEndpoint(), options);
      default:
        DatagramSocket datagrams =
            Transports.choose(endpoint, options).connectDatagram(endpoint, options);
        return new DatagramConnection(
            new SocketDatagramEndpoint(datagrams, options),
            datagrams.remoteEndpoint().orElse(endpoint));
    }
  }

  /** Listens for message connections on {@code endpoint} with default options. */
  public static Listener<MessageConnection> listenMessages(String endpoint) throws IOException {
    return listenMessages(Endpoint.parse(endpoint), IpcOptions.DEFAULTS);
  }

  /** Listens for message connections on {@code endpoint}. */
  public static Listener<MessageConnection> listenMessages(String endpoint, IpcOptions options)
      throws IOException {
    return listenMessages(Endpoint.parse(endpoint), options);
  }

  /** Listens for message connections on {@code endpoint} with default options. */
  public static Listener<MessageConnection> listenMessages(Endpoint endpoint) throws IOException {
    return listenMessages(endpoint, IpcOptions.DEFAULTS);
  }

  /**
   * Listens for message connections on {@code endpoint}. Over {@code udp*} and {@code unixgram}
   * each peer address is a connection of its own, made by its first datagram and ended by {@link
   * StandardIpcOptions#SESSION_IDLE_TIMEOUT}; see {@link IpcServer}.
   *
   * @throws TransportUnavailableException if no available transport serves the endpoint with {@code
   *     options} (one that passes file descriptors, if {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS} is on)
   * @throws AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  public static Listener<MessageConnection> listenMessages(Endpoint endpoint, IpcOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    TransportProvider provider = Transports.choose(endpoint, options);
    boolean virtual = provider.capabilities(endpoint.scheme()).contains(Capability.VIRTUAL_THREADS);
    switch (endpoint.kind()) {
      case STREAM:
        return listenStreams(endpoint, options, s -> new FramedConnection(s, options));
      case SEQPACKET:
        PacketAcceptor acceptor = provider.listenPacket(endpoint, options);
        return new ProviderListener<>(
            acceptor,
            acceptor.endpoint(),
            () -> new PacketConnection(acceptor.accept(), acceptor.endpoint(), options),
            acceptor::isOpen,
            virtual);
      default:
        return new DatagramListener(provider.bindDatagram(endpoint, options), options, virtual);
    }
  }

  /** Binds a datagram endpoint to {@code endpoint} with default options. */
  public static DatagramEndpoint bind(String endpoint) throws IOException {
    return bind(Endpoint.parse(endpoint), IpcOptions.DEFAULTS);
  }

  /** Binds a datagram endpoint to {@code endpoint}. */
  public static DatagramEndpoint bind(String endpoint, IpcOptions options) throws IOException {
    return bind(Endpoint.parse(endpoint), options);
  }

  /** Binds a datagram endpoint to {@code endpoint} with default options. */
  public static DatagramEndpoint bind(Endpoint endpoint) throws IOException {
    return bind(endpoint, IpcOptions.DEFAULTS);
  }

  /**
   * Binds a datagram endpoint to {@code endpoint} ({@code udp*}, {@code unixgram}). Port 0 binds an
   * ephemeral port; {@link DatagramEndpoint#localEndpoint()} reports it. {@code
   * udp://GROUP:PORT?interface=NAME} joins a multicast group.
   *
   * @throws IllegalArgumentException if {@code endpoint} is not a datagram endpoint, naming it
   * @throws TransportUnavailableException if no available transport serves the endpoint with {@code
   *     options} (one that passes file descriptors, if {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS} is on)
   * @throws AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  public static DatagramEndpoint bind(Endpoint endpoint, IpcOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    if (endpoint.kind() != Endpoint.Kind.DATAGRAM) {
      throw new IllegalArgumentException(
          "not a datagram endpoint (expected: udp, udp4, udp6 or unixgram): " + endpoint);
    }
    DatagramSocket socket = Transports.choose(endpoint, options).bindDatagram(endpoint, options);
    return new SocketDatagramEndpoint(socket, options);
  }

  /**
   * A report of every scheme: which providers serve it, in the order they are tried, whether each
   * is available (and why not), with which capabilities, and this platform's Unix path limits.
   * Probes every provider, which may load native code.
   */
  public static String doctor() {
    return Transports.report();
  }

  /**
   * The transport providers found in this JVM, available or not. When several serve a scheme, the
   * available one with the highest {@link TransportProvider#priority()} that supports the endpoint
   * is used, unless {@link StandardIpcOptions#PROVIDER} names another.
   */
  public static List<TransportProvider> providers() {
    return Transports.all();
  }

  private static SocketConnection openStream(Endpoint endpoint, IpcOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    TransportProvider provider = Transports.choose(endpoint, options);
    var socket = provider.connect(endpoint, options);
    return new SocketConnection(socket, null, options);
  }

  private static <C> Listener<C> listenStreams(
      Endpoint endpoint, IpcOptions options, Function<SocketConnection, C> wrap)
      throws IOException {
    Objects.requireNonNull(options, "options");
    TransportProvider provider = Transports.choose(endpoint, options);
    StreamAcceptor acceptor = provider.listen(endpoint, options);
    return new ProviderListener<>(
        acceptor,
        acceptor.endpoint(),
        () -> wrap.apply(new SocketConnection(acceptor.accept(), acceptor.endpoint(), options)),
        acceptor::isOpen,
        provider.capabilities(endpoint.scheme()).contains(Capability.VIRTUAL_THREADS));
  }

  private static void requireStream(Endpoint endpoint, String forMessages) {
    if (endpoint.kind() != Endpoint.Kind.STREAM) {
      throw new IllegalArgumentException(
          "not a stream endpoint (expected: tcp, tcp4, tcp6 or unix; for messages use "
              + forMessages
              + "): "
              + endpoint);
    }
  }
}
