package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void slicesAlternateAbbaSoThatASteadyDriftFallsOnBothContestantsAlike() {
    assertArrayEquals(new int[] {0, 1, 1, 0, 0, 1, 1, 0}, Workload.sliceOrder(2, 4));
    assertArrayEquals(new int[] {0, 1, 1, 0, 0, 1}, Workload.sliceOrder(2, 3));
    assertArrayEquals(new int[] {0, 0}, Workload.sliceOrder(1, 2));
  }

  @Test
  void streamsAndConnectionsMeasureInMoreSlicesThanPingPongsAndDatagrams() {
    Scale full = Scale.FULL;
    for (Workload w : Workloads.ALL) {
      int expected =
          w instanceof Streaming || w instanceof ConnectRate ? full.rateSlices : full.slices;
      assertEquals(expected, w.slices(full), w.label);
    }
    assertEquals(16, full.rateSlices);
    assertEquals(8, full.slices);
  }
}
