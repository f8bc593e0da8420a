package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every subcommand does the same way, each run as a separate process as a user would: help, a
 * one-line error and a non-zero exit for a bad endpoint or a port in use, and a clean stop on
 * SIGTERM that removes the server's socket file.
 */
@Timeout(60)
class SamplesCliTest {
  @TempDir(factory = ShortTempDir.class)
  Path dir;

  /** Every subcommand, with arguments that are valid but for ENDPOINT. */
  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("echo-server", List.of("ENDPOINT")),
        Arguments.of("echo-client", List.of("ENDPOINT", "hi")),
        Arguments.of("chat-server", List.of("ENDPOINT")),
        Arguments.of("chat-client", List.of("ENDPOINT", "--name", "ann")),
        Arguments.of("file-server", List.of("ENDPOINT", "--dir", "/tmp")),
        Arguments.of("file-put", List.of("ENDPOINT", "/etc/hostname")),
        Arguments.of("file-get", List.of("ENDPOINT", "x")),
        Arguments.of("rpc-server", List.of("ENDPOINT")),
        Arguments.of("rpc-client", List.of("ENDPOINT", "time")),
        Arguments.of("telemetry-sensor", List.of("ENDPOINT", "--rate", "10")),
        Arguments.of("telemetry-collector", List.of("ENDPOINT")),
        Arguments.of("http-server", List.of("ENDPOINT", "--dir", "/tmp")));
  }

  /** Every server, with its arguments but for ENDPOINT, and whether it serves streams. */
  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of("echo-server", List.of()),
        Arguments.of("chat-server", List.of()),
        Arguments.of("file-server", List.of("--dir", "/tmp")),
        Arguments.of("rpc-server", List.of()),
        Arguments.of("http-server", List.of("--dir", "/tmp")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "echo-server",
        "echo-client",
        "chat-server",
        "chat-client",
        "file-server",
        "file-put",
        "file-get",
        "rpc-server",
        "rpc-client",
        "telemetry-sensor",
        "telemetry-collector",
        "http-server",
        "doctor",
        "demo"
      })
  void everySubcommandHasHelp(String command) throws Exception {
    Sample.Result r = Sample.run(command, "--help");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("Usage: ipc4j-samples " + command + " "), r.out);
    assertEquals("", r.err);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void badEndpointIsOneLineErrorAndExitCode2(String command, List<String> args) throws Exception {
    Sample.Result r = Sample.run(with(command, args, "tcp://host:99999"));
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        command
            + ": Invalid value for positional parameter at index 0 (ENDPOINT):"
            + " port out of range [0, 65535]: tcp://host:99999",
        r.firstErrorLine());
  }

  @ParameterizedTest
  @MethodSource("servers")
  void portInUseIsOneLineErrorAndExitCode1(String command, List<String> args) throws Exception {
    try (Sample first = Sample.start(with(command, args, "tcp://127.0.0.1:0"))) {
      String endpoint = first.awaitListening();
      Sample.Result r = Sample.run(with(command, args, endpoint));
      assertEquals(1, r.exit, r.toString());
      assertEquals(command + ": " + endpoint + ": address already in use", r.err.strip());
    }
  }

  @ParameterizedTest
  @MethodSource("servers")
  void serverStopsOnSigtermAndRemovesItsSocketFile(String command, List<String> args)
      throws Exception {
    Path socket = dir.resolve("s.sock");
    try (Sample server = Sample.start(with(command, args, "unix://" + socket))) {
      assertEquals("unix://" + socket, server.awaitListening());
      assertTrue(Files.exists(socket));
      server.terminate();
      assertTrue(Files.notExists(socket), "socket file removed");
      assertEquals("", server.errors());
    }
  }

  @Test
  void aLiveUnixSocketIsNotTakenOverAndKeepsServing() throws Exception {
    Path socket = dir.resolve("live.sock");
    try (Sample first = Sample.start("rpc-server", "unix://" + socket)) {
      first.awaitListening();
      Sample.Result r = Sample.run("chat-server", "unix://" + socket);
      assertEquals(1, r.exit, r.toString());
      assertEquals(
          "chat-server: unix://"
              + socket
              + ": address in use: a live socket listens at "
              + socket
              + "\n",
          r.err);
      assertEquals("3\n", Sample.run("rpc-client", "unix://" + socket, "add", "1", "2").out);
    }
  }

  @Test
  void datagramServersGiveOneLineErrorForAPortInUse() throws Exception {
    Transports.assumeUdp();
    for (String command : List.of("echo-server", "telemetry-collector")) {
      try (Sample first = Sample.start(command, "udp://127.0.0.1:0")) {
        String endpoint = first.awaitListening();
        Sample.Result r = Sample.run(command, endpoint);
        assertEquals(1, r.exit, r.toString());
        assertEquals(command + ": " + endpoint + ": address already in use", r.err.strip());
      }
    }
  }

  @Test
  void streamOnlyServersRefuseADatagramEndpointAsUsageError() throws Exception {
    Sample.Result r = Sample.run("chat-server", "udp://127.0.0.1:9");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "chat-server: not a stream endpoint (expected: tcp, tcp4, tcp6 or unix):"
            + " udp://127.0.0.1:9",
        r.firstErrorLine());
  }

  @Test
  void filePutOfSomethingWithoutAFileNameIsOneLineError() throws Exception {
    Sample.Result r = Sample.run("file-put", "tcp://127.0.0.1:9", "/");
    assertEquals(1, r.exit, r.toString());
    assertEquals("file-put: /: not a regular file\n", r.err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo-client", "rpc-client"})
  void aTimeoutOfZeroIsRefusedAsUsageError(String command) throws Exception {
    Sample.Result r = Sample.run(command, "tcp://127.0.0.1:9", "--timeout", "0s", "time");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        command
            + ": Invalid value for option '--timeout':"
            + " not a positive duration (expected: more than 0, such as 500ms or 5s): 0s",
        r.firstErrorLine());
  }

  @Test
  void doctorPrintsTheCapabilityReport() throws Exception {
    Sample.Result r = Sample.run("doctor");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("ipc4j transports on "), r.out);
    assertTrue(r.out.lines().anyMatch(l -> l.matches("tcp +\\* jdk: .*")), r.out);
    assertTrue(r.out.lines().anyMatch(l -> l.startsWith("unixgram ")), r.out);
  }

  @Test
  void demoRunsEveryExchangeAndExitsZero() throws Exception {
    Sample.Result r = Sample.run("demo");
    assertEquals(0, r.exit, r.toString());
    Matcher m = Pattern.compile("(\\d+) of (\\d+) exchanges succeeded").matcher(r.out);
    assertTrue(m.find(), r.out);
    assertEquals(m.group(2), m.group(1), r.out);
    assertTrue(Integer.parseInt(m.group(2)) >= 4, r.out);
  }

  /** {@code command args...} with ENDPOINT replaced. */
  static String[] with(String command, List<String> args, String endpoint) {
    List<String> all = new ArrayList<>();
    all.add(command);
    for (String a : args) {
      all.add(a.equals("ENDPOINT") ? endpoint : a);
    }
    if (!args.contains("ENDPOINT")) {
      all.add(1, endpoint);
    }
    return all.toArray(String[]::new);
  }
}
