package io.ipc4j.samples.bench;

/**
 * One number a workload reports, named with its unit ({@code p50_us}, {@code msgs_per_s}), and
 * which way is better: the table and the chart say so next to the ratio ipc4j/raw.
 */
record Figure(String name, boolean lowerIsBetter) {
  static Figure lower(String name) {
    return new Figure(name, true);
  }

  static Figure higher(String name) {
    return new Figure(name, false);
  }
}
