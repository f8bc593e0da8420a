package io.ipc4j.transport.jdk;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.TransportProvider;
import io.ipc4j.spi.UnixSocketFile;
import io.ipc4j.spi.Watchdog;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sockets over JDK channels: TCP streams ({@code tcp}, {@code tcp4}, {@code tcp6}), UDP datagrams
 * ({@code udp}, {@code udp4}, {@code udp6}, with broadcast and multicast) and Unix stream sockets
 * on filesystem paths ({@code unix}, Java 16+). No native code. Abstract Unix names and Unix
 * datagrams are not supported by the JDK; the junixsocket transport serves them.
 */
public final class JdkTransportProvider implements TransportProvider {
  private static final Logger log = LoggerFactory.getLogger(JdkTransportProvider.class);
  private static final Set<String> INET = Set.of("tcp", "tcp4", "tcp6");
  static final Set<String> UDP = Set.of("udp", "udp4", "udp6");
  private static final Throwable UNIX_UNAVAILABLE = probeUnix();

  private final Set<String> schemes;

  /** Called by {@link java.util.ServiceLoader}. */
  public JdkTransportProvider() {
    schemes =
        UNIX_UNAVAILABLE == null
            ? Set.of("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix")
            : Set.of("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6");
  }

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public Set<String> schemes() {
    return schemes;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public Optional<Throwable> unavailabilityCause() {
    return Optional.empty();
  }

  @Override
  public Set<Capability> capabilities(String scheme) {
    if (INET.contains(scheme)) {
      return EnumSet.of(
          Capability.RELIABLE,
          Capability.ORDERED,
          Capability.HALF_CLOSE,
          Capability.VIRTUAL_THREADS);
    }
    if (UDP.contains(scheme)) {
      return EnumSet.of(
          Capability.MESSAGE_BOUNDARIES,
          Capability.BROADCAST,
          Capability.MULTICAST,
          Capability.VIRTUAL_THREADS);
    }
    if (schemes.contains(scheme)) {
      return EnumSet.of(
          Capability.RELIABLE,
          Capability.ORDERED,
          Capability.HALF_CLOSE,
          Capability.VIRTUAL_THREADS,
          Capability.PEER_CREDENTIALS,
          Capability.SOCKET_FILE_PERMISSIONS);
    }
    return EnumSet.noneOf(Capability.class);
  }

  @Override
  public boolean supports(Endpoint endpoint) {
    return schemes.contains(endpoint.scheme()) && !endpoint.isAbstract() && !endpoint.isUnnamed();
  }

  @Override
  public StreamSocket connect(Endpoint endpoint, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(endpoint);
    long timeout = options.get(StandardIpcOptions.CONNECT_TIMEOUT).toNanos();
    if (endpoint.isUnix()) {
      SocketChannel channel = connectUnix(endpoint, timeout);
      return new JdkStreamSocket(channel, endpoint.scheme(), null, endpoint, true);
    }
    long deadline = System.nanoTime() + timeout;
    List<IOException> failures = new ArrayList<>();
    for (InetAddress address : resolve(endpoint)) {
      long left = timeout == 0 ? 0 : Math.max(1, deadline - System.nanoTime());
      SocketChannel channel = SocketChannel.open(familyOf(address));
      try {
        connect(channel, new InetSocketAddress(address, endpoint.port()), endpoint, left, "");
        channel.setOption(
            StandardSocketOptions.TCP_NODELAY, options.get(StandardIpcOptions.TCP_NODELAY));
        return new JdkStreamSocket(channel, endpoint.scheme(), null, null, false);
      } catch (IOException e) {
        channel.close();
        failures.add(e);
        if (e instanceof SocketTimeoutException) {
          break;
        }
      }
    }
    IOException first = failures.get(0);
    for (int i = 1; i < failures.size(); i++) {
      first.addSuppressed(failures.get(i));
    }
    throw first;
  }

  /**
   * Connects a Unix stream socket. A Unix connect completes at once unless the listener's backlog
   * is full; then it blocks until the listener has room, or, with a timeout, until the watchdog
   * closes the socket at the deadline.
   */
  private static SocketChannel connectUnix(Endpoint endpoint, long timeoutNanos)
      throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    connect(
        channel,
        UnixDomainSocketAddress.of(endpoint.path()),
        endpoint,
        timeoutNanos,
        ", the listener's backlog is full");
    return channel;
  }

  /**
   * Connects {@code channel} in blocking mode, closing it if that fails. With a timeout the {@link
   * Watchdog} closes the socket at the deadline, which ends the connect: one system call where a
   * non-blocking connect, a {@code poll} and the switches between modes took up to seven more (5%
   * of a short unix connection's rate).
   *
   * @param waiting why a connect that timed out was waiting, for the message; or empty
   * @throws SocketTimeoutException if the deadline passed, naming the endpoint and the timeout
   * @throws ConnectException if connecting failed otherwise, naming the endpoint
   */
  private static void connect(
      SocketChannel channel,
      SocketAddress address,
      Endpoint endpoint,
      long timeoutNanos,
      String waiting)
      throws IOException {
    Watchdog.Deadline deadline =
        timeoutNanos == 0 ? null : Watchdog.get().closeAfter(channel, timeoutNanos);
    try {
      channel.connect(address);
      if (deadline != null && !deadline.disarm()) {
        throw new AsynchronousCloseException(); // Connected as the watchdog closed it.
      }
    } catch (IOException e) {
      channel.close();
      if (deadline != null && deadline.expired()) {
        SocketTimeoutException timeout =
            new SocketTimeoutException(
                "connect timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms (connectTimeout)"
                    + waiting
                    + ": "
                    + endpoint);
        timeout.initCause(e);
        throw timeout;
      }
      ConnectException failure = new ConnectException(endpoint + ": " + describe(e));
      failure.initCause(e);
      throw failure;
    } finally {
      if (deadline != null) {
        deadline.close();
      }
    }
  }

  @Override
  public StreamAcceptor listen(Endpoint endpoint, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(endpoint);
    int backlog = options.get(StandardIpcOptions.BACKLOG);
    if (endpoint.isUnix()) {
      ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        UnixSocketFile file =
            UnixSocketFile.bind(
                endpoint,
                options.get(StandardIpcOptions.SOCKET_FILE_PERMISSIONS),
                path -> channel.bind(UnixDomainSocketAddress.of(path), backlog),
                channel::isOpen);
        return new JdkStreamAcceptor(channel, endpoint, file, options);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
    InetAddress address = resolve(endpoint).get(0);
    ServerSocketChannel channel = ServerSocketChannel.open(familyOf(address));
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(address, endpoint.port()), backlog);
      Endpoint bound = DualStack.endpointOf(endpoint.scheme(), channel.getLocalAddress());
      return new JdkStreamAcceptor(channel, bound, null, options);
    } catch (BindException e) {
      channel.close();
      AddressInUseException inUse =
          new AddressInUseException(endpoint, endpoint + ": " + describe(e), true);
      inUse.initCause(e);
      throw inUse;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public DatagramSocket bindDatagram(Endpoint local, IpcOptions options) throws IOException {
    return JdkDatagramSocket.bind(local);
  }

  @Override
  public DatagramSocket connectDatagram(Endpoint remote, IpcOptions options) throws IOException {
    return JdkDatagramSocket.connect(remote);
  }

  /** The addresses of the endpoint's host that its scheme allows, in the resolver's order. */
  static List<InetAddress> resolve(Endpoint endpoint) throws UnknownHostException {
    InetAddress[] all = lookup(endpoint);
    List<InetAddress> allowed = new ArrayList<>();
    for (InetAddress a : all) {
      boolean v4 = a instanceof Inet4Address;
      if (endpoint.scheme().endsWith("4") ? v4 : endpoint.scheme().endsWith("6") ? !v4 : true) {
        allowed.add(a);
      }
    }
    if (allowed.isEmpty()) {
      throw new UnknownHostException(
          "host \""
              + endpoint.host()
              + "\" has no "
              + (endpoint.scheme().endsWith("4") ? "IPv4" : "IPv6")
              + " address: "
              + endpoint);
    }
    return allowed;
  }

  /** All the addresses of the endpoint's host, whatever its scheme allows. */
  static InetAddress[] lookup(Endpoint endpoint) throws UnknownHostException {
    if (endpoint.host().indexOf(':') >= 0
        && endpoint.toSocketAddress() instanceof InetSocketAddress literal
        && !literal.isUnresolved()) {
      // An IPv6 literal, converted without a lookup. InetAddress.getAllByName would turn an
      // IPv4-mapped one into an IPv4 address, which tcp6 and udp6 then refuse, though a dual-stack
      // server names its IPv4 peers so; under those schemes the endpoint keeps it IPv6.
      return new InetAddress[] {literal.getAddress()};
    }
    try {
      return InetAddress.getAllByName(endpoint.host());
    } catch (UnknownHostException e) {
      UnknownHostException unknown =
          new UnknownHostException("unknown host \"" + endpoint.host() + "\": " + endpoint);
      unknown.initCause(e);
      throw unknown;
    }
  }

  static ProtocolFamily familyOf(InetAddress address) {
    return address instanceof Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(java.util.Locale.ROOT);
  }

  private static Throwable probeUnix() {
    try {
      SocketChannel.open(StandardProtocolFamily.UNIX).close();
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("JDK Unix domain sockets unavailable", e);
      return e;
    }
  }

  @Override
  public String toString() {
    return "JdkTransportProvider" + schemes;
  }
}
