package io.ipc4j;

/**
 * What a transport can do for a scheme, as reported by {@link
 * io.ipc4j.spi.TransportProvider#capabilities(String)}. Query a capability before relying on the
 * behaviour it names.
 */
public enum Capability {
  /** Every byte or message sent arrives, or the connection fails. */
  RELIABLE,
  /** Bytes and messages arrive in the order they were sent. */
  ORDERED,
  /** Each direction of a connection can be shut down on its own. */
  HALF_CLOSE,
  /** The user and group of the peer process are known ({@link PeerCredentials}). */
  PEER_CREDENTIALS,
  /** The process id of the peer is known ({@link PeerCredentials#pid()}). */
  PEER_PID,
  /**
   * Open file descriptors can be sent with a message, and received where asked for ({@link
   * StandardIpcOptions#RECEIVE_DESCRIPTORS}). A provider that claims it must receive none on a
   * socket opened without that option: the kernel then closes what a peer sends.
   */
  FILE_DESCRIPTORS,
  /** Linux abstract socket names ({@code unix:@name}) can be bound and connected. */
  ABSTRACT_NAMESPACE,
  /** The listener's socket file gets {@link StandardIpcOptions#SOCKET_FILE_PERMISSIONS}. */
  SOCKET_FILE_PERMISSIONS,
  /** Each message arrives whole, as sent, without framing (datagrams, SOCK_SEQPACKET). */
  MESSAGE_BOUNDARIES,
  /** Datagrams can be sent to a broadcast address. */
  BROADCAST,
  /** A datagram endpoint can join a multicast group ({@code udp://GROUP:PORT?interface=NAME}). */
  MULTICAST,
  /**
   * Blocking calls release their carrier when run on a virtual thread, so a server can run one
   * virtual thread per connection. Without it, servers use platform threads.
   */
  VIRTUAL_THREADS
}
