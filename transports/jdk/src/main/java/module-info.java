/**
 * ipc4j's transport over JDK channels: tcp, tcp4, tcp6, udp, udp4, udp6 and unix. Exports nothing.
 */
module io.ipc4j.transport.jdk {
  requires io.ipc4j;
  requires org.slf4j;
  requires jdk.net;

  provides io.ipc4j.spi.TransportProvider with
      io.ipc4j.transport.jdk.JdkTransportProvider;
}
