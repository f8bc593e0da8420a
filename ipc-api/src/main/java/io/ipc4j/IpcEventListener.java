package io.ipc4j;

/**
 * Observes an {@link IpcServer}'s connections, for metrics and logs. Methods are called on the
 * server's threads and must return quickly; an exception thrown from one is logged and ignored.
 */
public interface IpcEventListener {
  /** A listener that ignores every event. */
  IpcEventListener NONE = new IpcEventListener() {};

  /** The server started serving a connection. */
  default void connectionOpened(Endpoint server, Endpoint peer) {}

  /** The server refused a connection, for example because {@code maxConnections} was reached. */
  default void connectionRefused(Endpoint server, Endpoint peer, String reason) {}

  /** A connection's handler threw; the connection is closed. */
  default void handlerFailed(Endpoint server, Endpoint peer, Throwable failure) {}

  /** The server finished with a connection and closed it. */
  default void connectionClosed(Endpoint server, Endpoint peer) {}
}
