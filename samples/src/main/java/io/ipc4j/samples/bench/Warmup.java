package io.ipc4j.samples.bench;

import java.io.IOException;
import java.util.Map;

/**
 * A warm-up that lasts until the JIT compilers have caught up with the workload. Every process of
 * the bench is bound to one CPU ({@code taskset}), its compiler threads included, so code still
 * being compiled takes CPU time from the workload it measures. ipc4j's client compiles more code
 * than a hand-written client (a {@code connect-rate} client: 1.2-1.3 s of compilation against
 * 0.4-0.55 s, in a process that lives two seconds), and a warm-up of a set length measured that
 * difference in compilation as much as the workload: in-process, where the compilers had long
 * finished, the two clients connected equally fast.
 *
 * <p>So a workload warms up for at least its set count or time, then until the {@link Compilers} of
 * the client and of its server have been idle for {@link Scale#quietNanos} (no compilation finished
 * in the client, and on Linux no CPU time used by a compiler thread of either, so that a long
 * compilation under way is seen too), for at most {@link Scale#maxWarmupNanos} in all. The figures
 * record how long it took ({@code warmup_s}), whether the compilers went quiet ({@code
 * warmup_quiet}, 1 or 0) and how much compilation still happened while measuring ({@code
 * compile_ms_measuring} in the client, {@code server_compile_ms_measuring} of CPU in the server's
 * compiler threads), so that a result measured while compiling can be seen as such.
 */
final class Warmup {
  /** One step of a workload: a round trip, a connection, a burst. */
  interface Step {
    void run() throws IOException;
  }

  /**
   * How often the compilers are looked at: a look reads a file per thread, and the CPU times in
   * those files count in clock ticks of 10 ms.
   */
  private static final long LOOK_NANOS = 10_000_000;

  private final Compilers compilers;
  private final long nanos;
  private final boolean quiet;
  private final long compileMillisAtEnd;
  private final long serverTicksAtEnd;

  private Warmup(Compilers compilers, long nanos, boolean quiet) {
    this.compilers = compilers;
    this.nanos = nanos;
    this.quiet = quiet;
    this.compileMillisAtEnd = compilers.finishedMillis();
    this.serverTicksAtEnd = compilers.serverTicks();
  }

  /**
   * Runs {@code step} at least {@code minSteps} times and for at least {@code minNanos}, then until
   * {@code compilers} have been quiet for the scale's quiet time, stopping at its maximum.
   */
  static Warmup run(Scale scale, Compilers compilers, long minSteps, long minNanos, Step step)
      throws IOException {
    return run(scale, compilers, minSteps, minNanos, scale.maxWarmupNanos, step);
  }

  /** As {@link #run(Scale, Compilers, long, long, Step)}, for at most {@code maxNanos}. */
  static Warmup run(
      Scale scale, Compilers compilers, long minSteps, long minNanos, long maxNanos, Step step)
      throws IOException {
    boolean watching = compilers.watchable() && scale.quietNanos > 0;
    long compiled = watching ? compilers.finishedMillis() : 0;
    long compiling = watching ? compilers.ticks() : 0;
    long start = System.nanoTime();
    long lastCompiled = start;
    long nextLook = start + LOOK_NANOS;
    for (long steps = 1; ; steps++) {
      step.run();
      long now = System.nanoTime();
      if (watching && now >= nextLook) {
        long total = compilers.finishedMillis();
        long ticks = compilers.ticks();
        if (total != compiled || ticks != compiling) {
          compiled = total;
          compiling = ticks;
          lastCompiled = now;
        }
        nextLook = now + LOOK_NANOS;
      }
      if (steps < minSteps || now - start < minNanos) {
        continue;
      }
      boolean quiet = !watching || now - lastCompiled >= scale.quietNanos;
      if (quiet || now - start >= maxNanos) {
        return new Warmup(compilers, now - start, quiet);
      }
    }
  }

  /** Adds this warm-up's figures; call when the measurement has ended. */
  void report(Map<String, Double> figures) {
    figures.put("warmup_s", nanos / 1e9);
    figures.put("warmup_quiet", quiet ? 1.0 : 0.0);
    if (compilers.watchable()) {
      figures.put(
          "compile_ms_measuring", (double) (compilers.finishedMillis() - compileMillisAtEnd));
      figures.put(
          "server_compile_ms_measuring",
          (double) (compilers.serverTicks() - serverTicksAtEnd) * Compilers.MILLIS_PER_TICK);
    }
  }
}
