package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections per second over {@code tcp} and {@code unix}: connect, one ping-pong of 8 B, close,
 * one after another for the measuring time, after a warm-up of at least {@link Scale#connectWarmup}
 * connections ({@link Warmup}), against the echo server. The ping-pong is what makes the figure a
 * server's: without it a client measures only its own connect, which the kernel completes before
 * the server has even accepted, and a client racing ahead of the accept loop overflows the backlog
 * (TCP then retries a second later). With it, every connection has been accepted and its handler
 * (ipc4j's server: a thread per connection, the peer checked) has run: the cost of a short-lived
 * client such as a command-line tool making one request.
 */
final class ConnectRate extends Workload {
  private static final int SIZE = 8;

  ConnectRate() {
    super(
        "connect-rate",
        Setting.APART,
        Service.ECHO,
        SIZE,
        List.of("tcp", "unix"),
        List.of(Figure.higher("connects_per_s")));
  }

  @Override
  int slices(Scale scale) {
    return scale.rateSlices;
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    ByteBuffer message = Workloads.filled(SIZE);
    ByteBuffer reply = ByteBuffer.allocateDirect(Service.ECHO_MAX);
    Warmup warmup =
        Warmup.run(
            client.scale,
            client.compilers,
            client.scale.connectWarmup,
            0,
            // 3.6 s at full scale: ipc4j's tcp client needed 2 to 3.2 s to go quiet.
            client.scale.maxWarmupNanos * 18 / 5,
            () -> connection(client, endpoint, message, reply));
    long perSlice = client.scale.measureNanos / slices(client.scale);
    SliceRates rates = new SliceRates();
    client.slices(
        () ->
            rates.measure(
                perSlice,
                () -> {
                  connection(client, endpoint, message, reply);
                  return 1;
                }));
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("connects_per_s", rates.median());
    // For the JSON: the rate over all slices together, which a stalled slice lowers.
    figures.put("connects_per_s_all", rates.overall());
    figures.put("connections", (double) rates.total());
    warmup.report(figures);
    return figures;
  }

  private static void connection(
      Client client, String endpoint, ByteBuffer message, ByteBuffer reply) throws IOException {
    try (Link link = client.connect(endpoint)) {
      PingPong.roundTrip(link, message, reply);
    }
  }
}
