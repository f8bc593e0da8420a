package io.ipc4j.samples.bench;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The raw side of a datagram server: one bound, unconnected channel (the JDK's for {@code udp},
 * junixsocket's for {@code unixgram}), {@code receive} and {@code send} straight through.
 */
final class RawDatagrams implements Datagrams {
  private final DatagramChannel channel;

  RawDatagrams(DatagramChannel channel) {
    this.channel = channel;
  }

  @Override
  public Object receive(ByteBuffer dst) throws IOException {
    return channel.receive(dst);
  }

  @Override
  public void send(ByteBuffer message, Object to) throws IOException {
    channel.send(message, (SocketAddress) to);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
