package io.ipc4j;

import java.io.IOException;

/** A listener {@link IpcServer} can serve, knowing what threads suit its transport. */
interface ServedListener<C> extends Listener<C> {
  /** Whether the transport's blocking calls release a virtual thread's carrier. */
  boolean virtualThreads();

  /**
   * Stops accepting: {@link #accept()} fails from now on, and the connections already accepted go
   * on. Where they share the listener's socket (the peers of a datagram socket), it stays open
   * until {@link #close()}. By default, {@link #close()}: a stream's connections have sockets of
   * their own.
   */
  default void stopAccepting() throws IOException {
    close();
  }
}
