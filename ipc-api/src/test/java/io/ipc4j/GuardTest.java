package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class GuardTest {
  /** A timeout error quotes the timeout as it was set; under a millisecond it was "0 s". */
  @Test
  void formatsATimeoutInItsLargestExactUnit() {
    assertEquals("30 s", Guard.format(Duration.ofSeconds(30)));
    assertEquals("1500 ms", Guard.format(Duration.ofMillis(1500)));
    assertEquals("250 µs", Guard.format(Duration.ofNanos(250_000)));
    assertEquals("1 ns", Guard.format(Duration.ofNanos(1)));
    assertEquals("1000001 ns", Guard.format(Duration.ofNanos(1_000_001)));
  }
}
