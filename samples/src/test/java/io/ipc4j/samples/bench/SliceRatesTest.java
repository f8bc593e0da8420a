package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SliceRatesTest {
  @Test
  void aStalledSliceDoesNotMoveTheMedian() {
    SliceRates rates = new SliceRates();
    for (int i = 0; i < 7; i++) {
      rates.add(1_000, 10_000_000); // 100,000 a second
    }
    rates.add(100, 10_000_000); // stalled: 10,000 a second
    assertEquals(100_000, rates.median(), 1e-6);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    SliceRates rates = new SliceRates();
    rates.add(4, 1_000_000_000);
    rates.add(1, 1_000_000_000);
    rates.add(3, 1_000_000_000);
    rates.add(2, 1_000_000_000);
    assertEquals(2.5, rates.median(), 1e-9);
  }

  @Test
  void moreSlicesThanFirstRoomAndNoneAtAll() {
    SliceRates rates = new SliceRates();
    assertEquals(0, rates.median());
    for (int i = 1; i <= 21; i++) {
      rates.add(i, 1_000_000_000);
    }
    assertEquals(11, rates.median(), 1e-9);
  }

  @Test
  void measureRunsStepsForTheSliceAndCountsWhatTheyDid() throws Exception {
    SliceRates rates = new SliceRates();
    int[] calls = {0};
    long start = System.nanoTime();
    rates.measure(
        20_000_000,
        () -> {
          calls[0]++;
          return 3;
        });
    long nanos = System.nanoTime() - start;
    assertTrue(nanos >= 20_000_000, "a slice ended after " + nanos + " ns");
    assertEquals(3L * calls[0], rates.total());
    assertEquals(rates.overall(), rates.median(), 1e-6); // one slice
    assertTrue(rates.overall() > 0);
  }
}
