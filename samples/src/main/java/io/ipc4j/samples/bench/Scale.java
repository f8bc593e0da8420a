package io.ipc4j.samples.bench;

/**
 * How much each workload does. Throughput workloads run for a set time rather than a set count, so
 * that a turn (one workload, one transport, one contestant) takes about as long on a slow or loaded
 * machine as on a fast one: at full scale 0.5 s of measuring after the warm-up, which keeps the
 * default run of three rounds under five minutes on this project's 2-core machine; interleaved in
 * slices with the other contestant's ({@link Workload#turns}), that is enough for ratios that hold
 * from run to run. Ping-pong runs a set count, so that both contestants' percentiles come from as
 * many samples. The quick scale is a smoke test, not a measurement.
 */
final class Scale {
  static final Scale FULL =
      new Scale(
          "full", 2_000, 6_000, 8_000, 24_000, 500, 500, 10_000, 10_000, 200, 1_000, 10_000, 8, 16);
  static final Scale QUICK =
      new Scale("quick", 200, 1_000, 500, 2_000, 60, 15, 100, 50, 0, 0, 200, 2, 2);

  final String name;

  /** Ping-pong round trips with the processes on different CPUs: some 20-70 µs each. */
  final int pingPongWarmup;

  final int pingPongCount;

  /** Ping-pong round trips with both processes on one CPU: some 10-15 µs each. */
  final int pinnedWarmup;

  final int pinnedCount;

  /** How long a throughput workload measures, after a warm-up of a quarter of that. */
  final long measureNanos;

  /**
   * How long datagrams are sent, at least, before their rate is measured. Receiving a Unix datagram
   * runs much of junixsocket's code per datagram (it decodes the sender's address), and both
   * contestants' rates still climbed through their second second when a quarter of the measuring
   * time was the whole warm-up: it measured the compilers. The warm-up goes on until the client's
   * compilers are quiet ({@link Warmup}).
   */
  final long datagramWarmupNanos;

  /**
   * The fewest connections made before the connect rate is measured. Code that runs once per
   * connection is compiled fully only after some 5,000 calls (C2's invocation threshold) and a wait
   * in the compilers' queue, and until then the compilers compete for the CPU with the workload,
   * the more so the more code a connection runs: a warm-up by time (a quarter of a second) measured
   * how fast each contestant's code is compiled, not how fast it connects. The warm-up goes on
   * until the compilers are quiet ({@link Warmup}). With 5,000 the raw client's compilers paused
   * for 200 ms, then compiled for 80 to 150 ms of its measurement in four turns of five: its code
   * reaches C2's thresholds later than 5,000 calls.
   */
  final int connectWarmup;

  /**
   * Connections made, pinged and closed, in windows held at once, before the idle scale's server
   * holds any, so that the server's code is compiled (see {@link #connectWarmup}), and because a
   * thread whose native call comes from interpreted code touches the whole stack shadow zone (80
   * KiB). The threads a cold server starts before their code is compiled, the code a thread runs
   * once (its first gathering write sets up a per-thread I/O vector) included, hold 72 KiB more
   * each: of the first 2,000 connections 550 to 900 did, as the compilers happened to keep up,
   * which swung the server's resident memory by 20 MiB from run to run. On Java 21+ the frames of a
   * parked virtual thread are copied to the heap, larger while they are not compiled yet.
   */
  final int idleWarmup;

  /**
   * How long the client's compilers must have been idle before a warm-up may end, once it has
   * reached its set count or time ({@link Warmup}); 0: no wait.
   */
  final long quietNanos;

  /**
   * The longest a warm-up may last waiting for the compilers to go quiet; 3.6 times that for {@code
   * connect-rate}, whose every step runs the most code (ipc4j's tcp client needed 2 to 3.2 s), 2.5
   * times that for {@code dgram-rate-64} ({@link DatagramRate}), and twice that for datagram
   * ping-pongs on one CPU ({@link PingPong}). At 2 s the default run took 4 min 58 s on a loaded
   * machine: ping-pong warm-ups alone took a minute; at 1.2 s it took 5 min 2 s on a day the host
   * took 6% of the CPU time.
   */
  final long maxWarmupNanos;

  /** Connections held open at once by the idle scale workload ({@code --connections}). */
  final int connections;

  /**
   * How many slices each contestant's measurement is cut into, the parent interleaving the two
   * contestants' slices ({@link Workload#turns}); a slice gets this share of the count or the time.
   * Measured one after the other, the two halves of a comparison ran a second or more apart, and on
   * this shared VM the same loop of CPU work took 190 to 280 ms from one moment to the next: a
   * rate's per-round ratio moved by 10 to 40%.
   */
  final int slices;

  /**
   * How many slices the measuring time of a stream or a connect rate is cut into: more than {@link
   * #slices}, since a rate's slices vary much more than a ping-pong's. Consecutive slices of 62 ms
   * (8 to the half second) of one streaming client ran from 358,000 to 547,000 messages a second,
   * independently of each other, so the median of 8 moved by some 10%: over five rounds of unix
   * streaming of 1 KiB the per-round ratios ran from 0.76 to 0.93 with 8 slices, and from 0.92 to
   * 1.04 with 32 in the next five. 32 took the default run some 20 s longer (a slice runs whole
   * batches, and a batch of 64 B messages over tcp takes 24 ms), so 16. Ping-pongs, whose
   * percentiles the start of each slice would spoil, and datagram rates, whose every slice ends
   * with a request that {@code udp} may lose (which costs a timeout), keep {@link #slices}.
   */
  final int rateSlices;

  private Scale(
      String name,
      int pingPongWarmup,
      int pingPongCount,
      int pinnedWarmup,
      int pinnedCount,
      long measureMillis,
      long datagramWarmupMillis,
      int connectWarmup,
      int idleWarmup,
      long quietMillis,
      long maxWarmupMillis,
      int connections,
      int slices,
      int rateSlices) {
    this.name = name;
    this.pingPongWarmup = pingPongWarmup;
    this.pingPongCount = pingPongCount;
    this.pinnedWarmup = pinnedWarmup;
    this.pinnedCount = pinnedCount;
    this.measureNanos = measureMillis * 1_000_000;
    this.datagramWarmupNanos = datagramWarmupMillis * 1_000_000;
    this.connectWarmup = connectWarmup;
    this.idleWarmup = idleWarmup;
    this.quietNanos = quietMillis * 1_000_000;
    this.maxWarmupNanos = maxWarmupMillis * 1_000_000;
    this.connections = connections;
    this.slices = slices;
    this.rateSlices = rateSlices;
  }

  long warmupNanos() {
    return measureNanos / 4;
  }

  /** This scale holding {@code n} idle connections instead of its default. */
  Scale withConnections(int n) {
    return with(quietNanos / 1_000_000, maxWarmupNanos / 1_000_000, n);
  }

  /**
   * This scale with warm-ups waiting {@code quietMillis} for the compilers, at most {@code
   * maxMillis} in all.
   */
  Scale withWarmupWait(long quietMillis, long maxMillis) {
    return with(quietMillis, maxMillis, connections);
  }

  private Scale with(long quietMillis, long maxWarmupMillis, int connections) {
    return new Scale(
        name,
        pingPongWarmup,
        pingPongCount,
        pinnedWarmup,
        pinnedCount,
        measureNanos / 1_000_000,
        datagramWarmupNanos / 1_000_000,
        connectWarmup,
        idleWarmup,
        quietMillis,
        maxWarmupMillis,
        connections,
        slices,
        rateSlices);
  }

  /** The scale a child process was told: its name and the number of idle connections. */
  static Scale of(String name, int connections) {
    return (QUICK.name.equals(name) ? QUICK : FULL).withConnections(connections);
  }
}
