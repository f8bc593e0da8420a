package io.ipc4j.samples.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of framed messages over {@code tcp} and {@code unix}, as fast as the server takes
 * them, in batches of 8 MiB or 4,096 messages, whichever is fewer, each acknowledged by the server
 * once it has received its last message. Batches for at least a quarter of the measuring time warm
 * up (see {@link Warmup}); then each slice of the measuring time runs whole batches, and the figure
 * is the median of the slices' rates (the rate over all of them goes to the JSON).
 *
 * <p>{@code stream-SIZE} sends one message per call, one write each. {@code stream-SIZE-batch}
 * sends {@value #PER_CALL} messages per {@link Link#sendAll} call (the last call of an acknowledged
 * batch sends what is left): ipc4j's {@code MessageConnection.sendAll}, many frames per system
 * call, against raw's one write per message, which is the comparison the batched send was made for.
 * The server is the same in both: it receives every message alone, through its contestant's
 * ordinary receive, so messages per second are end to end.
 */
final class Streaming extends Workload {
  /**
   * Messages per {@code sendAll} call in the batched workloads: what a sender that drains a queue
   * of small messages would pass at once. 4 KiB of 64 B messages, 64 KiB of 1 KiB ones (about what
   * a socket buffer takes in one go), and well under the 512 frames ipc4j writes per system call.
   */
  static final int PER_CALL = 64;

  private final int size;
  private final int perCall;

  /** {@code perCall}: 1 for one {@code send} per message, more for {@code sendAll} batches. */
  Streaming(int size, int perCall) {
    super(
        "stream-" + size + (perCall > 1 ? "-batch" : ""),
        Setting.APART,
        Service.SINK,
        size,
        List.of("tcp", "unix"),
        List.of(Figure.higher("msgs_per_s"), Figure.higher("mb_per_s")));
    this.size = size;
    this.perCall = perCall;
  }

  @Override
  String note() {
    return perCall == 1
        ? null
        : label
            + ": ipc4j sends "
            + perCall
            + " messages per sendAll call, raw one write per message; the server receives each"
            + " message alone";
  }

  @Override
  int slices(Scale scale) {
    return scale.rateSlices;
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    // Messages between two acknowledgements: up to 8 MiB, and few enough that a batch of 64 B
    // messages (some 150,000 a second over tcp here) ends within a few percent of a slice.
    int batch = Math.max(1, Math.min(4_096, (8 << 20) / size));
    ByteBuffer message = Workloads.filled(size);
    ByteBuffer[] messages = new ByteBuffer[Math.min(perCall, batch)];
    for (int i = 0; i < messages.length; i++) {
      messages[i] = message.duplicate();
    }
    ByteBuffer ack = ByteBuffer.allocateDirect(16);
    ByteBuffer end = ByteBuffer.allocateDirect(0);
    SliceRates rates = new SliceRates();
    Warmup warmup;
    try (Link link = client.connect(endpoint)) {
      warmup =
          Warmup.run(
              client.scale,
              client.compilers,
              0,
              client.scale.warmupNanos(),
              () -> batch(link, messages, ack, end, batch));
      long perSlice = client.scale.measureNanos / slices(client.scale);
      client.slices(
          () ->
              rates.measure(
                  perSlice,
                  () -> {
                    batch(link, messages, ack, end, batch);
                    return batch;
                  }));
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("msgs_per_s", rates.median());
    figures.put("mb_per_s", rates.median() * size / 1e6);
    // For the JSON: the rate over all slices together, which a stalled slice lowers.
    figures.put("msgs_per_s_all", rates.overall());
    if (perCall > 1) {
      // For the JSON: how many messages each contestant's send call carried.
      figures.put("msgs_per_call", client.contestant == Contestant.IPC4J ? (double) perCall : 1.0);
    }
    warmup.report(figures);
    return figures;
  }

  /** Sends {@code n} messages, then the empty one, and waits for the server's acknowledgement. */
  private static void batch(Link link, ByteBuffer[] messages, ByteBuffer ack, ByteBuffer end, int n)
      throws IOException {
    if (messages.length == 1) {
      ByteBuffer message = messages[0];
      for (int i = 0; i < n; i++) {
        link.send(message.rewind());
      }
    } else {
      for (int sent = 0; sent < n; ) {
        int k = Math.min(messages.length, n - sent);
        for (int i = 0; i < k; i++) {
          messages[i].rewind();
        }
        link.sendAll(messages, 0, k);
        sent += k;
      }
    }
    link.send(end.clear());
    if (link.receive(ack.clear()) != 0) {
      throw new EOFException("the server did not acknowledge the batch");
    }
  }
}
