package io.ipc4j.samples.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of framed messages over {@code tcp} and {@code unix}: one write per message, as fast
 * as the server takes them, in batches of 8 MiB or 20,000 messages, whichever is fewer, each
 * acknowledged by the server once it has received its last message. Batches for a quarter of the
 * measuring time warm up; then the clock runs from the first message of the first measured batch
 * until the server acknowledges the last batch that starts within the measuring time.
 */
final class Streaming extends Workload {
  private final int size;

  Streaming(int size) {
    super(
        "stream-" + size,
        Setting.UNPINNED,
        Service.SINK,
        size,
        List.of("tcp", "unix"),
        List.of(Figure.higher("msgs_per_s"), Figure.higher("mb_per_s")));
    this.size = size;
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    int batch = Math.max(1, Math.min(20_000, (8 << 20) / size));
    ByteBuffer message = Workloads.filled(size);
    ByteBuffer ack = ByteBuffer.allocateDirect(16);
    ByteBuffer end = ByteBuffer.allocateDirect(0);
    long count = 0;
    double seconds;
    try (Link link = client.connect(endpoint)) {
      long warm = System.nanoTime();
      do {
        batch(link, message, ack, end, batch);
      } while (System.nanoTime() - warm < client.scale.warmupNanos());
      long start = System.nanoTime();
      long elapsed;
      do {
        batch(link, message, ack, end, batch);
        count += batch;
        elapsed = System.nanoTime() - start;
      } while (elapsed < client.scale.measureNanos);
      seconds = elapsed / 1e9;
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("msgs_per_s", count / seconds);
    figures.put("mb_per_s", (double) count * size / seconds / 1e6);
    return figures;
  }

  private static void batch(Link link, ByteBuffer message, ByteBuffer ack, ByteBuffer end, int n)
      throws IOException {
    for (int i = 0; i < n; i++) {
      link.send(message.rewind());
    }
    link.send(end.clear());
    if (link.receive(ack.clear()) != 0) {
      throw new EOFException("the server did not acknowledge the batch");
    }
  }
}
