package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import io.ipc4j.spi.StreamSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connected, blocking {@link SocketChannel}. Its endpoints are made from the channel's addresses
 * when first asked for: formatting two endpoints was most of the Java code a short connection ran
 * beyond its system calls, and many connections never ask.
 */
final class JdkStreamSocket implements StreamSocket {
  private static final Logger log = LoggerFactory.getLogger(JdkStreamSocket.class);

  private final SocketChannel channel;
  private final String scheme;
  private final SocketAddress localAddress;
  private final SocketAddress remoteAddress;
  private final boolean unix;

  // Made on first use; a race makes equal endpoints, which are immutable.
  private Endpoint local;
  private Endpoint remote;
  private volatile Optional<PeerCredentials> credentials;

  /**
   * @param local the endpoint of this side, or null to make it from the channel's local address
   * @param remote the endpoint of the peer, or null to make it from the channel's remote address
   */
  JdkStreamSocket(
      SocketChannel channel, String scheme, Endpoint local, Endpoint remote, boolean unix)
      throws IOException {
    this.channel = channel;
    this.scheme = scheme;
    this.local = local;
    this.remote = remote;
    this.localAddress = local == null ? channel.getLocalAddress() : null;
    this.remoteAddress = channel.getRemoteAddress();
    this.unix = unix;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return channel.write(srcs, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return channel.write(srcs);
  }

  @Override
  public Endpoint localEndpoint() {
    Endpoint e = local;
    if (e == null) {
      e = DualStack.endpointOf(scheme, localAddress);
      local = e;
    }
    return e;
  }

  @Override
  public Endpoint remoteEndpoint() {
    Endpoint e = remote;
    if (e == null) {
      e = peerOf(remoteAddress);
      remote = e;
    }
    return e;
  }

  /**
   * The endpoint of the peer's address. A Unix peer no endpoint can name (bound to a path of 107
   * bytes, say, which the kernel allows and the JDK reports) is unnamed: it is served all the same,
   * since replies go back over the connection, not to its name.
   */
  private Endpoint peerOf(SocketAddress address) {
    try {
      return DualStack.endpointOf(scheme, address);
    } catch (IllegalArgumentException unnameable) {
      if (!unix) {
        throw unnameable;
      }
      return Endpoint.parse(scheme + ":");
    }
  }

  @Override
  public void shutdownInput() throws IOException {
    channel.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    Optional<PeerCredentials> c = credentials;
    if (c == null) {
      c = unix ? readCredentials() : Optional.empty();
      credentials = c;
    }
    return c;
  }

  private Optional<PeerCredentials> readCredentials() {
    try {
      UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return Optional.of(PeerCredentials.ofNames(p.user().getName(), p.group().getName()));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("{}: no peer credentials", remoteAddress, e);
      return Optional.empty();
    }
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(channel)
        ? Optional.of(type.cast(channel))
        : StreamSocket.super.unwrap(type);
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
