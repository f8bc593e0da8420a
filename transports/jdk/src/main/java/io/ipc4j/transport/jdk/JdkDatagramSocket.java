package io.ipc4j.transport.jdk;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.MessageTooLargeException;
import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking {@link DatagramChannel} for {@code udp}, {@code udp4} and {@code udp6}.
 *
 * <p>A connected socket is connected in the kernel, bound first to the address the system would
 * choose for the peer: the kernel then keeps the route (an unconnected send looks it up for every
 * datagram: 13% fewer 64-byte datagrams per second on loopback), drops datagrams from anyone else,
 * and reports an ICMP "port unreachable" as a {@link PortUnreachableException} on a later send or
 * receive. The price: the JDK sends nothing for an empty buffer on a connected channel (its write
 * path skips zero-length buffers), so an empty datagram is refused; an unconnected socket sends
 * them.
 */
final class JdkDatagramSocket implements DatagramSocket {
  private static final Logger log = LoggerFactory.getLogger(JdkDatagramSocket.class);

  /** 65,535 less the 20-byte IPv4 header and the 8-byte UDP header. */
  static final int MAX_IPV4 = 65_507;

  /** 65,535 (the IPv6 payload length) less the 8-byte UDP header. */
  static final int MAX_IPV6 = 65_527;

  private static final String INTERFACE = "interface";
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private final DatagramChannel channel;
  private final Endpoint local;
  private final Optional<Endpoint> remote;
  private final InetSocketAddress remoteAddress;
  private final String scheme;
  private final boolean ipv6;

  /** An IPv6 socket bound to the wildcard address, which also talks to IPv4 peers. */
  private final boolean dualStack;

  /** The last sender seen and its endpoint, so that a repeated sender costs no allocation. */
  private volatile Peer lastSender;

  /** The last target sent to and its address, for IP literals only (names may change). */
  private volatile Peer lastTarget;

  private record Peer(Endpoint endpoint, InetSocketAddress address) {}

  private JdkDatagramSocket(
      DatagramChannel channel, Endpoint local, Endpoint remote, InetSocketAddress remoteAddress)
      throws IOException {
    this.channel = channel;
    this.local = local;
    this.remote = Optional.ofNullable(remote);
    this.remoteAddress = remoteAddress;
    this.scheme = local.scheme();
    InetAddress bound = ((InetSocketAddress) channel.getLocalAddress()).getAddress();
    this.ipv6 = bound instanceof Inet6Address;
    this.dualStack = ipv6 && bound.isAnyLocalAddress();
  }

  /**
   * Binds {@code endpoint}; {@code udp://GROUP:PORT?interface=NAME} binds the port, joins the
   * multicast group on that interface and sends to groups through it.
   */
  static JdkDatagramSocket bind(Endpoint endpoint) throws IOException {
    String interfaceName = checkParameters(endpoint);
    InetAddress address = JdkTransportProvider.resolve(endpoint).get(0);
    NetworkInterface nif = null;
    if (interfaceName != null) {
      if (!address.isMulticastAddress()) {
        throw new IllegalArgumentException(
            "?interface= is for multicast groups only (expected: a group address, 224.0.0.0 to"
                + " 239.255.255.255 or ff00::/8): "
                + endpoint);
      }
      nif = networkInterface(interfaceName, endpoint);
    } else if (address.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "multicast group without an interface (expected: ?interface=NAME, such as"
              + " ?interface=lo): "
              + endpoint);
    }
    DatagramChannel channel = DatagramChannel.open(JdkTransportProvider.familyOf(address));
    try {
      channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
      if (nif == null) {
        bind(channel, new InetSocketAddress(address, endpoint.port()), endpoint);
        return new JdkDatagramSocket(
            channel,
            DualStack.endpointOf(endpoint.scheme(), channel.getLocalAddress()),
            null,
            null);
      }
      // Several members of one group may share a port on one host; unicast binds stay exclusive.
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      // Bound to the group, a socket receives only the group's datagrams; Windows refuses that.
      InetAddress bindAddress = WINDOWS ? wildcard(address) : address;
      bind(channel, new InetSocketAddress(bindAddress, endpoint.port()), endpoint);
      try {
        channel.join(address, nif);
      } catch (IOException e) {
        SocketException failure =
            new SocketException(
                "cannot join the multicast group on interface "
                    + nif.getName()
                    + ": "
                    + JdkTransportProvider.describe(e)
                    + ": "
                    + endpoint);
        failure.initCause(e);
        throw failure;
      }
      int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      return new JdkDatagramSocket(channel, endpoint.withPort(port), null, null);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Opens a socket that talks to {@code endpoint} only, bound to an ephemeral port on the address
   * the system chooses to reach it.
   */
  static JdkDatagramSocket connect(Endpoint endpoint) throws IOException {
    if (checkParameters(endpoint) != null) {
      throw new IllegalArgumentException(
          "cannot connect to a multicast group (expected: a unicast address; bind the group to"
              + " send to it and receive from it): "
              + endpoint);
    }
    InetAddress address = JdkTransportProvider.resolve(endpoint).get(0);
    if (address.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "cannot connect to a multicast group (expected: a unicast address; bind the group to"
              + " send to it and receive from it): "
              + endpoint);
    }
    if (endpoint.port() == 0) {
      throw new IllegalArgumentException(
          "port 0 cannot be connected to (expected: 1 to 65535): " + endpoint);
    }
    InetSocketAddress target = new InetSocketAddress(address, endpoint.port());
    InetAddress source;
    try (DatagramChannel probe = DatagramChannel.open(JdkTransportProvider.familyOf(address))) {
      // A kernel connect sends nothing; it only asks the routing table for the source address.
      probe.connect(target);
      source = ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    } catch (IOException e) {
      ConnectException failure =
          new ConnectException(endpoint + ": " + JdkTransportProvider.describe(e));
      failure.initCause(e);
      throw failure;
    }
    DatagramChannel channel = DatagramChannel.open(JdkTransportProvider.familyOf(address));
    try {
      channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
      channel.bind(new InetSocketAddress(source, 0));
      channel.connect(target);
      return new JdkDatagramSocket(
          channel,
          DualStack.endpointOf(endpoint.scheme(), channel.getLocalAddress()),
          DualStack.endpointOf(endpoint.scheme(), target),
          target);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Rejects parameters other than {@code interface}; returns its value, or null. */
  private static String checkParameters(Endpoint endpoint) {
    if (!JdkTransportProvider.UDP.contains(endpoint.scheme())) {
      throw new IllegalArgumentException(
          "not a udp endpoint (expected: udp, udp4 or udp6): " + endpoint);
    }
    for (Map.Entry<String, String> p : endpoint.parameters().entrySet()) {
      if (!p.getKey().equals(INTERFACE)) {
        throw new IllegalArgumentException(
            "unknown parameter \""
                + p.getKey()
                + "\" (expected: "
                + INTERFACE
                + ", for a multicast group): "
                + endpoint);
      }
    }
    return endpoint.parameter(INTERFACE).orElse(null);
  }

  private static NetworkInterface networkInterface(String name, Endpoint endpoint)
      throws SocketException {
    NetworkInterface nif = NetworkInterface.getByName(name);
    if (nif == null) {
      List<String> names =
          NetworkInterface.networkInterfaces()
              .map(NetworkInterface::getName)
              .sorted()
              .collect(Collectors.toList());
      throw new SocketException(
          "no network interface \""
              + name
              + "\" (expected: one of "
              + String.join(", ", names)
              + "): "
              + endpoint);
    }
    return nif;
  }

  private static InetAddress wildcard(InetAddress like) throws IOException {
    return InetAddress.getByName(like instanceof Inet6Address ? "::" : "0.0.0.0");
  }

  private static void bind(DatagramChannel channel, InetSocketAddress address, Endpoint endpoint)
      throws IOException {
    try {
      channel.bind(address);
    } catch (BindException e) {
      String why = JdkTransportProvider.describe(e);
      BindException failure =
          why.contains("in use")
              ? new AddressInUseException(endpoint, endpoint + ": " + why, true)
              : new BindException(endpoint + ": " + why);
      failure.initCause(e);
      throw failure;
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public Optional<Endpoint> remoteEndpoint() {
    return remote;
  }

  @Override
  public int maxDatagramSize() {
    return ipv6 ? MAX_IPV6 : MAX_IPV4;
  }

  @Override
  public void send(ByteBuffer src, Endpoint target) throws IOException {
    InetSocketAddress to;
    if (target == null) {
      if (remoteAddress == null) {
        throw new IllegalArgumentException(
            "no target for a socket that is not connected (expected: an endpoint to send to): "
                + local);
      }
      to = remoteAddress;
    } else {
      to = addressOf(target);
      if (remoteAddress != null && !remoteAddress.equals(to)) {
        throw new IllegalArgumentException(
            "not the peer of this connected socket (expected: "
                + remote.get()
                + ", or null): "
                + target);
      }
    }
    int size = src.remaining();
    if (dualStack && size > MAX_IPV4 && to.getAddress() instanceof Inet4Address) {
      throw new MessageTooLargeException(
          "datagram of "
              + size
              + " bytes exceeds the IPv4 maximum of "
              + MAX_IPV4
              + " bytes: "
              + (target == null ? remote.get() : target),
          size,
          MAX_IPV4);
    }
    if (remoteAddress != null && size == 0) {
      throw new IllegalArgumentException(
          "empty datagram on a connected socket (expected: at least 1 byte; the JDK sends nothing"
              + " for an empty buffer on a connected channel, an unconnected one from Ipc.bind"
              + " sends it): "
              + remote.get());
    }
    try {
      if (remoteAddress != null) {
        channel.write(src);
      } else {
        channel.send(src, to);
      }
    } catch (ClosedChannelException e) {
      throw e;
    } catch (IOException e) {
      throw sendFailure(e, size, target == null ? remote.get() : target);
    }
  }

  private IOException sendFailure(IOException e, int size, Endpoint target) {
    String message =
        "cannot send "
            + size
            + " bytes from "
            + local
            + ": "
            + JdkTransportProvider.describe(e)
            + ": "
            + target;
    IOException failure;
    if (e instanceof PortUnreachableException) {
      failure = new PortUnreachableException(message);
    } else if (e instanceof SocketException) {
      failure = new SocketException(message);
    } else {
      failure = new IOException(message);
    }
    failure.initCause(e);
    return failure;
  }

  /** The IPv4 address an IPv4-mapped IPv6 address maps, or {@code a} itself. */
  private static InetAddress unmapped(InetAddress a) throws UnknownHostException {
    byte[] b = a.getAddress();
    if (b.length != 16 || b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
      return a;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return a;
      }
    }
    return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
  }

  /** The socket address of {@code target}, checked against this socket's family. */
  private InetSocketAddress addressOf(Endpoint target) throws IOException {
    Peer last = lastTarget;
    if (last != null && (last.endpoint == target || last.endpoint.equals(target))) {
      return last.address;
    }
    if (!JdkTransportProvider.UDP.contains(target.scheme())) {
      throw new IllegalArgumentException(
          "not a udp target (expected: udp, udp4 or udp6): " + target);
    }
    if (target.port() == 0) {
      throw new IllegalArgumentException(
          "port 0 cannot be sent to (expected: 1 to 65535): " + target);
    }
    InetAddress chosen = null;
    String version = target.scheme().substring(3);
    for (InetAddress found : JdkTransportProvider.lookup(target)) {
      // An IPv4-mapped udp6 literal stays IPv6 (see lookup); an IPv4 socket sends to it as IPv4.
      InetAddress a = ipv6 ? found : unmapped(found);
      boolean v4 = a instanceof Inet4Address;
      // The JDK turns an IPv4-mapped literal into an IPv4 address; udp6 allows those literals.
      if (version.equals("4") && !v4
          || version.equals("6") && v4 && target.host().indexOf(':') < 0) {
        continue;
      }
      if (!v4 == ipv6) {
        chosen = a;
        break;
      }
      if (dualStack && chosen == null) {
        chosen = a; // an IPv4 address, if no IPv6 one follows
      }
    }
    if (chosen == null) {
      String family = ipv6 ? "IPv6" : "IPv4";
      throw new IllegalArgumentException(
          "not an "
              + family
              + " target for "
              + local
              + " (expected: an "
              + family
              + " address, or a host that has one): "
              + target);
    }
    InetSocketAddress address = new InetSocketAddress(chosen, target.port());
    if (isLiteral(target.host())) {
      lastTarget = new Peer(target, address);
    }
    return address;
  }

  private static boolean isLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Endpoint receive(ByteBuffer dst) throws IOException {
    if (remoteAddress == null) {
      return senderOf(channel.receive(dst));
    }
    // The kernel takes datagrams from the peer only: read, which decodes no sender's address.
    try {
      channel.read(dst);
    } catch (PortUnreachableException e) {
      PortUnreachableException failure =
          new PortUnreachableException(
              "an earlier datagram found nobody listening (ICMP port unreachable): "
                  + remote.get());
      failure.initCause(e);
      throw failure;
    }
    return remote.get();
  }

  private Endpoint senderOf(SocketAddress from) {
    Peer last = lastSender;
    if (last != null && (last.address == from || last.address.equals(from))) {
      return last.endpoint;
    }
    InetSocketAddress address = (InetSocketAddress) from;
    // An IPv4 peer of a dual-stack udp6 socket is written as that scheme allows.
    Endpoint sender = DualStack.endpointOf(scheme, address);
    lastSender = new Peer(sender, address);
    return sender;
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(channel)
        ? Optional.of(type.cast(channel))
        : DatagramSocket.super.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "JdkDatagramSocket[" + local + remote.map(r -> " -> " + r).orElse("") + "]";
  }
}
