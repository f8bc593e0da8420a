package io.ipc4j.samples.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection that carries whole messages, as the workloads see it: ipc4j's {@code
 * MessageConnection} or the hand-written raw framing. A child process only ever uses one of the
 * two, so the call through this interface stays monomorphic and costs both contestants the same.
 */
interface Link extends Closeable {
  /** Sends the remaining bytes of {@code message} as one message. */
  void send(ByteBuffer message) throws IOException;

  /** Receives one message into {@code dst}; returns its length, or -1 at the end of the stream. */
  int receive(ByteBuffer dst) throws IOException;
}
