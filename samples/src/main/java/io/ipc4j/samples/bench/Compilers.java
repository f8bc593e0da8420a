package io.ipc4j.samples.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
   * finishes and counts in {@link #finishedMillis}.
   */
  long ticks() {
    return ticks(SELF_TASKS) + serverTicks();
  }

  /** The CPU time, in ticks, used by the server's compiler threads; 0 if not known. */
  long serverTicks() {
    return serverTasks == null ? 0 : ticks(serverTasks);
  }

  private static long ticks(Path tasks) {
    long ticks = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        ticks += compilerTicks(thread);
      }
    } catch (IOException | RuntimeException e) {
      return 0; // Not Linux, or the process has ended: the compilers' total time alone tells.
    }
    return ticks;
  }

  /** A thread's user and system ticks if it is a compiler thread ("C2 CompilerThread0"), or 0. */
  private static long compilerTicks(Path thread) {
    String stat;
    try {
      stat = Files.readString(thread.resolve("stat"));
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

  private static CompilationMXBean self() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
  }
}
