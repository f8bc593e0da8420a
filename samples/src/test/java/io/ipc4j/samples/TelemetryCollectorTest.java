package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The collector's accounting, fed readings and asked for its report at chosen times, in-process:
 * what a sensor's datagrams add up to does not depend on the network ({@link TelemetryTest} runs
 * the processes).
 */
@Timeout(10)
class TelemetryCollectorTest {
  private final TelemetryCollector collector = new TelemetryCollector();

  @Test
  void forgetsASensorSilentForLongerThanTenSecondsAndCountsItAfreshWhenItReturns() {
    collector.record("old 1 0 1.0", seconds(0));
    collector.record("new 1 0 1.0", seconds(5));
    assertEquals("new: 0/s, 1 received, 0 lost (0.0%)\n", collector.report(seconds(11)));

    collector.record("old 2 0 1.0", seconds(12));
    assertEquals(
        "new: 0/s, 1 received, 0 lost (0.0%)\nold: 1/s, 1 received, 0 lost (0.0%)\n",
        collector.report(seconds(13)));
  }

  @Test
  void tracksAtMostTheDocumentedNumberOfSensorsAndCountsDatagramsFromMoreAsIgnored() {
    for (int i = 0; i < TelemetryCollector.MAX_SENSORS; i++) {
      collector.record(String.format("s%04d 1 0 1.0", i), seconds(0));
    }
    collector.record("extra 1 0 1.0", seconds(0));
    collector.record("extra 2 0 1.0", seconds(0));
    String report = collector.report(seconds(1));
    assertEquals(TelemetryCollector.MAX_SENSORS + 1, report.lines().count());
    assertEquals("s0000: 1/s, 1 received, 0 lost (0.0%)", report.lines().findFirst().get());
    assertEquals(
        "ignored 2 datagrams from new sensors: already tracking 1000, the most it tracks",
        report.lines().reduce((a, b) -> b).get());
    // Said once: the next report has only what came since.
    collector.record("extra 3 0 1.0", seconds(1));
    assertEquals(
        "ignored 1 datagrams from new sensors: already tracking 1000, the most it tracks",
        collector.report(seconds(2)).lines().reduce((a, b) -> b).get());

    // Those silent for ten seconds are forgotten, which makes room for others.
    collector.record("s0000 2 0 1.0", seconds(5));
    collector.report(seconds(10.5));
    collector.record("extra 1 0 1.0", seconds(11));
    assertEquals(
        "extra: 1/s, 1 received, 0 lost (0.0%)\ns0000: 0/s, 2 received, 0 lost (0.0%)\n",
        collector.report(seconds(12)));
  }

  @Test
  void aRestartWhoseFirstDatagramWasLostIsANewRunWithThatDatagramLost() {
    for (int seq = 1; seq <= 1000; seq++) {
      collector.record("s " + seq + " 0 1.0", seconds(0));
    }
    collector.report(seconds(1));
    // The sensor started again; its seq 1 never came.
    for (int seq = 2; seq <= 600; seq++) {
      collector.record("s " + seq + " 0 1.0", seconds(1.5));
    }
    assertEquals("s: 599/s, 599 received, 1 lost (0.2%)\n", collector.report(seconds(2)));
  }

  @Test
  void aShortRunRestartedWithinTheReorderWindowIsANewRunToo() {
    for (int seq = 1; seq <= 50; seq++) {
      collector.record("s " + seq + " 0 1.0", seconds(0));
    }
    for (int seq = 2; seq <= 30; seq++) {
      collector.record("s " + seq + " 0 1.0", seconds(0));
    }
    assertEquals("s: 79/s, 29 received, 1 lost (3.3%)\n", collector.report(seconds(1)));
  }

  @Test
  void datagramsReorderedWithinTheWindowAreLateNotLostNorARestart() {
    for (int seq : new int[] {2, 1, 3, 6, 5, 4, 7, 9}) {
      collector.record("s " + seq + " 0 1.0", seconds(0));
    }
    assertEquals("s: 8/s, 8 received, 1 lost (11.1%)\n", collector.report(seconds(1)));
    collector.record("s 8 0 1.0", seconds(1));
    assertEquals("s: 1/s, 9 received, 0 lost (0.0%)\n", collector.report(seconds(2)));
  }

  private static long seconds(double s) {
    return (long) (s * TimeUnit.SECONDS.toNanos(1));
  }
}
