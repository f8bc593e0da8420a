package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} run as a user would, as a separate process that starts its own server and client
 * processes: a quick run ends with a ratio for every transport, workload and figure, JSON with one
 * record per transport, workload and contestant, and a chart that is a real PNG. The numbers
 * themselves are not checked: a quick run on a shared machine measures nothing reliable.
 */
@Timeout(60)
class BenchTest {
  private static final List<String> ALL = List.of("tcp", "unix", "unixpacket", "udp", "unixgram");
  private static final List<String> STREAMS = List.of("tcp", "unix");
  private static final List<String> DATAGRAMS = List.of("udp", "unixgram");
  private static final List<String> LATENCY = List.of("p50_us", "p99_us", "p999_us");
  private static final List<String> THROUGHPUT = List.of("msgs_per_s", "mb_per_s");

  /** Workload of the default run → its transports and its figures. */
  private static final Map<String, List<List<String>>> WORKLOADS = new LinkedHashMap<>();

  static {
    WORKLOADS.put("pingpong-64", List.of(ALL, LATENCY));
    WORKLOADS.put("pingpong-64-pinned", List.of(ALL, LATENCY));
    WORKLOADS.put("stream-64", List.of(STREAMS, THROUGHPUT));
    WORKLOADS.put("stream-64-batch", List.of(STREAMS, THROUGHPUT));
    WORKLOADS.put("stream-1024", List.of(STREAMS, THROUGHPUT));
    WORKLOADS.put("stream-1024-batch", List.of(STREAMS, THROUGHPUT));
    WORKLOADS.put("stream-65536", List.of(STREAMS, THROUGHPUT));
    WORKLOADS.put(
        "dgram-rate-64", List.of(DATAGRAMS, List.of("sent_per_s", "received_per_s", "loss_pct")));
    WORKLOADS.put("connect-rate", List.of(STREAMS, List.of("connects_per_s")));
    WORKLOADS.put(
        "idle",
        List.of(
            List.of("unix"),
            List.of("rss_mib", "heap_mib", "kib_per_conn", "ping_p50_us", "ping_all_ms")));
  }

  @TempDir Path dir;

  /** A quick run takes some 30 s on a loaded 2-core machine: one round, a dozen JVMs. */
  @Test
  @Timeout(150)
  void quickRunPrintsARatioForEveryFigureAndWritesJsonAndAChart() throws Exception {
    Path json = dir.resolve("bench.json");
    Path png = dir.resolve("bench.png");
    Sample.Result r;
    try (Sample bench =
        Sample.start("bench", "--quick", "--json", json.toString(), "--plot", png.toString())) {
      assertTrue(
          bench.process().waitFor(120, TimeUnit.SECONDS),
          "bench --quick did not finish in 120 s: " + bench.output());
      r = bench.finish();
    }
    assertEquals(0, r.exit, r.toString());
    WORKLOADS.forEach(
        (workload, spec) -> {
          for (String transport : spec.get(0)) {
            for (String figure : spec.get(1)) {
              Pattern row =
                  Pattern.compile(
                      "(?m)^"
                          + transport
                          + " +"
                          + workload
                          + " +"
                          + figure
                          + " +[0-9.,-]+ +[0-9.,-]+ +([0-9]+\\.[0-9]{3}|inf)( +lower is better)?$");
              assertTrue(row.matcher(r.out).find(), "no row for " + row + " in:\n" + r.out);
            }
          }
        });
    assertFalse(r.out.contains("pingpong-64-peers"), "ran a workload only asked for:\n" + r.out);
    assertJson(Files.readString(json, StandardCharsets.UTF_8));
    assertPng(png);
  }

  @Test
  @Timeout(90)
  void workloadOnlyRunWhenAskedForRunsWhenNamed() throws Exception {
    Sample.Result r;
    try (Sample bench = Sample.start("bench", "--quick", "--workloads", "pingpong-64-peers")) {
      assertTrue(
          bench.process().waitFor(60, TimeUnit.SECONDS),
          "bench --quick did not finish in 60 s: " + bench.output());
      r = bench.finish();
    }
    assertEquals(0, r.exit, r.toString());
    for (String transport : DATAGRAMS) {
      Pattern row =
          Pattern.compile(
              "(?m)^" + transport + " +pingpong-64-peers +p50_us +[0-9.,]+ +[0-9.,]+ +[0-9.]+");
      assertTrue(row.matcher(r.out).find(), "no row for " + row + " in:\n" + r.out);
    }
    assertFalse(r.out.contains(" stream-64 "), "ran a workload not asked for:\n" + r.out);
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
  void noConnectionsIsOneLineErrorAndExitCode2() throws Exception {
    Sample.Result r = Sample.run("bench", "--connections", "0");
    assertEquals(2, r.exit, r.toString());
    assertEquals("bench: --connections must be at least 1: 0", r.firstErrorLine());
  }

  @Test
  void moreConnectionsThanFilesIsOneLineErrorAndExitCode2() throws Exception {
    Sample.Result r = Sample.run("bench", "--connections", "100000000");
    assertEquals(2, r.exit, r.toString());
    assertTrue(
        r.firstErrorLine()
            .matches(
                "bench: --connections 100000000 needs 100,000,256 open files per process, but the"
                    + " limit here is [0-9,]+ \\(ulimit -Hn\\): lower --connections or raise the"
                    + " limit"),
        r.toString());
  }

  @Test
  void unknownWorkloadIsOneLineErrorNamingTheKnownOnes() throws Exception {
    Sample.Result r = Sample.run("bench", "--workloads", "pingpong-64,bogus");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "bench: --workloads: no workload 'bogus' (expected: pingpong-64, pingpong-64-pinned,"
            + " pingpong-64-peers, stream-64, stream-64-batch, stream-1024, stream-1024-batch,"
            + " stream-65536, dgram-rate-64, connect-rate, idle, idle-tcp)",
        r.firstErrorLine());
  }

  @Test
  void notANumberIsOneLineErrorAndExitCode2() throws Exception {
    Sample.Result r = Sample.run("bench", "--connections", "many");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "bench: Invalid value for option '--connections': 'many' is not an int",
        r.firstErrorLine());
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
                    + " \"contestant\": \"([a-z0-9]+)\"[^\\n]*\"rounds\": \\[\\{([^]]*)\\}\\][^\\n]*"
                    + "\"ratio_ipc4j_to_raw\": \\{([^}]*)\\}")
            .matcher(text);
    Set<String> seen = new HashSet<>();
    List<String> expected = new ArrayList<>();
    WORKLOADS.forEach(
        (w, spec) -> {
          for (String t : spec.get(0)) {
            for (String c : List.of("ipc4j", "raw")) {
              expected.add(t + " " + w + " " + c);
            }
          }
        });
    while (m.find()) {
      String key = m.group(1) + " " + m.group(2) + " " + m.group(3);
      assertTrue(seen.add(key), "two records for " + key);
      for (String figure : WORKLOADS.get(m.group(2)).get(1)) {
        assertTrue(
            Pattern.compile("\"" + figure + "\": [0-9.e+-]+").matcher(m.group(4)).find(),
            "no " + figure + " in the round of " + key + ": " + m.group(4));
        // A loss over raw's none is an infinite ratio, which JSON writes as null.
        String ratio = figure.equals("loss_pct") ? "([0-9.e+-]+|null)" : "[0-9.e+-]+";
        assertTrue(
            Pattern.compile("\"" + figure + "\": " + ratio).matcher(m.group(5)).find(),
            "no ratio " + figure + " for " + key + ": " + m.group(5));
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

  /** The PNG signature, and an image of a readable size that ImageIO decodes. */
  private static void assertPng(Path png) throws Exception {
    byte[] signature = new byte[8];
    try (InputStream in = Files.newInputStream(png)) {
      assertEquals(8, in.readNBytes(signature, 0, 8));
    }
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
        signature,
        Arrays.toString(signature));
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO cannot decode " + png);
    assertTrue(
        image.getWidth() >= 800 && image.getHeight() >= 500,
        "chart of " + image.getWidth() + "x" + image.getHeight());
  }
}
