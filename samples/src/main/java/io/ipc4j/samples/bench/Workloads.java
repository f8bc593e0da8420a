package io.ipc4j.samples.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;

/** Every workload the bench runs, in the order it runs them, and what they share. */
final class Workloads {
  /** The largest message any workload sends. */
  static final int MAX_MESSAGE = 64 * 1024;

  /** Every workload, in the order they run. */
  static final List<Workload> ALL =
      List.of(
          new PingPong(false),
          new PingPong(true),
          PingPong.perPeer(),
          new Streaming(64, 1),
          new Streaming(64, Streaming.PER_CALL),
          new Streaming(1024, 1),
          new Streaming(1024, Streaming.PER_CALL),
          new Streaming(64 * 1024, 1),
          new DatagramRate(),
          new ConnectRate(),
          new IdleScale("unix"),
          new IdleScale("tcp"));

  /** Workloads that run only when {@code --workloads} names them. */
  static final List<String> ON_REQUEST = List.of("pingpong-64-peers", "idle-tcp");

  /**
   * What runs unless {@code --workloads} says otherwise: all but the per-peer datagram server and
   * the idle scale over tcp, which measure no target and would take the default run past five
   * minutes on a 2-core machine.
   */
  static final List<Workload> DEFAULT =
      ALL.stream().filter(w -> !ON_REQUEST.contains(w.label)).collect(Collectors.toList());

  private Workloads() {}

  static Workload of(String label) {
    for (Workload w : ALL) {
      if (w.label.equals(label)) {
        return w;
      }
    }
    throw new IllegalArgumentException("no workload " + label + " (expected: " + labels() + ")");
  }

  /** The labels of all workloads, comma-separated. */
  static String labels() {
    return ALL.stream().map(w -> w.label).collect(Collectors.joining(", "));
  }

  /** A direct buffer of {@code size} bytes of a recognisable pattern, flipped for sending. */
  static ByteBuffer filled(int size) {
    ByteBuffer b = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i++) {
      b.put((byte) i);
    }
    return b.flip();
  }
}
