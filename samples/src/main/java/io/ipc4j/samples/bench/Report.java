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
  private final List<Workload> workloads;
  private final Map<String, String> run;

  /** {@code run}: what describes the whole run (rounds, scale, load...), as strings. */
  Report(Results results, List<Workload> workloads, Map<String, String> run) {
    this.results = results;
    this.workloads = workloads;
    this.run = run;
  }

  /**
   * Medians over rounds for each contestant, and the median per-round ratio ipc4j/raw, workload by
   * workload; then the notes of the workloads that have one, and a note for every echo lost.
   */
  void printTable(PrintStream out) {
    String format = "%-10s %-18s %-14s %12s %12s %9s  %s";
    out.println(
        String.format(format, "transport", "workload", "figure", "ipc4j", "raw", "ipc4j/raw", "")
            .stripTrailing());
    for (Workload w : workloads) {
      for (String transport : w.transports) {
        for (Figure figure : w.figures) {
          String row =
              String.format(
                  format,
                  transport,
                  w.label,
                  figure.name(),
                  number(results.median(transport, w, Contestant.IPC4J, figure.name())),
                  number(results.median(transport, w, Contestant.RAW, figure.name())),
                  ratio(results.ratio(transport, w, figure.name())),
                  figure.lowerIsBetter() ? "lower is better" : "");
          out.println(row.stripTrailing());
        }
      }
    }
    for (Workload w : workloads) {
      if (w.note() != null) {
        out.println("note: " + w.note());
      }
    }
    for (Workload w : workloads) {
      for (String transport : w.transports) {
        if (w instanceof PingPong && results.anyAboveZero(transport, w, "lost")) {
          out.println(note(transport, w, "lost", "echoes lost (timed out, not timed)"));
        }
      }
    }
  }

  private String note(String transport, Workload w, String figure, String what) {
    StringBuilder b = new StringBuilder("note: " + transport + " " + w.label + ": " + what + ":");
    for (Contestant c : Contestant.values()) {
      b.append(' ').append(c.label()).append(' ');
      b.append(
          results.rounds(transport, w, c).stream()
              .map(f -> String.format(Locale.ROOT, "%.0f", f.getOrDefault(figure, 0.0)))
              .collect(Collectors.joining(",")));
    }
    return b.toString();
  }

  /**
   * One record per transport, workload and contestant: every round's figures (with the counts that
   * are not in the table), medians and ratios of the table's figures.
   */
  void writeJson(Path file) throws IOException {
    List<String> records = new ArrayList<>();
    for (Workload w : workloads) {
      for (String transport : w.transports) {
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
            .map(f -> quote(f.name()) + ": " + json(results.median(transport, w, c, f.name())))
            .collect(Collectors.joining(", ", "{", "}"));
    String ratios =
        w.figures.stream()
            .map(f -> quote(f.name()) + ": " + json(results.ratio(transport, w, f.name())))
            .collect(Collectors.joining(", ", "{", "}"));
    return String.format(
        "{\"transport\": %s, \"workload\": %s, \"contestant\": %s, \"setting\": %s,"
            + " \"message_bytes\": %d, \"rounds\": %s, \"median\": %s, \"ratio_ipc4j_to_raw\": %s}",
        quote(transport),
        quote(w.label),
        quote(c.label()),
        quote(w.setting.name().toLowerCase(Locale.ROOT)),
        w.messageSize,
        rounds,
        medians,
        ratios);
  }

  private static String object(Map<String, Double> figures) {
    return figures.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + json(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String json(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
  }

  static String number(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    return value >= 1000
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String ratio(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return Double.isInfinite(value) ? "inf" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
