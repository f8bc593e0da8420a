package io.ipc4j.samples.bench;

import java.util.Arrays;

/**
 * The rate of each slice of a measurement ({@link Client#slices}), and their median. A slice is a
 * tenth of a second or less, and a stall of the shared machine in one of them (a preempted CPU, a
 * burst of another tenant's work) took several percent off a rate summed over all slices, for
 * whichever contestant it hit; the median of the slices' rates leaves such a slice out.
 */
final class SliceRates {
  private double[] rates = new double[8];
  private int count;

  /** Adds a slice that did {@code n} things in {@code nanos}. */
  void add(long n, long nanos) {
    if (count == rates.length) {
      rates = Arrays.copyOf(rates, 2 * count);
    }
    rates[count++] = nanos > 0 ? n / (nanos / 1e9) : 0;
  }

  /** The median of the slices' rates per second; 0 if there were none. */
  double median() {
    if (count == 0) {
      return 0;
    }
    double[] sorted = Arrays.copyOf(rates, count);
    Arrays.sort(sorted);
    return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  }
}
