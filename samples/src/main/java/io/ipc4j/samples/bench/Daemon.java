package io.ipc4j.samples.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The one place where the bench creates threads of its own. */
final class Daemon {
  /**
   * {@code Thread.startVirtualThread(Runnable)} where the JVM has it (21+), else null. The samples
   * are compiled for Java 17, so it is reached through a method handle.
   */
  private static final MethodHandle START_VIRTUAL = findStartVirtual();

  private Daemon() {}

  /** Starts a daemon thread: none may keep a bench process alive once its work is done. */
  static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Runs {@code task} on a daemon platform thread of a shared cached pool ({@link
   * Executors#newCachedThreadPool}), the JDK's ready-made way to run many short tasks without
   * creating a thread for each: what a careful hand-written thread-per-connection server uses, and
   * what ipc4j's server does with its platform threads.
   */
  static void pooled(Runnable task) {
    POOL.execute(task);
  }

  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          task -> {
            Thread t = new Thread(task, "bench-pooled");
            t.setDaemon(true);
            return t;
          });

  /** Whether {@link #startVirtual} starts virtual threads. */
  static boolean virtualThreadsAvailable() {
    return START_VIRTUAL != null;
  }

  /**
   * Starts {@code task} on a virtual thread (unnamed: a name per connection would cost a string
   * each), or where there are none on a daemon platform thread named {@code name}.
   */
  static void startVirtual(String name, Runnable task) {
    if (START_VIRTUAL == null) {
      start(name, task);
      return;
    }
    try {
      Thread unused = (Thread) START_VIRTUAL.invokeExact(task);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable impossible) {
      throw new IllegalStateException("cannot start a virtual thread", impossible);
    }
  }

  private static MethodHandle findStartVirtual() {
    if (Runtime.version().feature() < 21) {
      return null;
    }
    try {
      return MethodHandles.publicLookup()
          .findStatic(
              Thread.class,
              "startVirtualThread",
              MethodType.methodType(Thread.class, Runnable.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
