package io.ipc4j;

import io.ipc4j.spi.Watchdog;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The read and write deadlines of one connection or endpoint. Armed before a blocking call and
 * disarmed after (volatile writes only); when one passes, the {@link Watchdog} closes the target,
 * which ends the blocked call, and {@link #translate} reports that call's failure as the timeout it
 * was, once.
 */
final class Guard implements Watchdog.Guarded {
  static final int READ = 1;
  static final int WRITE = 2;

  private final Closeable target;
  private final String closed;
  private final Supplier<?> name;
  private final long readTimeout;
  private final long writeTimeout;
  private final AtomicInteger expired = new AtomicInteger();
  private volatile long readDeadline;
  private volatile long writeDeadline;

  /** The guard of everything without timeouts: it never expires, so one serves all. */
  private static final Guard UNGUARDED = new Guard(null, null, null, 0, 0);

  private Guard(
      Closeable target, String closed, Supplier<?> name, long readTimeout, long writeTimeout) {
    this.target = target;
    this.closed = closed;
    this.name = name;
    this.readTimeout = readTimeout;
    this.writeTimeout = writeTimeout;
  }

  /**
   * The guard of {@code target}: watched by the {@link Watchdog} if {@code options} set a read or
   * write timeout, else the one shared guard that does nothing (an idle server's connections need
   * no guard objects of their own).
   *
   * @param target what to close when a deadline passes
   * @param closed what timeout messages say was closed ("connection", "endpoint")
   * @param name what timeout messages name (the peer's endpoint, or the local one), asked only when
   *     one is made: a connection's endpoints are formatted on demand
   */
  static Guard of(Closeable target, String closed, Supplier<?> name, IpcOptions options) {
    long readTimeout = options.get(StandardIpcOptions.READ_TIMEOUT).toNanos();
    long writeTimeout = options.get(StandardIpcOptions.WRITE_TIMEOUT).toNanos();
    long shortest = Math.min(nonZero(readTimeout), nonZero(writeTimeout));
    if (shortest == Long.MAX_VALUE) {
      return UNGUARDED;
    }
    Guard guard = new Guard(target, closed, name, readTimeout, writeTimeout);
    Watchdog.get().register(guard, shortest);
    return guard;
  }

  /** Whether reads have a deadline: one at a time, since there is one slot for it. */
  boolean guardsReads() {
    return readTimeout != 0;
  }

  /** Whether writes have a deadline: one at a time, since there is one slot for it. */
  boolean guardsWrites() {
    return writeTimeout != 0;
  }

  void armRead() {
    if (readTimeout != 0) {
      readDeadline = Watchdog.deadline(readTimeout);
    }
  }

  void disarmRead() {
    if (readTimeout != 0) {
      readDeadline = 0;
    }
  }

  void armWrite() {
    if (writeTimeout != 0) {
      writeDeadline = Watchdog.deadline(writeTimeout);
    }
  }

  void disarmWrite() {
    if (writeTimeout != 0) {
      writeDeadline = 0;
    }
  }

  /** Stops watching; called when the target closes. */
  void release() {
    if (this != UNGUARDED) {
      Watchdog.get().unregister(this);
    }
  }

  @Override
  public void expireIfDue(long now) {
    long r = readDeadline;
    long w = writeDeadline;
    int which = r != 0 && now - r >= 0 ? READ : w != 0 && now - w >= 0 ? WRITE : 0;
    if (which != 0 && expired.compareAndSet(0, which)) {
      closeTarget();
    }
  }

  private void closeTarget() {
    try {
      target.close();
    } catch (IOException ignored) {
      // The blocked call reports the timeout; a failure to close adds nothing to it.
    }
  }

  /**
   * Turns the failure of a call that timed out into the timeout it was. The timeout is reported
   * once, to that call ({@code op} is {@link #READ} or {@link #WRITE}, or 0 for calls that cannot
   * time out); later calls see the connection closed. A call times out when the watchdog closes the
   * target under it ({@link ClosedChannelException}), or when the transport enforces the timeout
   * itself ({@link SocketTimeoutException}: a {@code unixgram} send, which no close wakes), and
   * then the target is closed here, as the watchdog would have.
   */
  IOException translate(IOException e, int op) {
    boolean read = op == READ;
    boolean timedOut =
        e instanceof SocketTimeoutException && op != 0 && (read ? readTimeout : writeTimeout) != 0;
    if (op == 0 || !(e instanceof ClosedChannelException || timedOut)) {
      return e;
    }
    if (!expired.compareAndSet(op, -op)) {
      if (!timedOut || !expired.compareAndSet(0, -op)) {
        return e;
      }
      closeTarget();
    }
    SocketTimeoutException timeout =
        new SocketTimeoutException(
            (read ? "read" : "write")
                + " timed out after "
                + format(Duration.ofNanos(read ? readTimeout : writeTimeout))
                + " ("
                + (read ? StandardIpcOptions.READ_TIMEOUT : StandardIpcOptions.WRITE_TIMEOUT)
                + "), "
                + closed
                + " closed: "
                + name.get());
    timeout.initCause(e);
    return timeout;
  }

  /** A timeout as it was given: whole seconds, else milliseconds, else microseconds or nanos. */
  static String format(Duration d) {
    long nanos = d.toNanos(); // timeouts are at most Long.MAX_VALUE ns (see StandardIpcOptions)
    if (nanos % 1_000_000 != 0) {
      return nanos % 1000 == 0 ? nanos / 1000 + " µs" : nanos + " ns";
    }
    long millis = nanos / 1_000_000;
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static long nonZero(long nanos) {
    return nanos == 0 ? Long.MAX_VALUE : nanos;
  }
}
