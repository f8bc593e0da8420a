package io.ipc4j;

import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.TransportProvider;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

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
   * @throws TransportUnavailableException if no available transport serves the endpoint
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
   * @throws TransportUnavailableException if no available transport serves the endpoint
   * @throws AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  public static Listener<StreamConnection> listen(Endpoint endpoint, IpcOptions options)
      throws IOException {
    requireStream(endpoint, "Ipc.listenMessages");
    return new StreamListener<>(openAcceptor(endpoint, options), options, s -> s);
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
   * Connects a message connection to {@code endpoint}. Over stream transports messages are
   * length-prefixed frames.
   *
   * @throws TransportUnavailableException if no available transport serves the endpoint
   * @throws java.net.ConnectException if nobody listens there
   * @throws java.net.SocketTimeoutException if {@link StandardIpcOptions#CONNECT_TIMEOUT} expired
   * @throws IOException if connecting fails otherwise
   */
  public static MessageConnection connectMessages(Endpoint endpoint, IpcOptions options)
      throws IOException {
    requireMessageCapable(endpoint, options);
    return new FramedConnection(openStream(endpoint, options), options);
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
   * Listens for message connections on {@code endpoint}.
   *
   * @throws TransportUnavailableException if no available transport serves the endpoint
   * @throws AddressInUseException if the address is taken
   * @throws IOException if binding fails otherwise
   */
  public static Listener<MessageConnection> listenMessages(Endpoint endpoint, IpcOptions options)
      throws IOException {
    requireMessageCapable(endpoint, options);
    return new StreamListener<>(
        openAcceptor(endpoint, options), options, s -> new FramedConnection(s, options));
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
    return new SocketConnection(socket, socket.localEndpoint(), options);
  }

  private static StreamAcceptor openAcceptor(Endpoint endpoint, IpcOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    return Transports.choose(endpoint, options).listen(endpoint, options);
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

  private static void requireMessageCapable(Endpoint endpoint, IpcOptions options)
      throws TransportUnavailableException {
    Objects.requireNonNull(options, "options");
    if (endpoint.kind() != Endpoint.Kind.STREAM) {
      // Native message transports (unixpacket, udp, unixgram) come with their providers.
      Transports.choose(endpoint, options);
      throw new TransportUnavailableException(
          endpoint.scheme(),
          "messages over " + endpoint.scheme() + " are not supported yet: " + endpoint,
          null);
    }
  }
}
