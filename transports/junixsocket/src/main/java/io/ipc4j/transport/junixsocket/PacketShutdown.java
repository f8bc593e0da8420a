package io.ipc4j.transport.junixsocket;

import java.io.FileDescriptor;
import java.io.IOException;
import org.newsclub.net.unix.AFSocketImpl;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * shutdown(2) for a SOCK_SEQPACKET socket. junixsocket opens those as datagram sockets, which have
 * no shutdownInput/shutdownOutput; its stream implementation has them, and is borrowed here over
 * the same descriptor. Nothing else of it is used: it opens nothing, and once the datagram socket
 * closes the shared {@link FileDescriptor} it does nothing either. It must stay reachable as long
 * as the socket is open: junixsocket closes an implementation's descriptor when it is collected.
 */
final class PacketShutdown extends AFSocketImpl<AFUNIXSocketAddress> {
  PacketShutdown(FileDescriptor fd) {
    super(AFUNIXSocketAddress.addressFamily(), fd);
  }

  /** shutdown(SHUT_RD). */
  void input() throws IOException {
    shutdownInput();
  }

  /** shutdown(SHUT_WR). */
  void output() throws IOException {
    shutdownOutput();
  }
}
