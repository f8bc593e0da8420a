package io.ipc4j;

/**
 * Serves one message connection of an {@link IpcServer}, whatever the transport underneath. The
 * server calls it on the connection's own thread and closes the connection when it returns or
 * throws; an exception costs only this connection.
 *
 * <pre>{@code
 * MessageHandler echo = c -> {
 *   for (ByteBuffer m; (m = c.receive()) != null; ) {
 *     c.send(m);
 *   }
 * };
 * }</pre>
 *
 * <p>When the server closes, {@code receive()} returns null at the next message boundary, so that a
 * handler written as a loop like the one above ends cleanly.
 */
@FunctionalInterface
public interface MessageHandler {
  /** Serves {@code connection} until the conversation is over. */
  void handle(MessageConnection connection) throws Exception;
}
