package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void slicesAlternateAbbaSoThatASteadyDriftFallsOnBothContestantsAlike() {
    assertArrayEquals(new int[] {0, 1, 1, 0, 0, 1, 1, 0}, Workload.sliceOrder(2, 4));
    assertArrayEquals(new int[] {0, 1, 1, 0, 0, 1}, Workload.sliceOrder(2, 3));
    assertArrayEquals(new int[] {0, 0}, Workload.sliceOrder(1, 2));
  }
}
