/**
 * ipc4j: one API for inter-process communication over TCP, UDP and Unix domain sockets. Start at
 * {@link io.ipc4j.Ipc}.
 */
module io.ipc4j {
  requires org.slf4j;
  requires jdk.security.auth;

  exports io.ipc4j;
  exports io.ipc4j.spi;

  uses io.ipc4j.spi.TransportProvider;
}
