package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What the server process does with each connection of a workload. */
enum Service {
  /** Sends every message back: the other end of a ping-pong. */
  ECHO {
    @Override
    void serve(Link link) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocateDirect(Workloads.MAX_MESSAGE);
      while (link.receive(buffer.clear()) >= 0) {
        link.send(buffer.flip());
      }
    }
  },
  /**
   * Consumes messages; an empty message ends a batch and is answered with an empty message, so that
   * the client's clock stops only once the server has received every message.
   */
  SINK {
    @Override
    void serve(Link link) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocateDirect(Workloads.MAX_MESSAGE);
      ByteBuffer ack = ByteBuffer.allocateDirect(0);
      for (int n; (n = link.receive(buffer.clear())) >= 0; ) {
        if (n == 0) {
          link.send(ack.clear());
        }
      }
    }
  };

  abstract void serve(Link link) throws IOException;
}
