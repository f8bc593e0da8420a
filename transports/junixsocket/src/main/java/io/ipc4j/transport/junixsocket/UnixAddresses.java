package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import java.net.SocketException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Conversions between {@link Endpoint} and junixsocket's {@link AFUNIXSocketAddress}. Lengths need
 * no check here: an endpoint's path or abstract name fits the platform's limit by construction.
 */
final class UnixAddresses {
  private UnixAddresses() {}

  /** The address of a named Unix endpoint: its abstract name or its path. */
  static AFUNIXSocketAddress of(Endpoint endpoint) throws SocketException {
    return endpoint.isAbstract()
        ? AFUNIXSocketAddress.inAbstractNamespace(endpoint.abstractName())
        : AFUNIXSocketAddress.of(endpoint.path());
  }

  /** The endpoint of a socket address as the kernel reports it: unnamed, a path or a name. */
  static Endpoint endpointOf(String scheme, AFUNIXSocketAddress address) {
    byte[] bytes = address == null ? null : address.getPathAsBytes();
    if (bytes == null || bytes.length == 0) {
      return Endpoint.parse(scheme + ":");
    }
    // Decoded as junixsocket encodes (UTF-8 by default); undecodable bytes become U+FFFD.
    Charset charset = AFUNIXSocketAddress.addressCharset();
    if (address.isInAbstractNamespace()) {
      return Endpoint.unixAbstract(new String(bytes, 1, bytes.length - 1, charset))
          .withScheme(scheme);
    }
    return Endpoint.unix(Path.of(new String(bytes, charset))).withScheme(scheme);
  }
}
