package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog's pace: it sleeps between looks, never spins. */
@Timeout(10)
class TimeoutsTest {
  @Test
  void watchdogSleepsAnEighthOfTheShortestTimeoutWithinItsBounds() {
    long before = Timeouts.INSTANCE.tickNanos();
    assertTrue(
        before >= TimeUnit.MILLISECONDS.toNanos(5),
        "the watchdog must sleep between looks, tick " + before + " ns");
    Timeouts.Guarded idle = now -> {};
    Timeouts.INSTANCE.register(idle, TimeUnit.MILLISECONDS.toNanos(400));
    try {
      long tick = Timeouts.INSTANCE.tickNanos();
      assertEquals(Math.min(before, TimeUnit.MILLISECONDS.toNanos(50)), tick);
    } finally {
      Timeouts.INSTANCE.unregister(idle);
    }
  }
}
