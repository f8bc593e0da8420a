package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Conversions between {@link Endpoint} and junixsocket's {@link AFUNIXSocketAddress}. Lengths need
 * no check here: an endpoint's path or abstract name fits the platform's limit by construction.
 */
final class UnixAddresses {
  private UnixAddresses() {}

  /**
   * The address of a named Unix endpoint: its abstract name or its path. An abstract name is its
   * UTF-8 bytes, as the endpoint grammar defines it, not junixsocket's {@code inAbstractNamespace},
   * which encodes with the default charset: US-ASCII on Java 17 under the C locale, where every
   * non-ASCII character became '?' and distinct names one socket. A path is encoded as the JDK
   * encodes file names (junixsocket uses the same default charset).
   */
  static AFUNIXSocketAddress of(Endpoint endpoint) throws SocketException {
    if (!endpoint.isAbstract()) {
      return AFUNIXSocketAddress.of(endpoint.path());
    }
    byte[] name = endpoint.abstractName().getBytes(StandardCharsets.UTF_8);
    byte[] address = new byte[name.length + 1];
    System.arraycopy(name, 0, address, 1, name.length);
    return AFUNIXSocketAddress.of(address);
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
   *
   * <p>Names are decoded as {@link #of} encodes them: abstract names as UTF-8, paths in the default
   * charset. A name that does not decode (a C client's abstract name {@code "\0a\xff"}, say) has no
   * endpoint: decoding it leniently would name another socket, which replies would go to.
   *
   * @throws IllegalArgumentException if no endpoint can hold the name
   */
  static Endpoint endpointOf(String scheme, AFUNIXSocketAddress address) {
    byte[] bytes = address == null ? null : address.getPathAsBytes();
    if (bytes == null || bytes.length == 0) {
      return Endpoint.parse(scheme + ":");
    }
    if (address.isInAbstractNamespace()) {
      int end = bytes.length;
      while (end > 1 && bytes[end - 1] == 0) {
        end--;
      }
      if (end == 1) {
        return Endpoint.parse(scheme + ":");
      }
      return Endpoint.unixAbstract(decode(bytes, 1, end, StandardCharsets.UTF_8))
          .withScheme(scheme);
    }
    return Endpoint.unix(
            Path.of(decode(bytes, 0, bytes.length, AFUNIXSocketAddress.addressCharset())))
        .withScheme(scheme);
  }

  private static String decode(byte[] bytes, int from, int to, Charset charset) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "undecodable unix socket name (expected: valid "
              + charset.name()
              + "): "
              + HexFormat.of().formatHex(bytes, from, to));
    }
  }
}
