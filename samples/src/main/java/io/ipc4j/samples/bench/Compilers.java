package io.ipc4j.samples.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The JIT compilers a {@link Warmup} waits for: this JVM's, and on Linux those of the server it
 * measures against. A pinned workload runs server and client on one CPU, so a server still
 * compiling takes that CPU from both; ipc4j's server has more code to compile than a hand-written
 * one, and it does not finish compiling when the client does.
 */
final class Compilers {
  /** Null where the JVM cannot tell its compilation time: warm-ups then keep to their minimum. */
  private static final CompilationMXBean SELF = self();

  private static final Path SELF_TASKS = Path.of("/proc/self/task");

  /** Linux counts a thread's CPU time in ticks of 1/100 s ({@code USER_HZ}). */
  static final int MILLIS_PER_TICK = 10;

  private final Path serverTasks;

  /**
   * Whether each thread seen so far (by its {@code /proc/PID/task/TID} path) is a compiler thread:
   * a thread's name is read once, and only compiler threads' CPU times are read at each look. A
   * look that read every thread's {@code stat} cost the pinned client a millisecond and more every
   * 10 ms of its warm-up, and kept its own reading code compiling.
   */
  private Map<Path, Boolean> compilerThreads = new HashMap<>();

  private Compilers(Path serverTasks) {
    this.serverTasks = serverTasks;
  }

  /** This JVM's compilers and those of the server process {@code serverPid}; 0: this JVM's only. */
  static Compilers of(long serverPid) {
    return new Compilers(serverPid > 0 ? Path.of("/proc", Long.toString(serverPid), "task") : null);
  }

  /** Whether this JVM tells its compilation time; if not, a warm-up cannot wait for compilers. */
  boolean watchable() {
    return SELF != null;
  }

  /** The time this JVM's compilers have spent on the compilations they finished, in ms. */
  long finishedMillis() {
    return SELF == null ? 0 : SELF.getTotalCompilationTime();
  }

  /**
   * The CPU time, in ticks, used by the compiler threads of this JVM and of the server, or 0 where
   * it cannot be read. A compilation under way, or waiting in the queue, shows here before it
   * finishes and counts in {@link #finishedMillis}. Not thread-safe: one warm-up looks at a time.
   */
  long ticks() {
    Map<Path, Boolean> seen = new HashMap<>();
    long ticks = ticks(SELF_TASKS, seen);
    if (serverTasks != null) {
      ticks += ticks(serverTasks, seen);
    }
    compilerThreads = seen; // Forget the threads that have ended.
    return ticks;
  }

  /** The CPU time, in ticks, used by the server's compiler threads; 0 if not known. */
  long serverTicks() {
    return serverTasks == null ? 0 : ticks(serverTasks, new HashMap<>());
  }

  /** The ticks of the compiler threads in {@code tasks}, noting every thread in {@code seen}. */
  private long ticks(Path tasks, Map<Path, Boolean> seen) {
    long ticks = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        Boolean compiler = compilerThreads.get(thread);
        if (compiler == null) {
          compiler = isCompiler(thread);
        }
        seen.put(thread, compiler);
        if (compiler) {
          ticks += cpuTicks(thread);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0; // Not Linux, or the process has ended: the compilers' total time alone tells.
    }
    return ticks;
  }

  /** Whether a thread is a compiler thread ("C2 CompilerThread0"); false if it has ended. */
  private static boolean isCompiler(Path thread) {
    String name;
    try {
      name = Files.readString(thread.resolve("comm"));
    } catch (IOException e) {
      return false;
    }
    return name.startsWith("C1 CompilerThr") || name.startsWith("C2 CompilerThr");
  }

  /** A thread's user and system ticks; 0 if it has ended. */
  private static long cpuTicks(Path thread) {
    String stat;
    try {
      stat = Files.readString(thread.resolve("stat"));
    } catch (IOException e) {
      return 0;
    }
    // "tid (name) state ppid ...": utime and stime are the 14th and 15th fields, the 12th and
    // 13th after the name.
    int field = 0;
    int start = stat.lastIndexOf(')') + 2;
    long ticks = 0;
    for (int i = start; i <= stat.length(); i++) {
      if (i == stat.length() || stat.charAt(i) == ' ') {
        if (field == 11 || field == 12) {
          ticks += Long.parseLong(stat, start, i, 10);
        }
        field++;
        start = i + 1;
        if (field > 12) {
          break;
        }
      }
    }
    return ticks;
  }

  private static CompilationMXBean self() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
  }
}
