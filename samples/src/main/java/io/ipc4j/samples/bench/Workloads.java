package io.ipc4j.samples.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The client side of each workload. Both contestants run exactly this code; only the {@link Link}
 * differs. Buffers are direct and reused, so neither side allocates per message here.
 */
final class Workloads {
  /** The largest message any workload sends. */
  static final int MAX_MESSAGE = 64 * 1024;

  private Workloads() {}

  /** Runs {@code workload} on {@code link} at {@code scale}; returns its figures by name. */
  static Map<String, Double> run(Workload workload, Link link, Scale scale) throws IOException {
    return workload.service == Service.ECHO
        ? pingPong(link, workload.messageSize, scale)
        : stream(link, workload.messageSize, scale.streamCount(workload.messageSize));
  }

  /** One message in flight: send, wait for the echo, record the round trip. */
  private static Map<String, Double> pingPong(Link link, int size, Scale scale) throws IOException {
    ByteBuffer message = filled(size);
    ByteBuffer reply = ByteBuffer.allocateDirect(MAX_MESSAGE);
    Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    for (int i = 0; i < scale.pingPongWarmup; i++) {
      roundTrip(link, message, reply);
    }
    for (int i = 0; i < scale.pingPongCount; i++) {
      long start = System.nanoTime();
      roundTrip(link, message, reply);
      histogram.recordValue(System.nanoTime() - start);
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("p50_us", histogram.getValueAtPercentile(50) / 1e3);
    figures.put("p99_us", histogram.getValueAtPercentile(99) / 1e3);
    figures.put("p999_us", histogram.getValueAtPercentile(99.9) / 1e3);
    return figures;
  }

  private static void roundTrip(Link link, ByteBuffer message, ByteBuffer reply)
      throws IOException {
    link.send(message.clear());
    if (link.receive(reply.clear()) != message.capacity()) {
      throw new IOException("echo lost or changed the message");
    }
  }

  /**
   * One write per message, as fast as the server takes them. A warm-up batch of a quarter first;
   * the clock runs from the first message of the measured batch until the server acknowledges
   * having received its last.
   */
  private static Map<String, Double> stream(Link link, int size, int count) throws IOException {
    ByteBuffer message = filled(size);
    ByteBuffer ack = ByteBuffer.allocateDirect(16);
    ByteBuffer end = ByteBuffer.allocateDirect(0);
    batch(link, message, ack, end, Math.max(1, count / 4));
    long start = System.nanoTime();
    batch(link, message, ack, end, count);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("msgs_per_s", count / seconds);
    figures.put("mb_per_s", (double) count * size / seconds / 1e6);
    return figures;
  }

  private static void batch(Link link, ByteBuffer message, ByteBuffer ack, ByteBuffer end, int n)
      throws IOException {
    for (int i = 0; i < n; i++) {
      link.send(message.clear());
    }
    link.send(end.clear());
    if (link.receive(ack.clear()) != 0) {
      throw new EOFException("the server did not acknowledge the batch");
    }
  }

  private static ByteBuffer filled(int size) {
    ByteBuffer b = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i++) {
      b.put((byte) i);
    }
    return b;
  }
}
