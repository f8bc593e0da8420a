package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a server process does: per connection ({@link Link}), or on one datagram socket that serves
 * every sender ({@link Datagrams}). Both contestants run exactly this code.
 */
enum Service {
  /**
   * Sends every message back: the other end of a ping-pong. Its buffer fits the small messages the
   * echo workloads send, not more: a server holding 10,000 connections holds one per connection.
   */
  ECHO {
    @Override
    void serve(Link link) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocateDirect(ECHO_MAX);
      while (link.receive(buffer.clear()) >= 0) {
        link.send(buffer.flip());
      }
    }

    /** One thread answers every sender, the plainest datagram echo there is. */
    @Override
    void serve(Datagrams socket) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(ECHO_MAX);
      while (true) {
        Object from;
        try {
          from = socket.receive(buffer.clear());
        } catch (IOException e) {
          return; // Closed.
        }
        try {
          socket.send(buffer.flip(), from);
        } catch (IOException e) {
          // That sender went away; the others are still served.
        }
      }
    }
  },
  /**
   * The same echo, where ipc4j serves datagrams with an {@code IpcServer}: a connection, and a
   * handler thread, per sender address. A raw program has no such thing and keeps its one-thread
   * echo, so this compares the per-peer server's convenience with the plainest datagram echo.
   */
  PEER_ECHO {
    @Override
    void serve(Link link) throws IOException {
      ECHO.serve(link);
    }

    @Override
    void serve(Datagrams socket) {
      ECHO.serve(socket);
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
  },
  /**
   * Counts datagrams for {@link DatagramRate}, one sender at a time: every datagram but a report
   * request is counted, with the time of the first and the last; a report request ({@value
   * DatagramRate#REQUEST_BYTES} bytes: a batch number) is answered with the batch number, the count
   * and the nanoseconds between the first and the last datagram, and starts a new count. A request
   * repeated because its answer was lost gets the same answer again.
   */
  COLLECT {
    @Override
    void serve(Datagrams socket) {
      ByteBuffer in = ByteBuffer.allocateDirect(ECHO_MAX);
      ByteBuffer report = ByteBuffer.allocateDirect(DatagramRate.REPORT_BYTES);
      long count = 0;
      long first = 0;
      long last = 0;
      long batch = -1;
      long batchCount = 0;
      long batchNanos = 0;
      while (true) {
        Object from;
        try {
          from = socket.receive(in.clear());
        } catch (IOException e) {
          return; // Closed.
        }
        if (in.position() != DatagramRate.REQUEST_BYTES) {
          last = System.nanoTime();
          if (count++ == 0) {
            first = last;
          }
          continue;
        }
        long asked = in.getLong(0);
        if (asked != batch) {
          batch = asked;
          batchCount = count;
          batchNanos = last - first;
          count = 0;
        }
        report.clear();
        report.putLong(batch).putLong(batchCount).putLong(batchNanos).flip();
        try {
          socket.send(report, from);
        } catch (IOException e) {
          // The client asks again if it still wants the answer.
        }
      }
    }
  };

  /** The largest message an echo or a collector takes. */
  static final int ECHO_MAX = 256;

  /** Serves one connection until its peer ends it. */
  void serve(Link link) throws IOException {
    throw new UnsupportedOperationException(this + " serves datagram sockets, not connections");
  }

  /** Serves every sender on {@code socket} until it is closed. */
  void serve(Datagrams socket) {
    throw new UnsupportedOperationException(this + " serves connections, not datagram sockets");
  }

  /** Its name in a server's {@code listening} lines and in socket file names. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static Service of(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
