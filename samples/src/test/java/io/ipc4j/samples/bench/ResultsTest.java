package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ResultsTest {
  /** The median of the per-round ratios, each round's contestants paired. */
  @Test
  void takesTheMedianOfThePerRoundRatios() {
    Workload w = new DatagramRate();
    Results r = new Results();
    double[][] rounds = {{90, 100}, {300, 200}, {100, 100}};
    for (double[] round : rounds) {
      r.add("udp", w, Contestant.IPC4J, Map.of("received_per_s", round[0]));
      r.add("udp", w, Contestant.RAW, Map.of("received_per_s", round[1]));
    }
    assertEquals(1.0, r.ratio("udp", w, "received_per_s"));
  }

  /**
   * No loss on either side is a tie; no datagrams received on either side is a round that measured
   * nothing, which must not pass for a tie (it met the target of 0.95 as 1.000).
   */
  @Test
  void twoZeroesTieOnlyWhereLessIsBetter() {
    Workload w = new DatagramRate();
    Results r = new Results();
    r.add("udp", w, Contestant.IPC4J, Map.of("received_per_s", 0.0, "loss_pct", 0.0));
    r.add("udp", w, Contestant.RAW, Map.of("received_per_s", 0.0, "loss_pct", 0.0));
    assertEquals(1.0, r.ratio("udp", w, "loss_pct"));
    assertTrue(Double.isNaN(r.ratio("udp", w, "received_per_s")));
  }
}
