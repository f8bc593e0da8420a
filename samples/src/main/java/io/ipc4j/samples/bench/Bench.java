package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures ipc4j against the same workload written directly on JDK channels, server and client in
 * separate JVMs, alternating ipc4j and raw round after round so that both see the same machine.
 * Prints medians and the ratio ipc4j/raw for every figure; {@code --json} writes every round.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Compare ipc4j with raw JDK channels (same framing, written by hand): ping-pong latency"
          + " (64 B) and streaming throughput (64 B, 1 KiB, 64 KiB; one write per message) over"
          + " tcp and unix, server and client in separate processes, rounds alternating ipc4j and"
          + " raw. Absolute numbers depend on the machine and its load; compare the ratios."
    })
public final class Bench implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "Small counts: a smoke run, not a measurement.")
  boolean quick;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Rounds, each running every workload for ipc4j then raw (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(
      names = "--pin",
      description = "Run server and client on one CPU (taskset -c 0): the library's own cost.")
  boolean pin;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rounds must be at least 1: " + rounds);
    }
    Scale scale = quick ? Scale.QUICK : Scale.FULL;
    List<String> prefix = pinPrefix();
    Map<String, String> run = new LinkedHashMap<>();
    run.put("java", Runtime.version().toString());
    run.put("scale", scale.name);
    run.put("rounds", Integer.toString(rounds));
    run.put("pinned", Boolean.toString(!prefix.isEmpty()));
    run.put("load_before", load());
    System.out.printf(
        "ipc4j bench: %d rounds, %s scale, %s, Java %s, load average %s%n",
        rounds,
        scale.name,
        prefix.isEmpty() ? "unpinned" : "both processes on CPU 0",
        Runtime.version(),
        run.get("load_before"));
    Results results = new Results();
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-bench-");
    try {
      for (int round = 1; round <= rounds; round++) {
        long start = System.nanoTime();
        new Round(scale, prefix, dir).run(results);
        System.out.printf(
            "round %d/%d done in %.1f s, load average %s%n",
            round, rounds, (System.nanoTime() - start) / 1e9, load());
      }
    } finally {
      deleteTree(dir);
    }
    run.put("load_after", load());
    System.out.printf("load average after: %s%n%n", run.get("load_after"));
    Report report = new Report(results, run);
    report.printTable(System.out);
    if (json != null) {
      report.writeJson(json);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  /** {@code taskset -c 0} if pinning was asked for and taskset exists; else nothing (noted). */
  private List<String> pinPrefix() {
    if (!pin) {
      return List.of();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "taskset"))) {
        return List.of(Path.of(d, "taskset").toString(), "-c", "0");
      }
    }
    System.out.println("note: --pin ignored, taskset not found on PATH");
    return List.of();
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
