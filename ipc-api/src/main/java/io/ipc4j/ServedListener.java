package io.ipc4j;

/** A listener {@link IpcServer} can serve, knowing what threads suit its transport. */
interface ServedListener<C> extends Listener<C> {
  /** Whether the transport's blocking calls release a virtual thread's carrier. */
  boolean virtualThreads();
}
