package io.ipc4j.spi;

import io.ipc4j.Endpoint;
import java.io.Closeable;
import java.io.IOException;

/**
 * A bound, blocking listener for packet connections ({@code unixpacket}). {@link #close()} from
 * another thread must unblock {@link #accept()} and release what the listener owns (see {@link
 * UnixSocketFile}).
 */
public interface PacketAcceptor extends Closeable {
  /** Waits for and returns the next connection. */
  PacketSocket accept() throws IOException;

  /** The endpoint actually bound. */
  Endpoint endpoint();

  /** Whether the acceptor is open. */
  boolean isOpen();
}
