package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * Endpoints of the sockets of a dual-stack {@code tcp6} or {@code udp6} socket. One bound to the
 * IPv6 wildcard also talks to IPv4 peers, and the JDK reports such a peer (and this side of a
 * connection with it) by its IPv4 address, which those schemes do not take. It is written as the
 * IPv4-mapped IPv6 address it is on the wire ({@code [::ffff:127.0.0.1]}), which they do.
 */
final class DualStack {
  private DualStack() {}

  /** The endpoint of {@code address} under {@code scheme}, mapped as above where needed. */
  static Endpoint endpointOf(String scheme, SocketAddress address) {
    if (address instanceof InetSocketAddress inet
        && inet.getAddress() instanceof Inet4Address v4
        && (scheme.equals("tcp6") || scheme.equals("udp6"))) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
      try {
        return Endpoint.of(
            scheme,
            new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), inet.getPort()));
      } catch (UnknownHostException impossible) {
        throw new AssertionError("16 bytes are an IPv6 address", impossible);
      }
    }
    return Endpoint.of(scheme, address);
  }
}
