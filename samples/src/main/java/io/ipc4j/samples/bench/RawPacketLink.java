package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;

/**
 * The raw contestant over {@code unixpacket}: a connected SOCK_SEQPACKET socket of junixsocket (the
 * JDK has none), one packet per message through its channel, nothing else: the kernel keeps the
 * message boundaries, so there is no framing to write.
 */
final class RawPacketLink implements Link {
  private final AFUNIXDatagramSocket socket;
  private final AFUNIXDatagramChannel channel;

  RawPacketLink(AFUNIXDatagramSocket socket) {
    this.socket = socket;
    this.channel = socket.getChannel();
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    channel.write(message);
  }

  /** Linux reads the end of a SOCK_SEQPACKET stream as an empty packet; the bench sends none. */
  @Override
  public int receive(ByteBuffer dst) throws IOException {
    int n = channel.read(dst);
    return n > 0 ? n : -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
