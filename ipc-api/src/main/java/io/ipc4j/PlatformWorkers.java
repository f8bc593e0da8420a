package io.ipc4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One server's platform threads, kept for reuse. Creating a platform thread (clone, a stack, the
 * JVM's setup and teardown of the thread) was about a third of the server's time for a short
 * connection (connect, one request, close: 0.4-0.5 ms of CPU each on a 2-core machine), so a
 * connection handed to a waiting worker starts sooner and costs less. Up to {@code maxIdle} workers
 * wait, each for at most {@code keepAlive}; the one idle the shortest time is used first, so that
 * the others time out when the load falls. A task that throws ends its worker.
 *
 * <p>A worker carries the name of the task it runs, and while it waits, of the task it ran last
 * (its stack, {@code awaitJob}, says that it waits). It is renamed by the thread that hands it a
 * task, never by itself: a thread renaming itself sets its name in the kernel too, a {@code prctl}
 * system call that took 0.7 us on a 2-core VM, against 10 to 20 ns for another thread's rename,
 * which sets the Java name only; two of them per connection, to the task's name and back to an idle
 * one, were a few percent of a short connection's time in the server. The kernel's name (15
 * characters, seen by {@code top -H}) stays the one the worker started with. A worker loses a
 * task's interrupt when the task ends. Thread locals set by a task stay with the thread: the usual
 * terms of a pool. Thread-safe.
 */
final class PlatformWorkers {
  /** What an idle worker is handed: a task and the thread name it runs under. */
  private record Job(String name, Runnable task) {}

  /** Handed to idle workers on close: exit. */
  private static final Job EXIT = new Job(null, null);

  private final int maxIdle;
  private final long keepAliveNanos;
  private final ReentrantLock lock = new ReentrantLock();

  /** Waiting workers, the most recently idle first; guarded by the lock. */
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();

  /** Guarded by the lock. */
  private boolean closed;

  /**
   * @param maxIdle how many workers may wait at once; 0 makes every task a new thread
   * @param keepAlive how long a worker waits for its next task
   */
  PlatformWorkers(int maxIdle, Duration keepAlive) {
    this.maxIdle = maxIdle;
    this.keepAliveNanos = keepAlive.toNanos();
  }

  /**
   * Runs {@code task} on a waiting worker renamed {@code name}, or else on a new platform daemon
   * thread of that name.
   *
   * @throws OutOfMemoryError if a new thread is needed and the system has none to give
   */
  void execute(String name, Runnable task) {
    Job job = new Job(name, task);
    Worker waiting;
    lock.lock();
    try {
      waiting = idle.pollFirst();
    } finally {
      lock.unlock();
    }
    if (waiting != null) {
      // Off the list, so renamed by nobody else now. A name is for people reading thread dumps: a
      // rename refused (by a security manager) must not leave the worker waiting for ever.
      try {
        waiting.thread.setName(name);
      } catch (RuntimeException refused) {
        // It runs the task under its last name.
      }
      waiting.hand(job);
    } else {
      new Worker(job).thread.start();
    }
  }

  /** How many workers are waiting now. */
  int idleCount() {
    lock.lock();
    try {
      return idle.size();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the waiting workers now and the busy ones when their tasks return. Idempotent. */
  void close() {
    List<Worker> waiting;
    lock.lock();
    try {
      closed = true;
      waiting = new ArrayList<>(idle);
      idle.clear();
    } finally {
      lock.unlock();
    }
    for (Worker w : waiting) {
      w.hand(EXIT);
    }
  }

  private final class Worker implements Runnable {
    final Thread thread;

    /**
     * The job handed over and not yet finished; null while waiting. Cleared when a job ends, so
     * that a worker waiting for its next connection holds nothing of the last one (its buffers
     * among it) for the keep-alive, but its name.
     */
    private volatile Job next;

    Worker(Job first) {
      this.next = first;
      this.thread = IpcThreads.platform(first.name(), this, true);
    }

    void hand(Job job) {
      next = job;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      Job job = next;
      while (job != EXIT) {
        job.task().run();
        // The next connection must not see this one's interrupt.
        Thread.interrupted();
        // Nor may this frame hold the last job while waiting (an interpreted frame would).
        job = null;
        job = awaitJob();
      }
    }

    /** The next job, or EXIT when there is room for no more waiting workers or none came. */
    private Job awaitJob() {
      lock.lock();
      try {
        next = null;
        if (closed || idle.size() >= maxIdle) {
          return EXIT;
        }
        idle.addFirst(this);
      } finally {
        lock.unlock();
      }
      long deadline = System.nanoTime() + keepAliveNanos;
      boolean listed = true;
      while (true) {
        Job job = next;
        if (job != null) {
          return job;
        }
        long left = deadline - System.nanoTime();
        if (listed && left <= 0) {
          lock.lock();
          try {
            listed = idle.remove(this);
          } finally {
            lock.unlock();
          }
          if (listed) {
            return EXIT; // Nobody took it in time.
          }
          // Taken off the list by execute or close: its job is on the way.
        }
        if (listed) {
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
      }
    }
  }
}
