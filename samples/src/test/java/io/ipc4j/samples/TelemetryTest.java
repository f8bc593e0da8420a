package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code telemetry-sensor} and {@code telemetry-collector} as separate processes. */
@Timeout(60)
class TelemetryTest {
  @TempDir(factory = ShortTempDir.class)
  Path dir;

  @Test
  void collectorCountsASensorsDatagramsOverUdp() throws Exception {
    Transports.assumeUdp();
    try (Sample collector = Sample.start("telemetry-collector", "udp://127.0.0.1:0")) {
      String endpoint = collector.awaitListening();
      Sample.Result sensor =
          Sample.run("telemetry-sensor", endpoint, "--rate", "200", "--count", "100", "--id", "s1");
      assertEquals(0, sensor.exit, sensor.toString());
      assertEquals("sent 100 datagrams to " + endpoint + " as s1\n", sensor.out);
      collector.awaitLine(l -> l.matches("s1: \\d+/s, 100 received, 0 lost \\(0\\.0%\\)"));
    }
  }

  @Test
  void collectorCountsASensorsDatagramsOverUnixgramAndRemovesItsSocket() throws Exception {
    Transports.assumeUnixgram();
    Path socket = dir.resolve("t.sock");
    try (Sample collector = Sample.start("telemetry-collector", "unixgram://" + socket)) {
      String endpoint = collector.awaitListening();
      Sample.Result sensor =
          Sample.run("telemetry-sensor", endpoint, "--rate", "500", "--count", "50", "--id", "g");
      assertEquals(0, sensor.exit, sensor.toString());
      collector.awaitLine(l -> l.matches("g: \\d+/s, 50 received, 0 lost \\(0\\.0%\\)"));
      collector.terminate();
      assertTrue(Files.notExists(socket), "socket file removed");
    }
  }

  @Test
  void collectorReportsLossFromGapsInTheSequence() throws Exception {
    Transports.assumeUdp();
    try (Sample collector = Sample.start("telemetry-collector", "udp://127.0.0.1:0");
        DatagramChannel raw = DatagramChannel.open()) {
      URI where = URI.create(collector.awaitListening());
      InetSocketAddress target = new InetSocketAddress(where.getHost(), where.getPort());
      for (int seq : new int[] {1, 2, 4, 5, 8}) {
        raw.send(
            ByteBuffer.wrap(("gappy " + seq + " 0 1.0").getBytes(StandardCharsets.UTF_8)), target);
      }
      raw.send(ByteBuffer.wrap("not a reading".getBytes(StandardCharsets.UTF_8)), target);
      collector.awaitLine(l -> l.matches("gappy: \\d+/s, 5 received, 3 lost \\(37\\.5%\\)"));
      collector.awaitLine("ignored 1 malformed datagrams");
    }
  }

  @Test
  void sensorRefusesANegativeCountAsUsageError() throws Exception {
    Sample.Result r =
        Sample.run("telemetry-sensor", "udp://127.0.0.1:9", "--rate", "10", "--count", "-5");
    assertEquals(2, r.exit, r.toString());
    assertEquals("telemetry-sensor: --count: -5 (expected: >= 0)", r.firstErrorLine());
    assertEquals("", r.out);
  }

  @Test
  void sensorRefusesAStreamEndpoint() throws Exception {
    Sample.Result r = Sample.run("telemetry-sensor", "tcp://127.0.0.1:9", "--rate", "1");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "telemetry-sensor: not a datagram endpoint (expected: udp, udp4, udp6 or unixgram):"
            + " tcp://127.0.0.1:9",
        r.firstErrorLine());
  }
}
