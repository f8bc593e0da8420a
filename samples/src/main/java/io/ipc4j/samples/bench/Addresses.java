package io.ipc4j.samples.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The bench's endpoints as the raw contestant reads them, by hand: {@code tcp://HOST:PORT}, {@code
 * udp://HOST:PORT} and {@code SCHEME:///PATH} for the three Unix schemes (the canonical forms that
 * ipc4j prints, which the raw servers print too).
 */
final class Addresses {
  /** Every transport the bench knows, in the order its table lists them. */
  static final List<String> TRANSPORTS = List.of("tcp", "unix", "unixpacket", "udp", "unixgram");

  private Addresses() {}

  static String scheme(String endpoint) {
    int colon = endpoint.indexOf("://");
    if (colon < 0) {
      throw new IllegalArgumentException(
          "not a bench endpoint (expected: SCHEME://...): " + endpoint);
    }
    return endpoint.substring(0, colon);
  }

  /** Whether replies on {@code transport} can be lost: its receives need a time limit. */
  static boolean isDatagram(String transport) {
    return transport.equals("udp") || transport.equals("unixgram");
  }

  static boolean isUnix(String transport) {
    return transport.startsWith("unix");
  }

  static InetSocketAddress inet(String endpoint) {
    String hostPort = endpoint.substring(scheme(endpoint).length() + 3);
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  static Path path(String endpoint) {
    return Path.of(endpoint.substring(scheme(endpoint).length() + 3));
  }

  /** Where a server in {@code dir} listens: loopback with an ephemeral port, or a socket file. */
  static String listenAt(String transport, Path dir, String name) {
    if (isUnix(transport)) {
      return transport + "://" + dir.resolve(name + "-" + transport + ".sock");
    }
    return transport + "://127.0.0.1:0";
  }
}
