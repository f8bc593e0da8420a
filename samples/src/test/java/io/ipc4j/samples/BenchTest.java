package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} run as a user would, as a separate process that starts its own server and client
 * processes: a quick run ends with a ratio for every figure and JSON with one record per transport,
 * workload and contestant. The numbers themselves are not checked: a quick run on a shared machine
 * measures nothing reliable.
 */
@Timeout(60)
class BenchTest {
  private static final List<String> TRANSPORTS = List.of("tcp", "unix");
  private static final List<String> WORKLOADS =
      List.of("pingpong-64", "stream-64", "stream-1024", "stream-65536");
  private static final List<String> LATENCY = List.of("p50_us", "p99_us", "p999_us");
  private static final List<String> THROUGHPUT = List.of("msgs_per_s", "mb_per_s");

  @TempDir Path dir;

  @Test
  void quickRunPrintsARatioForEveryFigureAndWritesJson() throws Exception {
    Path json = dir.resolve("bench.json");
    Sample.Result r = Sample.run("bench", "--quick", "--json", json.toString());
    assertEquals(0, r.exit, r.toString());
    for (String transport : TRANSPORTS) {
      for (String workload : WORKLOADS) {
        for (String figure : workload.startsWith("pingpong") ? LATENCY : THROUGHPUT) {
          Pattern row =
              Pattern.compile(
                  "(?m)^"
                      + transport
                      + " +"
                      + workload
                      + " +"
                      + figure
                      + " +[0-9.,]+ +[0-9.,]+ +[0-9]+\\.[0-9]{3}$");
          assertTrue(row.matcher(r.out).find(), "no row for " + row + " in:\n" + r.out);
        }
      }
    }
    assertJson(Files.readString(json, StandardCharsets.UTF_8));
  }

  @Test
  void badOptionIsOneLineErrorAndExitCode2() throws Exception {
    Sample.Result r = Sample.run("bench", "--bogus");
    assertEquals(2, r.exit, r.toString());
    assertEquals("bench: Unknown option: '--bogus'", r.firstErrorLine());
  }

  @Test
  void noRoundsIsOneLineErrorAndExitCode2() throws Exception {
    Sample.Result r = Sample.run("bench", "--rounds", "0");
    assertEquals(2, r.exit, r.toString());
    assertEquals("bench: --rounds must be at least 1: 0", r.firstErrorLine());
  }

  @Test
  void hasHelp() throws Exception {
    Sample.Result r = Sample.run("bench", "--help");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("Usage: ipc4j-samples bench "), r.out);
  }

  /** Balanced, and exactly one record with a ratio per transport × workload × contestant. */
  private static void assertJson(String json) {
    String text = json.strip();
    assertTrue(text.startsWith("{") && text.endsWith("}"), json);
    assertBalanced(text);
    Matcher m =
        Pattern.compile(
                "\\{\"transport\": \"([a-z]+)\", \"workload\": \"([a-z0-9-]+)\","
                    + " \"contestant\": \"([a-z0-9]+)\"[^\\n]*\"ratio_ipc4j_to_raw\": \\{([^}]*)\\}")
            .matcher(text);
    Set<String> seen = new HashSet<>();
    List<String> expected = new ArrayList<>();
    for (String t : TRANSPORTS) {
      for (String w : WORKLOADS) {
        for (String c : List.of("ipc4j", "raw")) {
          expected.add(t + " " + w + " " + c);
        }
      }
    }
    while (m.find()) {
      String key = m.group(1) + " " + m.group(2) + " " + m.group(3);
      assertTrue(seen.add(key), "two records for " + key);
      for (String figure : m.group(2).startsWith("pingpong") ? LATENCY : THROUGHPUT) {
        assertTrue(
            Pattern.compile("\"" + figure + "\": [0-9.e+-]+").matcher(m.group(4)).find(),
            "no ratio " + figure + " for " + key + ": " + m.group(4));
      }
    }
    assertEquals(new HashSet<>(expected), seen, json);
  }

  private static void assertBalanced(String json) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        assertTrue(depth >= 0, "unbalanced at " + i + ": " + json);
      }
    }
    assertEquals(0, depth, json);
    assertTrue(!inString, json);
  }
}
