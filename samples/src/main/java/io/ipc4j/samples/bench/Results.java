package io.ipc4j.samples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of every round, by transport, workload and contestant. The ratio ipc4j/raw of a
 * figure is the median of the per-round ratios: the two contestants of one round ran back to back
 * under the same load, so pairing them cancels more of a shared machine's drift than a ratio of
 * medians would. Two zeros make a ratio of 1 where less is better (no loss on either side), and
 * none for a rate (a round that measured nothing).
 */
final class Results {
  private final Map<String, List<Map<String, Double>>> rounds = new LinkedHashMap<>();

  void add(
      String transport, Workload workload, Contestant contestant, Map<String, Double> figures) {
    rounds
        .computeIfAbsent(key(transport, workload, contestant), k -> new ArrayList<>())
        .add(figures);
  }

  /** The figures of each round, in the order they ran. */
  List<Map<String, Double>> rounds(String transport, Workload workload, Contestant contestant) {
    return rounds.getOrDefault(key(transport, workload, contestant), List.of());
  }

  double median(String transport, Workload workload, Contestant contestant, String figure) {
    return median(
        rounds(transport, workload, contestant).stream()
            .mapToDouble(f -> f.getOrDefault(figure, Double.NaN))
            .toArray());
  }

  double ratio(String transport, Workload workload, String figure) {
    List<Map<String, Double>> a = rounds(transport, workload, Contestant.IPC4J);
    List<Map<String, Double>> b = rounds(transport, workload, Contestant.RAW);
    int n = Math.min(a.size(), b.size());
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      double x = a.get(i).getOrDefault(figure, Double.NaN);
      double y = b.get(i).getOrDefault(figure, Double.NaN);
      ratios[i] = x == 0 && y == 0 ? zeroes(workload, figure) : x / y;
    }
    return median(ratios);
  }

  /**
   * The ratio of two zeroes: 1 for a figure where less is better (no loss on either side is a tie),
   * but not a number for a rate, where zero on both sides means the round measured nothing: a
   * broken run must not pass as a tie.
   */
  private static double zeroes(Workload workload, String figure) {
    for (Figure f : workload.figures) {
      if (f.name().equals(figure)) {
        return f.lowerIsBetter() ? 1 : Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** Whether any round of any contestant has a figure {@code figure} above zero. */
  boolean anyAboveZero(String transport, Workload workload, String figure) {
    for (Contestant c : Contestant.values()) {
      for (Map<String, Double> f : rounds(transport, workload, c)) {
        if (f.getOrDefault(figure, 0.0) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static String key(String transport, Workload workload, Contestant contestant) {
    return transport + " " + workload.label + " " + contestant.label();
  }
}
