package io.ipc4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each benchmark does the work it claims, once, outside JMH: a benchmark that measures wrong work
 * is worse than none. Their own {@code @Setup} checks run here too.
 */
class BenchmarksTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 64, 1024, 65536, 200_000})
  void sendWritesOneFrameInOneWrite(int size) throws IOException {
    FrameEncodeBenchmark b = new FrameEncodeBenchmark();
    b.size = size;
    b.open();
    for (int i = 0; i < 3; i++) {
      b.verify();
    }
    b.close();
  }

  @ParameterizedTest
  @CsvSource({
    "1, waits", "64, waits", "1024, waits", "65536, waits", "200000, waits",
    "1, ahead", "64, ahead", "1024, ahead", "65536, ahead", "200000, ahead"
  })
  void receiveReturnsThePayloadEveryTime(int size, String peer) throws IOException {
    FrameDecodeBenchmark b = new FrameDecodeBenchmark();
    b.size = size;
    b.peer = peer;
    b.open();
    ByteBuffer payload = Frames.payload(size);
    // Enough messages for the read buffer to grow to its largest (64 KiB) and to wrap around it.
    int messages = 3 + 4 * 64 * 1024 / (size + 4);
    for (int i = 0; i < messages; i++) {
      assertEquals(payload, b.receive());
      assertEquals(payload, b.receiveInto().flip());
    }
    b.close();
  }

  @Test
  void decodeRejectsAnUnknownPeer() {
    FrameDecodeBenchmark b = new FrameDecodeBenchmark();
    b.size = 64;
    b.peer = "idle";
    var e = assertThrows(IllegalArgumentException.class, b::open);
    assertEquals("peer: idle (expected: waits or ahead)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "tcp, tcp://127.0.0.1:7000, tcp4://127.0.0.1:7000",
    "tcp-ipv6, tcp://[2001:db8::1]:7000, tcp6://[2001:db8::1]:7000",
    "unix-path, unix:///run/ipc4j/app.sock, unixgram:///run/ipc4j/app.sock",
    "unix-abstract, unix:@ipc4j-app, unixgram:@ipc4j-app",
    "udp-query, udp://239.1.2.3:5000?interface=lo&ttl=1, udp4://239.1.2.3:5000?interface=lo&ttl=1"
  })
  void endpointBenchmarksParseAndFormat(String form, String parsed, String formatted) {
    EndpointBenchmark b = new EndpointBenchmark();
    b.form = form;
    b.setUp();
    assertEquals(parsed, b.parse().toString());
    assertEquals(formatted, b.format());
  }

  @Test
  void checksCatchAWrongByte() {
    ByteBuffer expected = Frames.payload(16);
    ByteBuffer actual = ByteBuffer.allocate(16).put(expected.duplicate()).flip();
    actual.put(9, (byte) ~actual.get(9));
    var e =
        assertThrows(
            IllegalStateException.class, () -> Frames.checkBytes("receive()", expected, actual));
    assertEquals(
        "receive(): 16 bytes differ from the 16 expected, first at byte 9", e.getMessage());
  }

  /** The JMH annotation processor ran (JDK 23+ runs none unless told), so the jar has work. */
  @Test
  void everyBenchmarkIsListedForTheJar() throws IOException {
    String list;
    try (InputStream in =
        BenchmarksTest.class.getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertTrue(in != null, "META-INF/BenchmarkList missing: the JMH processor did not run");
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String method :
        new String[] {
          "FrameEncodeBenchmark_send",
          "FrameDecodeBenchmark_receive",
          "FrameDecodeBenchmark_receiveInto",
          "EndpointBenchmark_parse",
          "EndpointBenchmark_format"
        }) {
      String generated = "io.ipc4j.benchmarks.jmh_generated." + method + "_jmhTest";
      assertTrue(list.contains(generated), generated + " not in " + list);
    }
  }
}
