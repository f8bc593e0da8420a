package io.ipc4j.samples.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Latency: one 64 B message in flight on one connection, sent and echoed back, on every transport;
 * p50, p99 and p99.9 of the round trip (HdrHistogram). Run twice: with the two processes free to
 * run on any CPU, where a round trip is mostly the cost of waking the other CPU (the same for any
 * library), and with both on one CPU, where the library's own cost shows.
 *
 * <p>Over {@code udp} and {@code unixgram} a request or its echo may be lost: a receive that times
 * out ({@link Link#DATAGRAM_TIMEOUT_MILLIS}) counts one loss (reported as {@code lost}, not timed)
 * and the client continues on a new connection; more than {@value #MAX_LOSSES} losses fail the
 * turn, since that is no longer a latency measurement.
 */
final class PingPong extends Workload {
  static final int SIZE = 64;
  private static final int MAX_LOSSES = 20;

  private final boolean pinned;

  PingPong(boolean pinned) {
    this(pinned ? "pingpong-64-pinned" : "pingpong-64", pinned, Service.ECHO, Addresses.TRANSPORTS);
  }

  private PingPong(String label, boolean pinned, Service service, List<String> transports) {
    super(
        label,
        pinned ? Setting.PINNED : Setting.APART,
        service,
        SIZE,
        transports,
        List.of(Figure.lower("p50_us"), Figure.lower("p99_us"), Figure.lower("p999_us")));
    this.pinned = pinned;
  }

  /**
   * Over {@code udp} and {@code unixgram}, ipc4j's {@code IpcServer} with a handler per sender
   * against the raw one-thread echo ({@link Service#PEER_ECHO}): what the per-peer server costs.
   */
  static PingPong perPeer() {
    return new PingPong("pingpong-64-peers", false, Service.PEER_ECHO, List.of("udp", "unixgram"));
  }

  @Override
  String note() {
    return service == Service.PEER_ECHO
        ? label
            + ": ipc4j serves with IpcServer, a connection and a handler thread per sender;"
            + " raw with one thread echoing every sender. In the other ping-pongs both sides"
            + " serve datagrams with one socket and one thread (ipc4j: Ipc.bind)."
        : null;
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    int warmupCount = pinned ? client.scale.pinnedWarmup : client.scale.pingPongWarmup;
    int count = pinned ? client.scale.pinnedCount : client.scale.pingPongCount;
    Echoes echoes = new Echoes(client, endpoint);
    Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    Warmup warmup;
    try {
      // Timed and recorded as measured round trips are, so that recording is compiled too.
      warmup =
          Warmup.run(
              client.scale,
              client.compilers,
              Math.max(1, warmupCount / Echoes.STEP),
              0,
              maxWarmupNanos(client.scale, Addresses.scheme(endpoint)),
              () -> echoes.record(histogram, Echoes.STEP));
      histogram.reset();
      int perSlice = Math.max(1, count / client.scale.slices);
      client.slices(
          () -> {
            for (int done = 0; done < perSlice; done += Echoes.STEP) {
              echoes.record(histogram, Math.min(Echoes.STEP, perSlice - done));
            }
          });
    } finally {
      echoes.link.close();
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("p50_us", histogram.getValueAtPercentile(50) / 1e3);
    figures.put("p99_us", histogram.getValueAtPercentile(99) / 1e3);
    figures.put("p999_us", histogram.getValueAtPercentile(99.9) / 1e3);
    figures.put("p90_us", histogram.getValueAtPercentile(90) / 1e3);
    figures.put("max_us", histogram.getMaxValue() / 1e3);
    figures.put("lost", (double) echoes.lost);
    warmup.report(figures);
    return figures;
  }

  /**
   * The longest warm-up: twice the scale's for datagrams on one CPU. A datagram server's every
   * receive runs junixsocket's or the JDK's sender address code besides the library's, and with
   * client and server compiling on the one CPU they also share with the workload, ipc4j's {@code
   * unixgram} server reached C2 for its receive and send path 0.2 to 1.4 s after the scale's
   * warm-up had ended: 130 to 370 ms of its compilation fell inside the measurement (raw's: 0 to
   * 100 ms), and p50 measured that.
   */
  private long maxWarmupNanos(Scale scale, String transport) {
    return pinned && Addresses.isDatagram(transport)
        ? 2 * scale.maxWarmupNanos
        : scale.maxWarmupNanos;
  }

  /** Round trips on one link, replaced when an echo is lost. */
  private static final class Echoes {
    /**
     * Round trips per call of {@link #record}, in the warm-up and in the measurement alike, so that
     * the measurement runs the loop the warm-up compiled. A measuring loop of its own is compiled
     * while it measures, once the counts of the turns before cross the JIT's thresholds: that put
     * 300-450 ms of C2 compilation, of a loop with the whole client inlined into it, inside the
     * pinned unixpacket and unixgram turns, whichever contestant's code was bigger paying more. The
     * loop around the calls turns too few times to be compiled.
     */
    static final int STEP = 100;

    private final Client client;
    private final String endpoint;
    private final ByteBuffer message = Workloads.filled(SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(Service.ECHO_MAX);
    Link link;
    int lost;

    Echoes(Client client, String endpoint) throws IOException {
      this.client = client;
      this.endpoint = endpoint;
      this.link = client.connect(endpoint);
    }

    /** Makes {@code n} round trips and records their nanoseconds; lost echoes are not timed. */
    void record(Histogram histogram, int n) throws IOException {
      for (int i = 0; i < n; i++) {
        long nanos = next();
        if (nanos >= 0) {
          histogram.recordValue(nanos);
        }
      }
    }

    /** One round trip: its nanoseconds, or -1 if the echo was lost (counted, link replaced). */
    private long next() throws IOException {
      long start = System.nanoTime();
      try {
        roundTrip(link, message, reply);
        return System.nanoTime() - start;
      } catch (SocketTimeoutException e) {
        if (++lost > MAX_LOSSES) {
          throw new IOException(endpoint + ": lost more than " + MAX_LOSSES + " echoes", e);
        }
        link.close();
        link = client.connect(endpoint);
        return -1;
      }
    }
  }

  /** Sends {@code message} and waits for its echo. */
  static void roundTrip(Link link, ByteBuffer message, ByteBuffer reply) throws IOException {
    link.send(message.rewind());
    if (link.receive(reply.clear()) != message.limit()) {
      throw new IOException("echo lost or changed the message");
    }
  }
}
