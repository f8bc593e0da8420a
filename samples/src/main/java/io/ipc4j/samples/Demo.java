package io.ipc4j.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * Starts servers and clients as separate JVM processes and shows them talking: locally over a Unix
 * socket, and remote-style over TCP. Exits 0 when every exchange succeeded.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run sample servers and clients as separate processes and check each exchange.")
final class Demo implements Callable<Integer> {
  private static final long STEP_SECONDS = 30;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-demo-");
    List<Boolean> results = new ArrayList<>();
    try {
      results.add(echo("local, Unix stream socket", "unix://" + dir.resolve("echo.sock")));
      results.add(echo("remote-style, TCP", "tcp://127.0.0.1:0"));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.collect(Collectors.toList())) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    long ok = results.stream().filter(r -> r).count();
    System.out.printf("%d of %d exchanges succeeded%n", ok, results.size());
    return ok == results.size() ? 0 : 1;
  }

  /** An echo server process and an echo client process on {@code endpoint}. */
  private static boolean echo(String title, String endpoint) throws Exception {
    System.out.printf("== echo, %s: %s%n", title, endpoint);
    Process server = java("echo-server", endpoint);
    try {
      BufferedReader out = reader(server);
      String ready =
          CompletableFuture.supplyAsync(() -> readLine(out)).get(STEP_SECONDS, TimeUnit.SECONDS);
      if (ready == null || !ready.startsWith("listening on ")) {
        System.out.printf("   FAILED: server said %s; %s%n", ready, stderr(server));
        return false;
      }
      String bound = ready.substring("listening on ".length());
      System.out.printf("   server pid %d listening on %s%n", server.pid(), bound);
      List<String> lines =
          List.of("hello from pid " + ProcessHandle.current().pid(), "ipc4j says hi");
      List<String> args = new ArrayList<>(List.of("echo-client", bound));
      args.addAll(lines);
      Process client = java(args.toArray(String[]::new));
      BufferedReader replies = reader(client);
      List<String> got =
          CompletableFuture.supplyAsync(() -> replies.lines().collect(Collectors.toList()))
              .get(STEP_SECONDS, TimeUnit.SECONDS);
      boolean exited = client.waitFor(STEP_SECONDS, TimeUnit.SECONDS) && client.exitValue() == 0;
      System.out.printf("   client pid %d sent %s, got back %s%n", client.pid(), lines, got);
      boolean ok = exited && got.equals(lines);
      if (!ok) {
        System.out.printf("   FAILED: client %s%n", stderr(client));
      }
      server.destroy();
      boolean stopped = server.waitFor(STEP_SECONDS, TimeUnit.SECONDS);
      boolean cleaned =
          !endpoint.startsWith("unix://") || !Files.exists(Path.of(endpoint.substring(7)));
      System.out.printf(
          "   server stopped on SIGTERM: %s, socket file removed: %s%n", stopped, cleaned);
      ok &= stopped && cleaned;
      System.out.printf("   %s%n", ok ? "OK" : "FAILED");
      return ok;
    } finally {
      server.destroyForcibly();
    }
  }

  private static Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String readLine(BufferedReader r) {
    try {
      return r.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  private static String stderr(Process p) {
    try {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(STEP_SECONDS, TimeUnit.SECONDS);
      }
      return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }
}
