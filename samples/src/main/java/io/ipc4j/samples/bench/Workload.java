package io.ipc4j.samples.bench;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A kind of measurement: where it runs, what its server does, what its client measures and which
 * figures it reports. The client side runs in a client process ({@link #run}); the parent's side
 * ({@link #turns}) by default hands both contestants' clients their orders and interleaves their
 * measurements.
 */
abstract class Workload {
  /** Which processes a workload's turns run in. */
  enum Setting {
    /**
     * The round's server and client of each contestant, on different CPUs: servers under {@code
     * taskset -c 1}, clients under {@code taskset -c 0}. Left to the scheduler, the two landed on
     * one CPU in some turns and on two in others, and a ping-pong's p50 was 15 or 55 µs by that
     * alone.
     */
    APART,
    /** A second pair of each contestant, both started under {@code taskset -c 0}. */
    PINNED,
    /** A server process of its own for every turn, placed as {@link #APART}'s. */
    OWN_SERVER
  }

  final String label;
  final Setting setting;
  final Service service;

  /** Bytes per message, for the JSON records. */
  final int messageSize;

  final List<String> transports;

  /** The figures of the table, each with a ratio. A client may report more, for the JSON only. */
  final List<Figure> figures;

  Workload(
      String label,
      Setting setting,
      Service service,
      int messageSize,
      List<String> transports,
      List<Figure> figures) {
    this.label = label;
    this.setting = setting;
    this.service = service;
    this.messageSize = messageSize;
    this.transports = List.copyOf(transports);
    this.figures = List.copyOf(figures);
  }

  /** The client's side: measures on {@code endpoint} and returns the figures by name. */
  abstract Map<String, Double> run(Client client, String endpoint) throws IOException;

  /**
   * Which contestant measures each slice, by index: {@code 0 1 1 0 0 1 1 0...} for two, every
   * contestant {@code slices} times, each pass the reverse of the one before.
   */
  static int[] sliceOrder(int contestants, int slices) {
    int[] order = new int[contestants * slices];
    for (int slice = 0, k = 0; slice < slices; slice++) {
      for (int i = 0; i < contestants; i++) {
        order[k++] = slice % 2 == 0 ? i : contestants - 1 - i;
      }
    }
    return order;
  }

  /**
   * How many slices each contestant measures in: the scale's {@link Scale#slices}; a rate's {@link
   * Scale#rateSlices}.
   */
  int slices(Scale scale) {
    return scale.slices;
  }

  /** A line for the notes under the table, saying what its label does not; null if none. */
  String note() {
    return null;
  }

  /**
   * The parent's side of both contestants' turns on one transport, in this round's order; returns
   * each contestant's figures, with the seconds the turns took ({@code turn_s}).
   *
   * <p>By default the contestants warm up one after the other, then measure in {@link #slices}
   * slices each, interleaved A B B A A B B A..., each client waiting while the other measures
   * ({@link Client#slices}). Measured one after the other, the two halves of a comparison ran a
   * second or more apart on a machine whose speed drifts from moment to moment; interleaved, a
   * drift slows both alike and the ABBA order cancels a steady one.
   */
  Map<Contestant, Map<String, Double>> turns(List<Turn> turns)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    for (Turn turn : turns) {
      turn.send(turn.server());
      turn.expect(Client.READY);
    }
    for (int i : sliceOrder(turns.size(), slices(turns.get(0).scale))) {
      Turn turn = turns.get(i);
      turn.say(Client.GO);
      turn.expect(Client.READY);
    }
    Map<Contestant, Map<String, Double>> figures = new EnumMap<>(Contestant.class);
    for (Turn turn : turns) {
      turn.say(Client.END);
      figures.put(turn.contestant, turn.result());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    figures.values().forEach(f -> f.put("turn_s", seconds));
    return figures;
  }

  @Override
  public String toString() {
    return label;
  }
}
