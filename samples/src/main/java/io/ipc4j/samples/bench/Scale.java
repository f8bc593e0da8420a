package io.ipc4j.samples.bench;

/**
 * How much each workload does. The full scale keeps the default run under five minutes on a loaded
 * 2-core machine; the quick one under thirty seconds (a smoke test, not a measurement).
 */
final class Scale {
  static final Scale FULL = new Scale("full", 20_000, 100_000, 1_000_000);
  static final Scale QUICK = new Scale("quick", 1_000, 3_000, 20_000);

  final String name;
  final int pingPongWarmup;
  final int pingPongCount;

  /** Messages of 64 B per streaming batch; larger messages get fewer, by total bytes. */
  private final int stream64Count;

  private Scale(String name, int pingPongWarmup, int pingPongCount, int stream64Count) {
    this.name = name;
    this.pingPongWarmup = pingPongWarmup;
    this.pingPongCount = pingPongCount;
    this.stream64Count = stream64Count;
  }

  /** 64 B: all of them; 1 KiB: half as many; 64 KiB: a fortieth (~1.6 GB at full scale). */
  int streamCount(int size) {
    if (size <= 64) {
      return stream64Count;
    }
    return size <= 1024 ? stream64Count / 2 : stream64Count / 40;
  }

  static Scale of(String name) {
    return QUICK.name.equals(name) ? QUICK : FULL;
  }
}
