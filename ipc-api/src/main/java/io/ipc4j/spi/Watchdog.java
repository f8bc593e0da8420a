package io.ipc4j.spi;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watchdog thread for every deadline in the JVM: ipc4j's read and write timeouts, and the
 * connect timeouts of providers. A guarded call arms a deadline (a volatile write) before it blocks
 * and disarms it after; the watchdog wakes every tick and expires what is past its deadline by
 * closing it, which unblocks the blocked call. This keeps the blocking fast path free of selectors,
 * timers and non-blocking mode: a connect bounded by {@link #closeAfter} is one blocking {@code
 * connect}, where a non-blocking connect and a {@code poll} take four to seven system calls more.
 */
public final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  // The ticks come before INSTANCE: its constructor reads MAX_TICK, which would still be 0 if it
  // were declared after (it is not a compile-time constant). A tick of 0 made the watchdog spin on
  // a whole core for as long as any connection had a timeout.
  private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(100);

  private static final Watchdog INSTANCE = new Watchdog();

  /** Something with deadlines. */
  public interface Guarded {
    /** Expires it if one of its armed deadlines is at or before {@code now}. */
    void expireIfDue(long now);
  }

  private final Set<Guarded> guarded = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition registered = lock.newCondition();
  private final long maxTick;
  private volatile long tick;
  private Thread thread;

  private Watchdog() {
    this(MAX_TICK);
  }

  /** A watchdog of its own, for tests: one whose longest tick is {@code maxTick}. */
  Watchdog(long maxTick) {
    this.maxTick = maxTick;
    this.tick = maxTick;
  }

  /** The JVM's watchdog. */
  public static Watchdog get() {
    return INSTANCE;
  }

  /**
   * Watches {@code g}, whose shortest timeout is {@code timeoutNanos}, until unregistered. The
   * watchdog looks every eighth of the shortest timeout it has watched, between 5 and 100 ms: a
   * deadline is acted on at most that late.
   */
  public void register(Guarded g, long timeoutNanos) {
    long wanted = tickFor(timeoutNanos, maxTick);
    lock.lock();
    try {
      guarded.add(g);
      if (thread == null) {
        // Not through io.ipc4j's IpcThreads, which that package keeps to itself; a daemon as well.
        thread = new Thread(this::run, "ipc4j-timeouts");
        thread.setDaemon(true);
        thread.start();
      }
      if (wanted < tick) {
        tick = wanted;
        // Asleep for the longer tick, it would look at this deadline up to that tick late.
        LockSupport.unpark(thread);
      }
      registered.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Stops watching {@code g}. */
  public void unregister(Guarded g) {
    guarded.remove(g);
  }

  /** The tick a timeout of {@code timeoutNanos} asks for: an eighth of it, within the bounds. */
  static long tickFor(long timeoutNanos) {
    return tickFor(timeoutNanos, MAX_TICK);
  }

  private static long tickFor(long timeoutNanos, long maxTick) {
    return Math.max(MIN_TICK, Math.min(maxTick, timeoutNanos / 8));
  }

  /** The watchdog's thread, once something has been registered; for tests. */
  Thread thread() {
    lock.lock();
    try {
      return thread;
    } finally {
      lock.unlock();
    }
  }

  /** How long the watchdog sleeps between looks, in nanoseconds. */
  long tickNanos() {
    return tick;
  }

  /** A deadline {@code timeoutNanos} from now, never 0 (0 means "not armed"). */
  public static long deadline(long timeoutNanos) {
    long d = System.nanoTime() + timeoutNanos;
    return d == 0 ? 1 : d;
  }

  /**
   * Closes {@code target} unless the returned deadline is closed within {@code timeoutNanos}: for a
   * blocking call that only closing its socket can end, such as a connect.
   *
   * <pre>{@code
   * Watchdog.Deadline deadline = Watchdog.get().closeAfter(channel, timeoutNanos);
   * try {
   *   channel.connect(address);
   *   if (!deadline.disarm()) ... // expired as it connected: the channel is closed
   * } catch (AsynchronousCloseException e) {
   *   if (deadline.expired()) ... // the timeout, not a close by someone else
   * } finally {
   *   deadline.close();
   * }
   * }</pre>
   */
  public Deadline closeAfter(Closeable target, long timeoutNanos) {
    Objects.requireNonNull(target, "target");
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "deadline of " + timeoutNanos + " ns (expected: > 0; for no limit, arm no deadline)");
    }
    Deadline d = new Deadline(target, deadline(timeoutNanos));
    register(d, timeoutNanos);
    return d;
  }

  /** A deadline from {@link #closeAfter}; closing it disarms it. */
  public static final class Deadline implements Guarded, AutoCloseable {
    private static final int ARMED = 0;
    private static final int EXPIRED = 1;
    private static final int DISARMED = 2;

    private final Closeable target;
    private final long at;
    private final AtomicInteger state = new AtomicInteger(ARMED);

    private Deadline(Closeable target, long at) {
      this.target = target;
      this.at = at;
    }

    /** Whether the watchdog closed the target, or is closing it, because the deadline passed. */
    public boolean expired() {
      return state.get() == EXPIRED;
    }

    /**
     * Disarms the deadline, unless it has expired: then the target is closed or being closed.
     * Either way, once this returns, the watchdog will not touch the target.
     *
     * @return true if disarmed in time; false if the deadline had expired
     */
    public boolean disarm() {
      boolean disarmed = state.compareAndSet(ARMED, DISARMED);
      INSTANCE.unregister(this);
      return disarmed || state.get() == DISARMED;
    }

    @Override
    public void expireIfDue(long now) {
      if (now - at >= 0 && state.compareAndSet(ARMED, EXPIRED)) {
        INSTANCE.unregister(this);
        try {
          target.close();
        } catch (IOException ignored) {
          // The blocked call fails either way; a failure to close adds nothing to it.
        }
      }
    }

    /** As {@link #disarm()}, for try-with-resources. */
    @Override
    public void close() {
      disarm();
    }
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
      LockSupport.parkNanos(this, tick);
      long now = System.nanoTime();
      for (Guarded g : guarded) {
        try {
          g.expireIfDue(now);
        } catch (RuntimeException | Error e) {
          // One faulty target must not end every deadline in the JVM: forget it, and go on.
          guarded.remove(g);
          log.warn("a deadline of {} failed and is no longer watched", g, e);
        }
      }
    }
  }
}
