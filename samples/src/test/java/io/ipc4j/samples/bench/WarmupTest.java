package io.ipc4j.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WarmupTest {
  private static final Compilers SELF = Compilers.of(0);

  private long steps;

  @Test
  void withoutWaitingRunsExactlyTheMinimumSteps() throws Exception {
    Map<String, Double> figures = report(Warmup.run(Scale.QUICK, SELF, 5, 0, () -> steps++));

    assertEquals(5, steps);
    assertEquals(1.0, figures.get("warmup_quiet"));
  }

  @Test
  void runsForAtLeastTheMinimumTime() throws Exception {
    Map<String, Double> figures =
        report(Warmup.run(Scale.QUICK, SELF, 1, 20_000_000, () -> steps++));

    assertTrue(figures.get("warmup_s") >= 0.02, figures.toString());
  }

  @Test
  void stopsAtTheMaximumWhenTheCompilersCannotBeQuietLongEnough() throws Exception {
    // Quiet for 10 minutes within a warm-up of at most 100 ms: never.
    Scale scale = Scale.QUICK.withWarmupWait(600_000, 100);

    Map<String, Double> figures = report(Warmup.run(scale, SELF, 1, 0, () -> steps++));

    double seconds = figures.get("warmup_s");
    assertTrue(seconds >= 0.1 && seconds < 30, "warm-up of " + seconds + " s");
    assertEquals(0.0, figures.get("warmup_quiet"));
  }

  @Test
  void endsOnceTheCompilersHaveBeenQuiet() throws Exception {
    Scale scale = Scale.QUICK.withWarmupWait(50, 50_000);

    Map<String, Double> figures = report(Warmup.run(scale, SELF, 1, 0, () -> steps++));

    assertEquals(1.0, figures.get("warmup_quiet"));
    assertTrue(figures.get("warmup_s") >= 0.05, figures.toString());
    assertTrue(figures.containsKey("compile_ms_measuring"), figures.toString());
  }

  private static Map<String, Double> report(Warmup warmup) {
    Map<String, Double> figures = new LinkedHashMap<>();
    warmup.report(figures);
    return figures;
  }
}
