package io.ipc4j.samples.bench;

import java.io.IOException;
import java.util.Arrays;

/**
 * The rate of each slice of a measurement ({@link Client#slices}), and their median. A slice is a
 * tenth of a second or less, and a stall of the shared machine in one of them (a preempted CPU, a
 * burst of another tenant's work) took several percent off a rate summed over all slices, for
 * whichever contestant it hit; the median of the slices' rates leaves such a slice out.
 */
final class SliceRates {
  /** Some work of a slice: a batch of messages, a connection. */
  interface Step {
    /** Does the work; returns how many things it did. */
    long run() throws IOException;
  }

  private double[] rates = new double[8];
  private int count;
  private long things;
  private long nanos;

  /** Runs {@code step} again and again until {@code sliceNanos} have passed: one slice. */
  void measure(long sliceNanos, Step step) throws IOException {
    long start = System.nanoTime();
    long n = 0;
    long elapsed;
    do {
      n += step.run();
      elapsed = System.nanoTime() - start;
    } while (elapsed < sliceNanos);
    add(n, elapsed);
  }

  /** Adds a slice that did {@code n} things in {@code sliceNanos}. */
  void add(long n, long sliceNanos) {
    if (count == rates.length) {
      rates = Arrays.copyOf(rates, 2 * count);
    }
    rates[count++] = sliceNanos > 0 ? n / (sliceNanos / 1e9) : 0;
    things += n;
    nanos += sliceNanos;
  }

  /** How many things all slices did. */
  long total() {
    return things;
  }

  /** The rate per second over all slices together, which a stalled slice lowers; 0 if none. */
  double overall() {
    return nanos > 0 ? things / (nanos / 1e9) : 0;
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
