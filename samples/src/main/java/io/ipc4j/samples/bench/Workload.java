package io.ipc4j.samples.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A kind of measurement: where it runs, what its server does, what its client measures and which
 * figures it reports. The client side runs in a client process ({@link #run}); the parent's side of
 * one turn ({@link #turn}) by default hands the client one order and reads its result.
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

  /** A line for the notes under the table, saying what its label does not; null if none. */
  String note() {
    return null;
  }

  /** The parent's side of one turn: by default, one order to the contestant's client. */
  Map<String, Double> turn(Turn turn) throws IOException, InterruptedException {
    return turn.order(turn.server());
  }

  @Override
  public String toString() {
    return label;
  }
}
