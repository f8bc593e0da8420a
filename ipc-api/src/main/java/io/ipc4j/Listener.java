package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;

/**
 * Accepts connections on a bound endpoint.
 *
 * <pre>{@code
 * try (Listener<StreamConnection> listener = Ipc.listen("tcp://127.0.0.1:0")) {
 *   System.out.println("listening on " + listener.endpoint());
 *   try (StreamConnection c = listener.accept()) {
 *     c.inputStream().transferTo(c.outputStream());
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent, unblocks {@link #accept()} in other threads and,
 * for a Unix socket path, deletes the socket file if it is still the one this listener created.
 *
 * @param <C> the kind of connection accepted
 */
public interface Listener<C> extends Closeable {
  /**
   * Waits for the next connection.
   *
   * @throws java.nio.channels.ClosedChannelException if the listener is closed, before or during
   *     the call (then {@link java.nio.channels.AsynchronousCloseException})
   * @throws IOException if accepting fails
   */
  C accept() throws IOException;

  /** The endpoint actually bound: port 0 is replaced by the port the system chose. */
  Endpoint endpoint();

  /** Whether the listener is open. */
  boolean isOpen();

  @Override
  void close() throws IOException;
}
