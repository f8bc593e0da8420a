package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The samples' subcommands, each run as a separate process as a user would. */
@Timeout(60)
class SamplesCliTest {

  @Test
  void echoServerAndClientTalkOverUnixThenServerRemovesItsSocketOnSigterm() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-cli-");
    Path socket = dir.resolve("e.sock");
    Process server = samples("echo-server", "unix://" + socket);
    try {
      String ready = new BufferedReader(reader(server)).readLine();
      assertEquals("listening on unix://" + socket, ready);
      Result client = finish(samples("echo-client", "unix://" + socket, "one", "two words", ""));
      assertEquals(0, client.exit, client.err);
      assertEquals("one\ntwo words\n\n", client.out);
      server.destroy();
      assertTrue(server.waitFor(20, TimeUnit.SECONDS), "server stops on SIGTERM");
      assertTrue(Files.notExists(socket), "socket file removed");
    } finally {
      server.destroyForcibly();
      Files.deleteIfExists(socket);
      Files.delete(dir);
    }
  }

  @Test
  void echoClientSendsStandardInputLinesOverTcp() throws Exception {
    Process server = samples("echo-server", "tcp://127.0.0.1:0");
    try {
      String endpoint =
          new BufferedReader(reader(server)).readLine().substring("listening on ".length());
      Process client = samples("echo-client", endpoint);
      client.getOutputStream().write("alpha\nbeta\n".getBytes(StandardCharsets.UTF_8));
      client.getOutputStream().close();
      Result r = finish(client);
      assertEquals(0, r.exit, r.err);
      assertEquals("alpha\nbeta\n", r.out);
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void badEndpointIsOneLineErrorAndExitCode2() throws Exception {
    Result r = finish(samples("echo-server", "tcp://host:99999"));
    assertEquals(2, r.exit);
    assertEquals(
        "echo-server: Invalid value for positional parameter at index 0 (ENDPOINT):"
            + " port out of range [0, 65535]: tcp://host:99999",
        r.err.lines().findFirst().orElse(""));
  }

  @Test
  void portInUseIsOneLineErrorAndExitCode1() throws Exception {
    Process first = samples("echo-server", "tcp://127.0.0.1:0");
    try {
      String endpoint =
          new BufferedReader(reader(first)).readLine().substring("listening on ".length());
      Result r = finish(samples("echo-server", endpoint));
      assertEquals(1, r.exit);
      assertEquals("echo-server: " + endpoint + ": address already in use", r.err.strip());
    } finally {
      first.destroyForcibly();
    }
  }

  @Test
  void demoRunsEveryExchangeAndExitsZero() throws Exception {
    Result r = finish(samples("demo"));
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains("2 of 2 exchanges succeeded"), r.out);
  }

  private record Result(int exit, String out, String err) {}

  private static Process samples(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  private static InputStreamReader reader(Process p) {
    return new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8);
  }

  private static Result finish(Process p) throws Exception {
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(45, TimeUnit.SECONDS), "process finished");
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
