package io.ipc4j;

/**
 * Serves one byte-stream connection of an {@link IpcServer}. The server calls it on the
 * connection's own thread and closes the connection when it returns or throws; an exception costs
 * only this connection.
 */
@FunctionalInterface
public interface StreamHandler {
  /** Serves {@code connection} until the conversation is over. */
  void handle(StreamConnection connection) throws Exception;
}
