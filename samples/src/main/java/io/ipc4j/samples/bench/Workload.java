package io.ipc4j.samples.bench;

import java.util.List;

/** What a client measures, on one connection of each transport. */
enum Workload {
  PINGPONG_64("pingpong-64", Service.ECHO, 64, List.of("p50_us", "p99_us", "p999_us")),
  STREAM_64("stream-64", Service.SINK, 64, Figures.STREAM),
  STREAM_1K("stream-1024", Service.SINK, 1024, Figures.STREAM),
  STREAM_64K("stream-65536", Service.SINK, 64 * 1024, Figures.STREAM);

  final String label;
  final Service service;
  final int messageSize;

  /** The figures it reports, each named with its unit; latencies are lower-is-better. */
  final List<String> figures;

  Workload(String label, Service service, int messageSize, List<String> figures) {
    this.label = label;
    this.service = service;
    this.messageSize = messageSize;
    this.figures = figures;
  }

  static Workload of(String label) {
    for (Workload w : values()) {
      if (w.label.equals(label)) {
        return w;
      }
    }
    throw new IllegalArgumentException("no workload " + label);
  }

  /** Enum constants cannot refer to the enum's own static fields: they are not set yet. */
  private static final class Figures {
    static final List<String> STREAM = List.of("msgs_per_s", "mb_per_s");
  }
}
