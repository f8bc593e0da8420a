package io.ipc4j.samples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures ipc4j against the same workload written directly on JDK channels (and junixsocket where
 * ipc4j uses it), server and client in separate JVMs, the two contestants' measurements interleaved
 * in slices so that both see the same machine. Prints medians and the ratio ipc4j/raw for every
 * figure; {@code --json} writes every round, {@code --plot} draws a chart.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Compare ipc4j with raw JDK channels (junixsocket for unixpacket and unixgram): the same"
          + " workloads written by hand, server and client in separate processes, ipc4j's and"
          + " raw's measurements interleaved in slices. Workloads (--workloads):",
      "  pingpong-64         64 B echo latency, server on CPU 1 and client on CPU 0 (taskset),"
          + " as every workload but the pinned one; tcp unix unixpacket udp unixgram",
      "  pingpong-64-pinned  the same, both processes on CPU 0 (taskset -c 0)",
      "  pingpong-64-peers   udp unixgram, ipc4j serving with IpcServer (a handler per sender):"
          + " only when asked for",
      "  stream-64, stream-1024, stream-65536: framed messages; tcp unix",
      "  stream-64-batch, stream-1024-batch: the same, ipc4j sending "
          + Streaming.PER_CALL
          + " messages per sendAll call, raw still one write per message; tcp unix",
      "  dgram-rate-64       datagrams sent, received per second, loss; udp unixgram",
      "  connect-rate        connect, one ping-pong, close; tcp unix",
      "  idle                N idle connections: server memory, a ping-pong each; unix",
      "  idle-tcp            the same over tcp: only when asked for (~25 s a round)",
      "Absolute numbers depend on the machine and its load; compare the ratios."
    })
public final class Bench implements Callable<Integer> {
  /** File descriptors a process needs besides its idle connections (JVM, jars, servers). */
  private static final int SPARE_DESCRIPTORS = 256;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Small counts, one round: a smoke run, not a measurement.")
  boolean quick;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description =
          "Rounds, each running every workload for ipc4j and raw (default: 3; 1 with --quick).")
  Integer rounds;

  @Option(
      names = "--connections",
      paramLabel = "N",
      description =
          "Idle connections held at once by the idle workload (default: 10,000; 200 with --quick).")
  Integer connections;

  @Option(
      names = "--workloads",
      paramLabel = "LIST",
      split = ",",
      description =
          "Run only these workloads, comma-separated (default: all but pingpong-64-peers and idle-tcp).")
  List<String> only;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description = "Also draw latency percentiles and throughput ratios into a PNG file.")
  Path plot;

  @Override
  public Integer call() throws Exception {
    int roundCount = rounds != null ? rounds : quick ? 1 : 3;
    if (roundCount < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rounds must be at least 1: " + roundCount);
    }
    Scale scale = quick ? Scale.QUICK : Scale.FULL;
    if (connections != null) {
      if (connections < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--connections must be at least 1: " + connections);
      }
      scale = scale.withConnections(connections);
    }
    List<Workload> workloads = selected();
    if (workloads.stream().anyMatch(w -> w instanceof IdleScale)) {
      requireDescriptors(scale.connections);
    }
    Map<Workload.Setting, Placement> placements = new EnumMap<>(Workload.Setting.class);
    String taskset = taskset();
    if (taskset == null) {
      placements.put(Workload.Setting.APART, Placement.FREE);
      if (workloads.removeIf(w -> w.setting == Workload.Setting.PINNED)) {
        System.out.println("note: taskset not found on PATH, the pinned workloads are left out");
      }
    } else {
      List<String> cpu0 = List.of(taskset, "-c", "0");
      placements.put(Workload.Setting.PINNED, new Placement(cpu0, cpu0));
      if (Runtime.getRuntime().availableProcessors() >= 2) {
        placements.put(Workload.Setting.APART, new Placement(List.of(taskset, "-c", "1"), cpu0));
      } else {
        placements.put(Workload.Setting.APART, Placement.FREE);
        System.out.println("note: one CPU, so the apart workloads share it");
      }
    }
    if (plot != null) {
      // Before any AWT class loads: the chart is drawn off screen, with or without a display.
      System.setProperty("java.awt.headless", "true");
    }
    Map<String, String> run = new LinkedHashMap<>();
    run.put("java", Runtime.version().toString());
    run.put("scale", scale.name);
    run.put("rounds", Integer.toString(roundCount));
    run.put("connections", Integer.toString(scale.connections));
    run.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    run.put("load_before", load());
    System.out.printf(
        "ipc4j bench: %d round%s, %s scale, Java %s, %d CPUs, load average %s%n",
        roundCount,
        roundCount == 1 ? "" : "s",
        scale.name,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        run.get("load_before"));
    Results results = new Results();
    long started = System.nanoTime();
    long[] runTicks = cpuTicks();
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-bench-");
    try {
      for (int round = 1; round <= roundCount; round++) {
        long start = System.nanoTime();
        long[] ticks = cpuTicks();
        new Round(scale, workloads, placements, dir, round).run(results);
        System.out.printf(
            "round %d/%d done in %.1f s, load average %s, CPU time stolen by the host %s%n",
            round, roundCount, (System.nanoTime() - start) / 1e9, load(), stolen(ticks));
      }
    } finally {
      deleteTree(dir);
    }
    run.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    run.put("load_after", load());
    run.put("stolen", stolen(runTicks));
    System.out.printf(
        "load average after: %s; CPU time stolen by the host: %s%n%n",
        run.get("load_after"), run.get("stolen"));
    Report report = new Report(results, workloads, run);
    report.printTable(System.out);
    if (json != null) {
      report.writeJson(json);
      System.out.println("wrote " + json);
    }
    if (plot != null) {
      new Plot(results, workloads).write(plot);
      System.out.println("wrote " + plot);
    }
    return 0;
  }

  /** The workloads asked for with {@code --workloads}, in the bench's order; all by default. */
  private List<Workload> selected() {
    if (only == null || only.isEmpty()) {
      return new ArrayList<>(Workloads.DEFAULT);
    }
    for (String label : only) {
      if (Workloads.ALL.stream().noneMatch(w -> w.label.equals(label))) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--workloads: no workload '" + label + "' (expected: " + Workloads.labels() + ")");
      }
    }
    return Workloads.ALL.stream()
        .filter(w -> only.contains(w.label))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /**
   * Fails unless a process may open enough files for {@code connections} idle connections. Child
   * processes inherit this JVM's limit, which it raised to the hard limit when it started.
   */
  private void requireDescriptors(int connections) {
    if (!(ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean)) {
      return;
    }
    long limit =
        ((com.sun.management.UnixOperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    long needed = (long) connections + SPARE_DESCRIPTORS;
    if (limit < needed) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          String.format(
              Locale.ROOT,
              "--connections %d needs %,d open files per process, but the limit here is %,d"
                  + " (ulimit -Hn): lower --connections or raise the limit",
              connections,
              needed,
              limit));
    }
  }

  /** The path of taskset if it is on the PATH, else null. */
  private static String taskset() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "taskset"))) {
        return Path.of(d, "taskset").toString();
      }
    }
    return null;
  }

  /**
   * The CPU time the hypervisor gave to others while this machine's CPUs wanted it (Linux's steal
   * time), and all CPU time, in clock ticks since boot; null where there is no {@code /proc/stat}.
   * On a shared VM this is the noise no interleaving removes: a stolen slice is slower for
   * whichever contestant had it.
   */
  private static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {f.length > 8 ? Long.parseLong(f[8]) : 0, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The share of CPU time stolen since {@code before}, as a percentage, or "unknown". */
  private static String stolen(long[] before) {
    long[] now = cpuTicks();
    if (before == null || now == null || now[1] <= before[1]) {
      return "unknown";
    }
    return String.format(
        Locale.ROOT, "%.1f%%", 100.0 * (now[0] - before[0]) / (now[1] - before[1]));
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
