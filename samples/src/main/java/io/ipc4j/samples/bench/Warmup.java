package io.ipc4j.samples.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A warm-up that lasts until the client's JIT compilers have caught up with the workload. Every
 * process of the bench is bound to one CPU ({@code taskset}), its compiler threads included, so
 * code still being compiled takes CPU time from the workload it measures. ipc4j's client compiles
 * more code than a hand-written client (a {@code connect-rate} client: 1.2-1.3 s of compilation
 * against 0.4-0.55 s, in a process that lives two seconds), and a warm-up of a set length measured
 * that difference in compilation as much as the workload: in-process, where the compilers had long
 * finished, the two clients connected equally fast.
 *
 * <p>So a workload warms up for at least its set count or time, then until the compilers have been
 * idle for {@link Scale#quietNanos} (no compilation finished, and on Linux no CPU time used by a
 * compiler thread, so that a long compilation under way is seen too), for at most {@link
 * Scale#maxWarmupNanos} in all. The figures record how long it took ({@code warmup_s}), whether the
 * compilers went quiet ({@code warmup_quiet}, 1 or 0) and how much compilation still happened while
 * measuring ({@code compile_ms_measuring}), so that a result measured while compiling can be seen
 * as such. The server's compilers are not watched: they compile in step with the requests the
 * client sends.
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

  /** The threads of this JVM, on Linux; the compiler threads among them are watched. */
  private static final Path TASKS = Path.of("/proc/self/task");

  /** Null where the JVM cannot tell its compilation time: warm-ups then keep to their minimum. */
  private static final CompilationMXBean COMPILER = compiler();

  private final long nanos;
  private final boolean quiet;
  private final long compileMillisAtEnd;

  private Warmup(long nanos, boolean quiet, long compileMillisAtEnd) {
    this.nanos = nanos;
    this.quiet = quiet;
    this.compileMillisAtEnd = compileMillisAtEnd;
  }

  /**
   * Runs {@code step} at least {@code minSteps} times and for at least {@code minNanos}, then until
   * no compilation has finished for the scale's quiet time, stopping at its maximum.
   */
  static Warmup run(Scale scale, long minSteps, long minNanos, Step step) throws IOException {
    return run(scale, minSteps, minNanos, scale.maxWarmupNanos, step);
  }

  /** As {@link #run(Scale, long, long, Step)}, for at most {@code maxNanos}. */
  static Warmup run(Scale scale, long minSteps, long minNanos, long maxNanos, Step step)
      throws IOException {
    boolean watching = COMPILER != null && scale.quietNanos > 0;
    long compiled = watching ? compileMillis() : 0;
    long compiling = watching ? compilerTicks() : 0;
    long start = System.nanoTime();
    long lastCompiled = start;
    long nextLook = start + LOOK_NANOS;
    for (long steps = 1; ; steps++) {
      step.run();
      long now = System.nanoTime();
      if (watching && now >= nextLook) {
        long total = compileMillis();
        long ticks = compilerTicks();
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
        return new Warmup(now - start, quiet, compileMillis());
      }
    }
  }

  /** Adds this warm-up's figures; call when the measurement has ended. */
  void report(Map<String, Double> figures) {
    figures.put("warmup_s", nanos / 1e9);
    figures.put("warmup_quiet", quiet ? 1.0 : 0.0);
    if (COMPILER != null) {
      figures.put("compile_ms_measuring", (double) (compileMillis() - compileMillisAtEnd));
    }
  }

  private static long compileMillis() {
    return COMPILER == null ? 0 : COMPILER.getTotalCompilationTime();
  }

  /**
   * The CPU time, in clock ticks, that this JVM's compiler threads have used, or 0 where it cannot
   * be read. A compilation under way, or waiting in the queue, shows here before it finishes and
   * counts in {@link CompilationMXBean#getTotalCompilationTime}.
   */
  private static long compilerTicks() {
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        ticks += compilerTicks(task);
      }
    } catch (IOException | RuntimeException e) {
      return 0; // Not Linux: the compilers' total time alone tells.
    }
    return ticks;
  }

  /** A thread's user and system ticks if it is a compiler thread ("C2 CompilerThread0"), or 0. */
  private static long compilerTicks(Path task) {
    String stat;
    try {
      stat = Files.readString(task.resolve("stat"));
    } catch (IOException e) {
      return 0; // The thread has ended.
    }
    // "tid (name) state ppid ...": utime and stime are the 14th and 15th fields.
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    String name = stat.substring(open + 1, close);
    if (!name.startsWith("C1 CompilerThr") && !name.startsWith("C2 CompilerThr")) {
      return 0;
    }
    String[] fields = stat.substring(close + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static CompilationMXBean compiler() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
  }
}
