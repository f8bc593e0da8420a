package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code echo-server} and {@code echo-client} over streams and datagrams, as separate processes.
 */
@Timeout(60)
class EchoTest {
  @TempDir(factory = ShortTempDir.class)
  Path dir;

  @Test
  void echoServerAndClientTalkOverUnixThenServerRemovesItsSocketOnSigterm() throws Exception {
    Path socket = dir.resolve("e.sock");
    try (Sample server = Sample.start("echo-server", "unix://" + socket)) {
      assertEquals("unix://" + socket, server.awaitListening());
      Sample.Result client = Sample.run("echo-client", "unix://" + socket, "one", "two words", "");
      assertEquals(0, client.exit, client.toString());
      assertEquals("one\ntwo words\n\n", client.out);
      server.terminate();
      assertTrue(Files.notExists(socket), "socket file removed");
    }
  }

  @Test
  void echoClientSendsStandardInputLinesOverTcp() throws Exception {
    try (Sample server = Sample.start("echo-server", "tcp://127.0.0.1:0");
        Sample client = Sample.start("echo-client", server.awaitListening())) {
      client.write("alpha\nbeta\n");
      Sample.Result r = client.finish();
      assertEquals(0, r.exit, r.toString());
      assertEquals("alpha\nbeta\n", r.out);
    }
  }

  @Test
  void echoClientFailsWithOneLineWhenNobodyListens() throws Exception {
    Path socket = dir.resolve("nobody.sock");
    Sample.Result r = Sample.run("echo-client", "unix://" + socket, "hi");
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.err.startsWith("echo-client: "), r.err);
    assertEquals(1, r.err.lines().count(), r.err);
  }

  @Test
  void streamClientSaysWhatDidNotComeBackWhenTheServerClosesEarly() throws Exception {
    try (ServerSocket early = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String endpoint = "tcp://127.0.0.1:" + early.getLocalPort();
      // Its input still open: the server closes after one line, before the input ended.
      try (Sample client = Sample.start("echo-client", endpoint)) {
        client.write("one\n");
        try (Socket s = early.accept()) {
          String line =
              new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                  .readLine();
          s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Sample.Result r = client.awaitExit();
        assertEquals(1, r.exit, r.toString());
        assertEquals("one\n", r.out);
        assertEquals(
            "echo-client: "
                + endpoint
                + " closed the connection after echoing 1 line, before the input ended\n",
            r.err);
      }
      // All of it sent: the server reads to the end, echoes one line of three and closes.
      try (Sample client = Sample.start("echo-client", endpoint, "a", "b", "c")) {
        try (Socket s = early.accept()) {
          s.getInputStream().readAllBytes();
          s.getOutputStream().write("a\n".getBytes(StandardCharsets.UTF_8));
        }
        Sample.Result r = client.awaitExit();
        assertEquals(1, r.exit, r.toString());
        assertEquals("a\n", r.out);
        assertEquals(
            "echo-client: " + endpoint + " closed the connection after echoing 1 of 3 lines\n",
            r.err);
      }
    }
  }

  @Test
  void echoesEachDatagramToItsSenderOverUdp() throws Exception {
    Transports.assumeUdp();
    try (Sample server = Sample.start("echo-server", "udp://127.0.0.1:0")) {
      String endpoint = server.awaitListening();
      assertTrue(endpoint.matches("udp://127\\.0\\.0\\.1:\\d+"), endpoint);
      Sample.Result r = Sample.run("echo-client", endpoint, "one", "", "two words");
      assertEquals(0, r.exit, r.toString());
      assertEquals("one\ntwo words\n", r.out);
      assertTrue(
          r.err.contains("echo-client: skipped an empty line: no empty datagrams to " + endpoint),
          r.err);
    }
  }

  @Test
  void echoesEachDatagramToItsSenderOverUnixgramAndRemovesTheSocketOnSigterm() throws Exception {
    Transports.assumeUnixgram();
    Path socket = dir.resolve("g.sock");
    try (Sample server = Sample.start("echo-server", "unixgram://" + socket)) {
      assertEquals("unixgram://" + socket, server.awaitListening());
      try (Sample client = Sample.start("echo-client", "unixgram://" + socket)) {
        client.write("from stdin\nsecond\n");
        Sample.Result r = client.finish();
        assertEquals(0, r.exit, r.toString());
        assertEquals("from stdin\nsecond\n", r.out);
      }
      server.terminate();
      assertTrue(Files.notExists(socket), "socket file removed");
      assertEquals("", server.errors());
    }
  }

  @Test
  void echoesEachPacketOverUnixpacket() throws Exception {
    Transports.assumeUnixpacket();
    Path socket = dir.resolve("p.sock");
    try (Sample server = Sample.start("echo-server", "unixpacket://" + socket)) {
      assertEquals("unixpacket://" + socket, server.awaitListening());
      // Not an empty line: an empty packet reads as the end of the stream, and ipc4j refuses it.
      Sample.Result r = Sample.run("echo-client", "unixpacket://" + socket, "packet", "two");
      assertEquals(0, r.exit, r.toString());
      assertEquals("packet\ntwo\n", r.out);
      server.terminate();
      assertTrue(Files.notExists(socket), "socket file removed");
    }
  }

  @Test
  void datagramClientReportsAMissingReplyInOneLine() throws Exception {
    Transports.assumeUdp();
    // A collector never answers: the echo client's reply does not come.
    try (Sample silent = Sample.start("telemetry-collector", "udp://127.0.0.1:0")) {
      String endpoint = silent.awaitListening();
      Sample.Result r = Sample.run("echo-client", endpoint, "--timeout", "300ms", "hello?");
      assertEquals(1, r.exit, r.toString());
      assertEquals("echo-client: no reply from " + endpoint + " within 300 ms\n", r.err);
    }
  }
}
