package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Idle scale: the client warms the server up with {@link Scale#idleWarmup} short connections, then
 * opens {@code --connections} connections to it and holds them idle; the server process reports its
 * resident memory (before any forced collection: what the system sees) and its used heap after a
 * full collection; then the client sends one 64 B ping-pong on each connection in turn, all of
 * which must answer.
 *
 * <p>Every turn gets a server JVM of its own, with the same heap limit ({@value #HEAP}, {@value
 * #YOUNG} of it young) for both contestants, so that its memory holds this workload only. ipc4j's
 * server runs with its defaults but a connection limit above the count; the raw server runs a
 * thread per connection, virtual where the JVM has them (21+) and platform threads otherwise, as
 * ipc4j's server does.
 *
 * <p>The client connects in windows of {@value #WINDOW}, half ipc4j's default backlog, and ends
 * each window with a ping-pong on its last connection: connections are accepted in order, so its
 * answer means the whole window was accepted, and the backlog never overflows (over TCP an overflow
 * costs a retransmitted SYN, a second).
 */
final class IdleScale extends Workload {
  /** The server JVMs' heap limit, the same for both contestants. */
  static final String HEAP = "512m";

  /**
   * The server JVMs' young generation, fixed: left to itself G1 grew it to 226 MiB, and how much of
   * that garbage was resident when the memory was read swung a contestant's figure by 40 MiB.
   */
  static final String YOUNG = "64m";

  private static final int WINDOW = 64;
  private static final int SIZE = 64;

  /**
   * {@code transport}: {@code unix} is the default run's ({@code idle}); {@code tcp} ({@code
   * idle-tcp}) runs only when asked for, since at 10,000 connections its turns would take the
   * default run past five minutes on a 2-core machine.
   */
  IdleScale(String transport) {
    super(
        transport.equals("unix") ? "idle" : "idle-" + transport,
        Setting.OWN_SERVER,
        Service.ECHO,
        SIZE,
        List.of(transport),
        List.of(
            Figure.lower("rss_mib"),
            Figure.lower("heap_mib"),
            Figure.lower("kib_per_conn"),
            Figure.lower("ping_p50_us"),
            Figure.lower("ping_all_ms")));
  }

  @Override
  Map<String, Double> run(Client client, String endpoint) throws IOException {
    int n = client.scale.connections;
    Link[] links = new Link[n];
    ByteBuffer message = Workloads.filled(SIZE);
    ByteBuffer reply = ByteBuffer.allocateDirect(Service.ECHO_MAX);
    Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    double allMillis;
    // Windows of connections open at once, each pinged, then closed: the server starts threads
    // that make their first reads and writes, as it will for the connections held next.
    Link[] window = new Link[WINDOW];
    for (int warmed = 0; warmed < client.scale.idleWarmup; warmed += WINDOW) {
      try {
        for (int i = 0; i < WINDOW; i++) {
          window[i] = client.connect(endpoint);
        }
        for (Link link : window) {
          PingPong.roundTrip(link, message, reply);
        }
      } finally {
        closeAll(window);
        Arrays.fill(window, null);
      }
    }
    try {
      for (int i = 0; i < n; i++) {
        links[i] = client.connect(endpoint);
        if (i % WINDOW == WINDOW - 1 || i == n - 1) {
          PingPong.roundTrip(links[i], message, reply);
        }
      }
      client.pause("holding " + n);
      long all = System.nanoTime();
      for (Link link : links) {
        long start = System.nanoTime();
        PingPong.roundTrip(link, message, reply);
        histogram.recordValue(System.nanoTime() - start);
      }
      allMillis = (System.nanoTime() - all) / 1e6;
    } finally {
      closeAll(links);
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("ping_p50_us", histogram.getValueAtPercentile(50) / 1e3);
    figures.put("ping_all_ms", allMillis);
    figures.put("ping_p99_us", histogram.getValueAtPercentile(99) / 1e3);
    return figures;
  }

  /**
   * One contestant after the other, each with a server of its own: the memory of a server holding
   * the connections is one reading, with nothing to interleave.
   */
  @Override
  Map<Contestant, Map<String, Double>> turns(List<Turn> turns)
      throws IOException, InterruptedException {
    Map<Contestant, Map<String, Double>> figures = new EnumMap<>(Contestant.class);
    for (Turn turn : turns) {
      long start = System.nanoTime();
      Map<String, Double> f = turn(turn);
      f.put("turn_s", (System.nanoTime() - start) / 1e9);
      figures.put(turn.contestant, f);
    }
    return figures;
  }

  /**
   * A server process of its own: it reports its memory while the client holds every connection,
   * which the figures of both are merged with.
   */
  private Map<String, Double> turn(Turn turn) throws IOException, InterruptedException {
    int n = turn.scale.connections;
    try (ServerProcess server =
        turn.startServer(List.of("-Xmx" + HEAP, "-Xmn" + YOUNG), Service.ECHO, n)) {
      turn.send(server);
      turn.expect("holding " + n);
      Map<String, Double> memory = server.measure();
      turn.go();
      Map<String, Double> figures = new LinkedHashMap<>();
      double rssKib = memory.get("rss_kib");
      figures.put("rss_mib", rssKib / 1024);
      figures.put("heap_mib", memory.get("heap_kib") / 1024);
      figures.put("kib_per_conn", (rssKib - memory.get("rss_before_kib")) / n);
      figures.putAll(turn.result());
      figures.put("threads", memory.get("threads"));
      server.finish();
      return figures;
    }
  }

  private static void closeAll(Link[] links) throws IOException {
    IOException failure = null;
    for (Link link : links) {
      if (link == null) {
        break;
      }
      try {
        link.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
