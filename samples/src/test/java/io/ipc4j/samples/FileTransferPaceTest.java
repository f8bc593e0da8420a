package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When {@code --limit-rate} lets the next chunk go, however many bytes went before it. */
@Timeout(10)
class FileTransferPaceTest {
  /** The most bytes whose count of nanoseconds at one byte a nanosecond fits a long. */
  private static final long LAST_SAFE = Long.MAX_VALUE / 1_000_000_000L;

  @Test
  void dueTimeIsExactBelowTheBytesWhoseNanosecondsOverflowALong() {
    assertEquals(9_223_372_036L, LAST_SAFE);
    assertEquals(0, FileTransfer.dueNanos(0, 65536));
    assertEquals(1_000_000_000L, FileTransfer.dueNanos(65536, 65536));
    assertEquals(140_737_488_342_285L, FileTransfer.dueNanos(LAST_SAFE, 65536));
  }

  @Test
  void dueTimeKeepsGrowingBeyondThem() {
    assertEquals(140_737_488_357_543L, FileTransfer.dueNanos(LAST_SAFE + 1, 65536));
    // 10 GB at 1 GB a second: 10 s.
    assertEquals(10_000_000_000L, FileTransfer.dueNanos(10_000_000_000L, 1_000_000_000L));
    // 1 TiB at 256 KiB a second: 4194304 s.
    assertEquals(4_194_304_000_000_000L, FileTransfer.dueNanos(1L << 40, 256 << 10));
  }

  @Test
  void dueTimeOfNearlyTwoToThe63BytesAtOneAByteSecondIsAsLateAsALongGoes() {
    assertEquals(Long.MAX_VALUE, FileTransfer.dueNanos(Long.MAX_VALUE - 1, 1));
  }
}
