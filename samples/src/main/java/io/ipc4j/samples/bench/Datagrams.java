package io.ipc4j.samples.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bound datagram socket that serves many senders, as the datagram servers see it: ipc4j's {@code
 * DatagramEndpoint} or a raw datagram channel. Like {@link Link}, both contestants' servers run the
 * same code over it.
 */
interface Datagrams extends Closeable {
  /**
   * Receives one datagram into {@code dst}; returns its sender, only to be handed back to {@link
   * #send}.
   */
  Object receive(ByteBuffer dst) throws IOException;

  /** Sends the remaining bytes of {@code message} to {@code to}, a sender {@link #receive} gave. */
  void send(ByteBuffer message, Object to) throws IOException;
}
