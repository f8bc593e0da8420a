package io.ipc4j.samples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The bench's output: a table for people, JSON for tools. */
final class Report {
  private final Results results;
  private final Map<String, String> run;

  /** {@code run}: what describes the whole run (rounds, scale, load...), as strings. */
  Report(Results results, Map<String, String> run) {
    this.results = results;
    this.run = run;
  }

  /** Medians over rounds for each contestant, and the median per-round ratio ipc4j/raw. */
  void printTable(PrintStream out) {
    String format = "%-9s %-13s %-11s %12s %12s %9s%n";
    out.printf(format, "transport", "workload", "figure", "ipc4j", "raw", "ipc4j/raw");
    for (String transport : Peer.TRANSPORTS) {
      for (Workload w : Workload.values()) {
        for (String figure : w.figures) {
          out.printf(
              format,
              transport,
              w.label,
              figure,
              number(results.median(transport, w, Contestant.IPC4J, figure)),
              number(results.median(transport, w, Contestant.RAW, figure)),
              String.format(Locale.ROOT, "%.3f", results.ratio(transport, w, figure)));
        }
      }
    }
    out.println("(latency: lower is better; throughput: higher is better)");
  }

  /** One record per transport, workload and contestant: every round's figures, medians, ratios. */
  void writeJson(Path file) throws IOException {
    List<String> records = new ArrayList<>();
    for (String transport : Peer.TRANSPORTS) {
      for (Workload w : Workload.values()) {
        for (Contestant c : Contestant.values()) {
          records.add(record(transport, w, c));
        }
      }
    }
    String runFields =
        run.entrySet().stream()
            .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
            .collect(Collectors.joining(", "));
    String json =
        "{\"run\": {"
            + runFields
            + "},\n \"records\": [\n  "
            + String.join(",\n  ", records)
            + "\n ]}\n";
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  private String record(String transport, Workload w, Contestant c) {
    String rounds =
        results.rounds(transport, w, c).stream()
            .map(Report::object)
            .collect(Collectors.joining(", ", "[", "]"));
    String medians =
        w.figures.stream()
            .map(f -> quote(f) + ": " + json(results.median(transport, w, c, f)))
            .collect(Collectors.joining(", ", "{", "}"));
    String ratios =
        w.figures.stream()
            .map(f -> quote(f) + ": " + json(results.ratio(transport, w, f)))
            .collect(Collectors.joining(", ", "{", "}"));
    return String.format(
        "{\"transport\": %s, \"workload\": %s, \"contestant\": %s, \"message_bytes\": %d,"
            + " \"rounds\": %s, \"median\": %s, \"ratio_ipc4j_to_raw\": %s}",
        quote(transport), quote(w.label), quote(c.label()), w.messageSize, rounds, medians, ratios);
  }

  private static String object(Map<String, Double> figures) {
    return figures.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + json(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String json(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    return value >= 1000
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
