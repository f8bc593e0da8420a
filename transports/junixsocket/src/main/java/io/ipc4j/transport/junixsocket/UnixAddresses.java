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

  /**
   * The endpoint of a connected peer, as {@link #endpointOf}, but unnamed where no endpoint can
   * hold its name (an abstract name or path of 107 bytes, say, which the kernel allows): such a
   * peer is served all the same, since replies go back over its connection, not to its name.
   */
  static Endpoint peerOf(String scheme, AFUNIXSocketAddress address) {
    try {
      return endpointOf(scheme, address);
    } catch (IllegalArgumentException unnameable) {
      return Endpoint.parse(scheme + ":");
    }
  }

  /**
   * The endpoint of a socket address as the kernel reports it: unnamed, a path or a name.
   *
   * <p>junixsocket ignores the length the kernel gives with a sender's address and reports an
   * abstract name padded with NULs to the whole of {@code sun_path} (a reply to that padded name is
   * refused). Trailing NULs are therefore cut from abstract names: a name that really ends in NUL
   * cannot be told apart, and loses them.
   */
  static Endpoint endpointOf(String scheme, AFUNIXSocketAddress address) {
    byte[] bytes = address == null ? null : address.getPathAsBytes();
    if (bytes == null || bytes.length == 0) {
      return Endpoint.parse(scheme + ":");
    }
    // Decoded as junixsocket encodes (UTF-8 by default); undecodable bytes become U+FFFD.
    Charset charset = AFUNIXSocketAddress.addressCharset();
    if (address.isInAbstractNamespace()) {
      int end = bytes.length;
      while (end > 1 && bytes[end - 1] == 0) {
        end--;
      }
      if (end == 1) {
        return Endpoint.parse(scheme + ":");
      }
      return Endpoint.unixAbstract(new String(bytes, 1, end - 1, charset)).withScheme(scheme);
    }
    return Endpoint.unix(Path.of(new String(bytes, charset))).withScheme(scheme);
  }
}
