package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PlatformWorkersTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private final BlockingQueue<Thread> ran = new LinkedBlockingQueue<>();

  private Thread runOn(PlatformWorkers workers, String name) throws InterruptedException {
    return runOn(workers, name, null);
  }

  /** A task that records its thread, holding {@code state} as a connection's task holds it. */
  private record Task(BlockingQueue<Thread> ran, Object state) implements Runnable {
    @Override
    public void run() {
      ran.add(Thread.currentThread());
    }
  }

  /** Runs a task named {@code name} that holds {@code state}; returns its thread once it ran. */
  private Thread runOn(PlatformWorkers workers, String name, Object state)
      throws InterruptedException {
    workers.execute(name, new Task(ran, state));
    Thread t = ran.poll(10, TimeUnit.SECONDS);
    assertTrue(t != null, "task " + name + " ran");
    return t;
  }

  /** Runs {@code n} tasks that wait for {@code release}; returns their threads once all run. */
  private List<Thread> busy(PlatformWorkers workers, int n, CountDownLatch release)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      workers.execute(
          "busy " + i,
          () -> {
            ran.add(Thread.currentThread());
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      threads.add(ran.poll(10, TimeUnit.SECONDS));
    }
    return threads;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void aWaitingWorkerRunsTheNextTaskUnderItsName() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    Thread first = runOn(workers, "first");
    await("the first worker to wait", () -> workers.idleCount() == 1);
    assertEquals("first", first.getName(), "a waiting worker keeps its last task's name");

    List<String> names = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    workers.execute(
        "second",
        () -> {
          names.add(Thread.currentThread().getName());
          ran.add(Thread.currentThread());
          done.countDown();
        });
    assertSame(first, ran.poll(10, TimeUnit.SECONDS), "the waiting worker was used");
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("second"), names);
    assertTrue(first.isDaemon(), "workers are daemons");
    workers.close();
    first.join(10_000);
    assertFalse(first.isAlive(), "close ends a waiting worker");
  }

  /**
   * A thread renaming itself costs a system call, another thread's rename does not: a reused
   * worker's kernel name (Linux: {@code /proc/thread-self/comm}) is still the one it started with.
   */
  @Test
  void aWorkerIsRenamedByTheThreadThatHandsItATask() throws Exception {
    Path comm = Path.of("/proc/thread-self/comm");
    assumeTrue(Files.isReadable(comm), "Linux's per-thread names");
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    Thread first = runOn(workers, "worker first");
    await("the first worker to wait", () -> workers.idleCount() == 1);
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    workers.execute(
        "worker second",
        () -> {
          ran.add(Thread.currentThread());
          try {
            seen.add(Thread.currentThread().getName() + " / " + Files.readString(comm).strip());
          } catch (IOException e) {
            seen.add(e.toString());
          }
        });
    assertSame(first, ran.poll(10, TimeUnit.SECONDS), "the waiting worker was used");
    assertEquals("worker second / worker first", seen.poll(10, TimeUnit.SECONDS));
    workers.close();
  }

  @Test
  void aWaitingWorkerHoldsNothingOfItsLastTask() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    // A task standing for a connection: what a waiting worker still held of it (its buffers,
    // its socket) would stay reachable for the keep-alive.
    Object connection = new byte[1024];
    WeakReference<Object> held = new WeakReference<>(connection);
    Thread first = runOn(workers, "first", connection);
    connection = null;
    await("the first worker to wait", () -> workers.idleCount() == 1);
    Thread second = runOn(workers, "second", new byte[1024]);
    assertSame(first, second, "the waiting worker ran the second task");
    await("the worker to wait again", () -> workers.idleCount() == 1);
    await(
        "the first task's connection to be collected",
        () -> {
          System.gc();
          return held.get() == null;
        });
    workers.close();
  }

  @Test
  void busyWorkersMeanNewThreads() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = busy(workers, 3, release);
    assertEquals(3, threads.stream().distinct().count(), "one thread per busy task: " + threads);
    release.countDown();
    await("all three to wait", () -> workers.idleCount() == 3);
    workers.close();
    for (Thread t : threads) {
      t.join(10_000);
      assertFalse(t.isAlive(), t + " ended on close");
    }
  }

  @Test
  void atMostMaxIdleWorkersWaitAndTheRestEnd() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(1, LONG);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = busy(workers, 2, release);
    release.countDown();
    await("one worker to end", () -> threads.stream().filter(Thread::isAlive).count() == 1);
    assertEquals(1, workers.idleCount());
    workers.close();
  }

  @Test
  void noWaitingWorkersWithMaxIdleZero() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(0, LONG);
    Thread first = runOn(workers, "first");
    first.join(10_000);
    assertFalse(first.isAlive(), "a worker with no room to wait ends");
    assertNotSame(first, runOn(workers, "second"));
  }

  @Test
  void aWorkerNobodyNeedsEndsAfterTheKeepAlive() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, Duration.ofMillis(50));
    Thread first = runOn(workers, "first");
    first.join(10_000);
    assertFalse(first.isAlive(), "ended after its keep-alive");
    assertEquals(0, workers.idleCount());
    assertNotSame(first, runOn(workers, "second"), "a new thread after the keep-alive");
  }

  @Test
  void aTasksInterruptDoesNotReachTheNext() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    workers.execute(
        "interrupted",
        () -> {
          Thread.currentThread().interrupt();
          ran.add(Thread.currentThread());
        });
    Thread first = ran.poll(10, TimeUnit.SECONDS);
    await("the worker to wait", () -> workers.idleCount() == 1);
    BlockingQueue<Boolean> interrupted = new LinkedBlockingQueue<>();
    workers.execute("next", () -> interrupted.add(Thread.currentThread().isInterrupted()));
    assertEquals(Boolean.FALSE, interrupted.poll(10, TimeUnit.SECONDS));
    assertTrue(first.isAlive());
    workers.close();
  }

  @Test
  void aTaskThatThrowsEndsItsWorkerOnly() throws Exception {
    PlatformWorkers workers = new PlatformWorkers(4, LONG);
    List<Throwable> uncaught = new ArrayList<>();
    CountDownLatch thrown = new CountDownLatch(1);
    workers.execute(
        "throws",
        () -> {
          Thread.currentThread()
              .setUncaughtExceptionHandler(
                  (t, e) -> {
                    uncaught.add(e);
                    thrown.countDown();
                  });
          ran.add(Thread.currentThread());
          throw new IllegalStateException("boom");
        });
    Thread failed = ran.poll(10, TimeUnit.SECONDS);
    assertTrue(thrown.await(10, TimeUnit.SECONDS));
    failed.join(10_000);
    assertFalse(failed.isAlive());
    assertEquals("boom", uncaught.get(0).getMessage());
    assertEquals(0, workers.idleCount());
    assertNotSame(failed, runOn(workers, "after"));
    workers.close();
  }
}
