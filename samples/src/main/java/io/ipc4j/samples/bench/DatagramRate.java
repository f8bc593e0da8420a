package io.ipc4j.samples.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datagram rate and loss, 64 B, over {@code udp} and {@code unixgram}: what a telemetry sensor
 * does. The client sends datagrams as fast as it can for the measuring time (after a warm-up burst
 * of at least {@link Scale#datagramWarmupNanos}, see {@link Warmup}, counted apart) on a connection
 * ({@code Ipc.connectMessages}; raw: a connected datagram channel), in slices interleaved with the
 * other contestant's ({@link Workload#turns}), and after each slice asks the server how many
 * arrived; the server is a bound socket that counts ({@code Ipc.bind}, as the samples' telemetry
 * collector; raw: a bound datagram channel), see {@link Service#COLLECT}.
 *
 * <p>Figures: datagrams sent per second (the client's send loop), received per second (the server's
 * count over the time from the first to the last datagram it received), each the median of the
 * slices' rates ({@link SliceRates}), and the loss in percent over all slices. Over {@code udp} the
 * sender never waits and a slower receiver loses what overflows its socket buffer; over {@code
 * unixgram} the kernel makes the sender wait instead, so nothing is lost and both rates are the
 * receiver's.
 *
 * <p>The report request is a datagram too and may be lost (the receive buffer is likeliest to be
 * full just after a burst): it is repeated, on a new connection after each timeout, at most {@value
 * #ASKS} times; the server answers a repeated request with the same count.
 */
final class DatagramRate extends Workload {
  static final int SIZE = 64;

  /** A report request: the batch number, a long. Shorter than a data datagram, so told apart. */
  static final int REQUEST_BYTES = 8;

  /** A report: the batch number, the count, the nanoseconds from first to last. */
  static final int REPORT_BYTES = 24;

  private static final int ASKS = 8;
  private static final int CHUNK = 500;

  DatagramRate() {
    super(
        "dgram-rate-64",
        Setting.APART,
        Service.COLLECT,
        SIZE,
        List.of("udp", "unixgram"),
        List.of(
            Figure.higher("sent_per_s"),
            Figure.higher("received_per_s"),
            Figure.lower("loss_pct")));
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    ByteBuffer message = Workloads.filled(SIZE);
    Link[] link = {client.connect(endpoint)};
    SliceRates sentRates = new SliceRates();
    SliceRates receivedRates = new SliceRates();
    long[] totals = new long[2]; // sent, received
    Warmup warmup;
    try {
      warmup =
          Warmup.run(
              client.scale,
              client.compilers,
              0,
              client.scale.datagramWarmupNanos,
              maxWarmupNanos(client.scale),
              () -> chunk(link[0], message));
      long[] batch = {1};
      ask(client, endpoint, link, batch[0]); // Starts the server's count.
      long perSlice = client.scale.measureNanos / client.scale.slices;
      client.slices(
          () -> {
            long start = System.nanoTime();
            long sent = burst(link[0], message, perSlice);
            sentRates.add(sent, System.nanoTime() - start);
            // The slice's count, and the nanoseconds from its first datagram to its last.
            long[] report = ask(client, endpoint, link, ++batch[0]);
            if (report[0] >= 2) {
              receivedRates.add(report[0] - 1, report[1]);
            }
            totals[0] += sent;
            totals[1] += report[0];
          });
    } finally {
      link[0].close();
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("sent_per_s", sentRates.median());
    figures.put("received_per_s", receivedRates.median());
    figures.put("loss_pct", 100.0 * (totals[0] - totals[1]) / totals[0]);
    figures.put("sent", (double) totals[0]);
    figures.put("received", (double) totals[1]);
    warmup.report(figures);
    return figures;
  }

  /**
   * The longest warm-up: two and a half times the scale's. The server runs every contestant's
   * workloads on every transport in one process, and on the switch from {@code udp} to {@code
   * unixgram} its receive path, compiled for the JDK's socket alone, is thrown away and compiled
   * again with junixsocket's address code (ipc4j's path is deeper, so more of it is). That took the
   * server's compilers about 0.85 s, past the scale's 1 s warm-up with the quiet time: up to 320 ms
   * of a server's compilation fell inside the half second measured, on the server's CPU, which both
   * contestants' servers share, and per-round ratios ran from 0.61 to 1.18.
   */
  private static long maxWarmupNanos(Scale scale) {
    return scale.maxWarmupNanos * 5 / 2;
  }

  /** Sends for {@code nanos}, looking at the clock every {@value #CHUNK} datagrams; the count. */
  private static long burst(Link link, ByteBuffer message, long nanos) throws IOException {
    long start = System.nanoTime();
    long sent = 0;
    do {
      chunk(link, message);
      sent += CHUNK;
    } while (System.nanoTime() - start < nanos);
    return sent;
  }

  private static void chunk(Link link, ByteBuffer message) throws IOException {
    for (int i = 0; i < CHUNK; i++) {
      link.send(message.rewind());
    }
  }

  /**
   * Asks for the count of batch {@code batch}; returns it and the nanoseconds it took. {@code
   * link[0]} is replaced when a receive times out.
   */
  private static long[] ask(Client client, String endpoint, Link[] link, long batch)
      throws IOException {
    ByteBuffer request = ByteBuffer.allocateDirect(REQUEST_BYTES);
    request.putLong(0, batch);
    ByteBuffer report = ByteBuffer.allocateDirect(Service.ECHO_MAX);
    for (int attempt = 1; ; attempt++) {
      try {
        link[0].send(request.clear());
        while (true) {
          int n = link[0].receive(report.clear());
          if (n == REPORT_BYTES && report.getLong(0) == batch) {
            return new long[] {report.getLong(8), report.getLong(16)};
          }
          // An answer to an earlier request: wait for ours.
        }
      } catch (SocketTimeoutException e) {
        if (attempt == ASKS) {
          throw new IOException(endpoint + ": no count from the server after " + ASKS + " asks", e);
        }
        link[0].close();
        link[0] = client.connect(endpoint);
      }
    }
  }
}
