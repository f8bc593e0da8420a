package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import io.ipc4j.spi.StreamSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A connected, blocking {@link SocketChannel}. */
final class JdkStreamSocket implements StreamSocket {
  private static final Logger log = LoggerFactory.getLogger(JdkStreamSocket.class);

  private final SocketChannel channel;
  private final Endpoint local;
  private final Endpoint remote;
  private final boolean unix;
  private volatile Optional<PeerCredentials> credentials;

  JdkStreamSocket(SocketChannel channel, Endpoint local, Endpoint remote, boolean unix) {
    this.channel = channel;
    this.local = local;
    this.remote = remote;
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
    return local;
  }

  @Override
  public Endpoint remoteEndpoint() {
    return remote;
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
      log.debug("{}: no peer credentials", remote, e);
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
