package io.ipc4j.spi;

import io.ipc4j.Endpoint;
import java.io.Closeable;
import java.io.IOException;

/**
 * A bound, blocking stream listener as a provider supplies it. {@link #close()} from another thread
 * must unblock {@link #accept()}, and must release what the listener owns (a Unix socket file
 * included, see {@link UnixSocketFile}).
 */
public interface StreamAcceptor extends Closeable {
  /** Waits for and returns the next connection. */
  StreamSocket accept() throws IOException;

  /** The endpoint actually bound (port 0 resolved). */
  Endpoint endpoint();

  /** Whether the acceptor is open. */
  boolean isOpen();
}
