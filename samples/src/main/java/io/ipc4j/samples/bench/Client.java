package io.ipc4j.samples.bench;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * What a workload's client side may use: its contestant, the scale, the compilers its warm-ups wait
 * for, and the parent.
 */
final class Client {
  final Contestant contestant;
  final Scale scale;
  final Compilers compilers;
  private final BufferedReader parent;

  Client(Contestant contestant, Scale scale, Compilers compilers, BufferedReader parent) {
    this.contestant = contestant;
    this.scale = scale;
    this.compilers = compilers;
    this.parent = parent;
  }

  /** A connection to {@code endpoint}, the contestant's way. */
  Link connect(String endpoint) throws IOException {
    return contestant.connect(endpoint);
  }

  /**
   * Measures in the slices the parent interleaves with the other contestant's ({@link
   * Workload#turns}): prints {@code ready}, and runs {@code slice} each time the parent answers
   * {@code go}, until it answers {@code end}.
   */
  void slices(Warmup.Step slice) throws IOException {
    while (true) {
      System.out.println(READY);
      System.out.flush();
      String line = parent.readLine();
      if (END.equals(line)) {
        return;
      }
      if (!GO.equals(line)) {
        throw new IOException("expected go or end from the bench, got " + line);
      }
      slice.run();
    }
  }

  /** What a client prints when it waits for a slice, and what the parent answers. */
  static final String READY = "ready";

  static final String GO = "go";
  static final String END = "end";

  /**
   * Prints {@code status} and waits for the parent to say {@code go}: lets the parent measure the
   * server in the middle of a workload.
   */
  void pause(String status) throws IOException {
    System.out.println(status);
    System.out.flush();
    String line = parent.readLine();
    if (!GO.equals(line)) {
      throw new IOException("expected go from the bench after " + status + ", got " + line);
    }
  }
}
