/**
 * ipc4j's transport over junixsocket: Unix stream ({@code unix}), datagram ({@code unixgram}) and
 * SOCK_SEQPACKET ({@code unixpacket}) sockets on paths and on Linux abstract names, with the peer's
 * process id and file descriptor passing. Exports nothing.
 */
module io.ipc4j.transport.junixsocket {
  requires io.ipc4j;
  requires org.slf4j;
  requires org.newsclub.net.unix;
  // junixsocket looks its native library up by class name in this module, which nothing else
  // requires: without it, the library does not load on the module path.
  requires com.kohlschutter.junixsocket.nativecommon;

  provides io.ipc4j.spi.TransportProvider with
      io.ipc4j.transport.junixsocket.JunixsocketTransportProvider;
}
