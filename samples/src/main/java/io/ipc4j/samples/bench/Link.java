package io.ipc4j.samples.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection that carries whole messages, as the workloads see it: ipc4j's {@code
 * MessageConnection} or the raw contestant's code for the transport. A child process only ever uses
 * one contestant, and within a workload one transport, so the call through this interface costs
 * both contestants the same.
 */
interface Link extends Closeable {
  /**
   * How long a receive over a datagram transport waits before it fails with {@link
   * java.net.SocketTimeoutException} and closes the link: a lost datagram must not hang a client.
   * On loopback nothing should be lost; this only bounds the wait if something is.
   */
  long DATAGRAM_TIMEOUT_MILLIS = 500;

  /** Sends the remaining bytes of {@code message} as one message. */
  void send(ByteBuffer message) throws IOException;

  /**
   * Sends the remaining bytes of {@code messages[offset]} to {@code messages[offset + length - 1]},
   * each as one message, in order. ipc4j's link hands the batch to {@code
   * MessageConnection.sendAll}, which writes many frames per system call. The raw contestants keep
   * this default, one {@link #send} (one write) per message, and that is deliberate: the target of
   * the batched workloads is a batched ipc4j against one write per message written by hand, so raw
   * one write per message is their comparison point by definition, not a handicap to be fixed.
   */
  default void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      send(messages[i]);
    }
  }

  /** Receives one message into {@code dst}; returns its length, or -1 at the end of the stream. */
  int receive(ByteBuffer dst) throws IOException;
}
