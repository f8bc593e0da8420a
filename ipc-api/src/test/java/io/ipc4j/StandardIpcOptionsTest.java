package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The standard options' checks, as a user meets them. */
class StandardIpcOptionsTest {
  /**
   * "Forever" spelt as ChronoUnit.FOREVER overflowed a count of nanoseconds when the connection
   * used it, after its socket was open; it is refused where it is set, naming the option.
   */
  @Test
  void refusesATimeoutTooLongForNanosecondsNamingTheOption() {
    Duration forever = ChronoUnit.FOREVER.getDuration();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, forever));
    assertTrue(e.getMessage().contains("readTimeout"), e.getMessage());
    assertTrue(e.getMessage().contains("0 means no limit"), e.getMessage());
    Duration longest = Duration.ofNanos(Long.MAX_VALUE);
    assertEquals(
        longest,
        IpcOptions.of(StandardIpcOptions.CONNECT_TIMEOUT, longest)
            .get(StandardIpcOptions.CONNECT_TIMEOUT));
  }
}
