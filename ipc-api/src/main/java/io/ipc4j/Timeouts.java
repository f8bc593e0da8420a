package io.ipc4j;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One watchdog thread for every read and write timeout in the JVM. A guarded connection arms a
 * deadline (a volatile write) before it blocks and disarms it after; the watchdog wakes every tick
 * and expires the connections whose deadline has passed by closing them, which unblocks the blocked
 * call. This keeps the blocking fast path free of selectors and timers.
 */
final class Timeouts {
  // The ticks come before INSTANCE: its constructor reads MAX_TICK, which would still be 0 if it
  // were declared after (it is not a compile-time constant). A tick of 0 made the watchdog spin on
  // a whole core for as long as any connection had a timeout.
  private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(100);

  static final Timeouts INSTANCE = new Timeouts();

  /** A connection with deadlines. */
  interface Guarded {
    /** Expires the connection if one of its armed deadlines is at or before {@code now}. */
    void expireIfDue(long now);
  }

  private final Set<Guarded> guarded = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition registered = lock.newCondition();
  private volatile long tick = MAX_TICK;
  private Thread thread;

  private Timeouts() {}

  /** Watches {@code g}, whose shortest timeout is {@code timeoutNanos}, until unregistered. */
  void register(Guarded g, long timeoutNanos) {
    long wanted = Math.max(MIN_TICK, Math.min(MAX_TICK, timeoutNanos / 8));
    lock.lock();
    try {
      if (wanted < tick) {
        tick = wanted;
      }
      guarded.add(g);
      if (thread == null) {
        thread = IpcThreads.platform("ipc4j-timeouts", this::run, true);
        thread.start();
      }
      registered.signal();
    } finally {
      lock.unlock();
    }
  }

  /** How long the watchdog sleeps between looks, in nanoseconds. */
  long tickNanos() {
    return tick;
  }

  void unregister(Guarded g) {
    guarded.remove(g);
  }

  /** A deadline {@code timeoutNanos} from now, never 0 (0 means "not armed"). */
  static long deadline(long timeoutNanos) {
    long d = System.nanoTime() + timeoutNanos;
    return d == 0 ? 1 : d;
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        while (guarded.isEmpty()) {
          registered.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
      java.util.concurrent.locks.LockSupport.parkNanos(this, tick);
      long now = System.nanoTime();
      for (Guarded g : guarded) {
        g.expireIfDue(now);
      }
    }
  }
}
