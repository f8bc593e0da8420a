package io.ipc4j;

/** A message connection an {@link IpcServer} can end gracefully at a message boundary. */
interface Drainable {
  /**
   * Ends the conversation at the next message boundary: a receive blocked there returns end of
   * stream, and so does the next one to reach a boundary; a message being received completes.
   */
  void drain();

  /**
   * Called when the handler of a drained conversation has returned, before the server closes the
   * connection: lets what the handler sent reach the peer. Bounded by the server's grace, whose
   * force-close ends it.
   */
  default void lingerBeforeClose() {}
}
