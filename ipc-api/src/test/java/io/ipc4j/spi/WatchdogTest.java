package io.ipc4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog: its pace (it sleeps between looks, never spins), and what it closes. */
@Timeout(10)
class WatchdogTest {
  @Test
  void aTimeoutAsksForAnEighthOfItselfWithinFiveAndHundredMilliseconds() {
    assertEquals(ms(50), Watchdog.tickFor(ms(400)));
    assertEquals(ms(5), Watchdog.tickFor(ms(40)), "an eighth exactly at the floor");
    assertEquals(ms(5), Watchdog.tickFor(ms(1)), "never below the floor: it must sleep");
    assertEquals(ms(5), Watchdog.tickFor(0));
    assertEquals(ms(100), Watchdog.tickFor(ms(800)), "an eighth exactly at the ceiling");
    assertEquals(ms(100), Watchdog.tickFor(Long.MAX_VALUE), "never above the ceiling");
    assertEquals(ms(12) + TimeUnit.MICROSECONDS.toNanos(500), Watchdog.tickFor(ms(100)));
  }

  /**
   * The watchdog is shared and its tick only shrinks: registering takes the smaller of the tick it
   * had and the one the new timeout asks for (other tests may have shrunk it already).
   */
  @Test
  void registeringKeepsTheShorterOfItsTickAndTheOneTheTimeoutAsksFor() {
    long before = Watchdog.get().tickNanos();
    assertTrue(before >= ms(5), "the watchdog must sleep between looks, tick " + before + " ns");
    Watchdog.Guarded idle = now -> {};
    Watchdog.get().register(idle, ms(400));
    try {
      assertEquals(Math.min(before, ms(50)), Watchdog.get().tickNanos());
    } finally {
      Watchdog.get().unregister(idle);
    }
  }

  /**
   * A shorter timeout registered while the watchdog sleeps its longer tick wakes it: asleep for an
   * hour here, it looks at the new deadline on the new tick, not an hour late.
   */
  @Test
  void aShorterTimeoutWakesTheWatchdogFromItsLongerTick() throws Exception {
    Watchdog watchdog = new Watchdog(TimeUnit.HOURS.toNanos(1));
    Watchdog.Guarded idle = now -> {};
    watchdog.register(idle, TimeUnit.HOURS.toNanos(8));
    while (watchdog.thread().getState() != Thread.State.TIMED_WAITING) {
      Thread.yield(); // Until it sleeps its hour-long tick.
    }
    CountDownLatch due = new CountDownLatch(1);
    long deadline = Watchdog.deadline(ms(40));
    Watchdog.Guarded soon =
        now -> {
          if (now - deadline >= 0) {
            due.countDown();
          }
        };
    watchdog.register(soon, ms(40));
    try {
      assertTrue(due.await(5, TimeUnit.SECONDS), "looked at within 5 s, not an hour later");
      assertEquals(ms(5), watchdog.tickNanos());
    } finally {
      watchdog.unregister(soon);
      watchdog.unregister(idle);
    }
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aDeadlineThatPassesClosesItsTarget() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    Watchdog.Deadline deadline =
        Watchdog.get().closeAfter(closed::countDown, TimeUnit.MILLISECONDS.toNanos(50));
    try {
      assertTrue(closed.await(5, TimeUnit.SECONDS), "the target was closed");
      assertTrue(deadline.expired());
      assertFalse(deadline.disarm(), "too late to disarm");
    } finally {
      deadline.close();
    }
  }

  @Test
  void aDeadlineClosedInTimeLeavesItsTargetAlone() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    Watchdog.Deadline deadline =
        Watchdog.get().closeAfter(closes::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(50));
    assertTrue(deadline.disarm(), "disarmed in time");

    // The first witness is due after the deadline, so the watchdog's look that closes it is at
    // or after the one that would have closed the target; the second is due in a later look, so
    // once it is closed that look has finished.
    awaitExpiry();
    awaitExpiry();

    assertEquals(0, closes.get());
    assertFalse(deadline.expired());
  }

  /** A target whose close throws is dropped; the watchdog goes on closing the others. */
  @Test
  void aFailingTargetDoesNotStopTheWatchdog() throws Exception {
    Watchdog.Deadline faulty =
        Watchdog.get()
            .closeAfter(
                () -> {
                  throw new IllegalStateException("broken target");
                },
                TimeUnit.MILLISECONDS.toNanos(20));
    try {
      awaitExpiry();
      awaitExpiry();
      assertTrue(faulty.expired());
    } finally {
      faulty.close();
    }
  }

  @Test
  void aDeadlineNeedsATargetAndATime() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Watchdog.get().closeAfter(() -> {}, 0));
    assertEquals("deadline of 0 ns (expected: > 0; for no limit, arm no deadline)", e.getMessage());
    assertThrows(NullPointerException.class, () -> Watchdog.get().closeAfter(null, 1_000_000));
  }

  /** Waits until the watchdog closes a fresh 50 ms deadline. */
  private static void awaitExpiry() throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Watchdog.Deadline witness =
        Watchdog.get().closeAfter(closed::countDown, TimeUnit.MILLISECONDS.toNanos(50));
    try {
      assertTrue(closed.await(5, TimeUnit.SECONDS), "the watchdog closes what is due");
    } finally {
      witness.close();
    }
  }
}
