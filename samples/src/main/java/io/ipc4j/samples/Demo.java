package io.ipc4j.samples;

import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Ipc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Starts servers and clients as separate JVM processes and shows them talking: echo locally over a
 * Unix socket and remote-style over TCP, request and reply with out-of-order replies over a Unix
 * socket, a chat between two client processes, and echo over UDP when this JVM has a UDP transport.
 * Prints what each exchange did; exits 0 when every exchange succeeded, 1 otherwise.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run sample servers and clients as separate processes and check each exchange.")
final class Demo implements Callable<Integer> {
  private static final long STEP_SECONDS = 15;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-demo-");
    List<Boolean> results = new ArrayList<>();
    try {
      results.add(echo("local, Unix stream socket", "unix://" + dir.resolve("echo.sock")));
      results.add(echo("remote-style, TCP", "tcp://127.0.0.1:0"));
      results.add(rpc("unix://" + dir.resolve("rpc.sock")));
      results.add(chat("unix://" + dir.resolve("chat.sock")));
      String noUdp = udpUnavailable();
      if (noUdp == null) {
        results.add(echo("remote-style, UDP datagrams", "udp://127.0.0.1:0"));
      } else {
        System.out.printf("== echo, UDP datagrams: skipped, %s%n", noUdp);
      }
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
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
    try (Child server = Child.start("echo-server", endpoint)) {
      String bound = server.listening();
      if (bound == null) {
        return false;
      }
      List<String> lines =
          List.of("hello from pid " + ProcessHandle.current().pid(), "ipc4j says hi");
      List<String> args = new ArrayList<>(List.of("echo-client", bound));
      args.addAll(lines);
      try (Child client = Child.start(args.toArray(String[]::new))) {
        List<String> got = client.finish();
        System.out.printf("   client pid %d sent %s, got back %s%n", client.pid(), lines, got);
        boolean ok = client.succeeded() && got.equals(lines);
        return ok & stop(server, endpoint);
      }
    }
  }

  /** A request/reply server and a client with three calls in flight at once. */
  private static boolean rpc(String endpoint) throws Exception {
    System.out.printf("== request/reply, local, Unix stream socket: %s%n", endpoint);
    try (Child server = Child.start("rpc-server", endpoint)) {
      String bound = server.listening();
      if (bound == null) {
        return false;
      }
      try (Child client = Child.start("rpc-client", bound, "--batch")) {
        List<String> calls = List.of("sleep 500", "echo hi", "add 2 3");
        client.input(String.join("\n", calls) + "\n");
        List<String> got = client.finish();
        System.out.printf("   client pid %d sent %s at once%n", client.pid(), calls);
        System.out.printf("   replies as they came (#N: call N): %s%n", got);
        boolean ok = client.succeeded() && got.equals(List.of("#2 hi", "#3 5", "#1 slept 500 ms"));
        return ok & stop(server, endpoint);
      }
    }
  }

  /** A chat server and two chat client processes, one listening while the other talks. */
  private static boolean chat(String endpoint) throws Exception {
    System.out.printf("== chat, local, Unix stream socket: %s%n", endpoint);
    try (Child server = Child.start("chat-server", endpoint)) {
      String bound = server.listening();
      if (bound == null) {
        return false;
      }
      try (Child bob = Child.start("chat-client", bound, "--name", "bob")) {
        if (!"bob joined".equals(server.nextLine())) {
          return failed(bob);
        }
        try (Child alice = Child.start("chat-client", bound, "--name", "alice")) {
          alice.input("hello bob\n");
          List<String> aliceSaw = alice.finish();
          System.out.printf(
              "   alice (pid %d) said 'hello bob' and left; she saw %s%n", alice.pid(), aliceSaw);
          bob.awaitLine("* alice left");
          List<String> bobSaw = bob.finish();
          System.out.printf("   bob (pid %d) saw %s%n", bob.pid(), bobSaw);
          boolean ok =
              alice.succeeded()
                  && bob.succeeded()
                  && bobSaw.equals(
                      List.of(
                          "* welcome bob; here: bob",
                          "* alice joined",
                          "alice: hello bob",
                          "* alice left"));
          return ok & stop(server, endpoint);
        }
      }
    }
  }

  /** Null if udp datagrams work here, or why not. */
  private static String udpUnavailable() {
    try (DatagramEndpoint probe = Ipc.bind("udp://127.0.0.1:0")) {
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Stops a server with SIGTERM and checks that it removed its socket file. */
  private static boolean stop(Child server, String endpoint) throws InterruptedException {
    boolean stopped = server.terminate();
    boolean hasFile = endpoint.startsWith("unix://");
    boolean cleaned = !hasFile || !Files.exists(Path.of(endpoint.substring(7)));
    System.out.printf(
        "   server stopped on SIGTERM: %s%s%n",
        stopped, hasFile ? ", socket file removed: " + cleaned : "");
    boolean ok = stopped && cleaned;
    System.out.printf("   %s%n", ok ? "OK" : "FAILED");
    return ok;
  }

  private static boolean failed(Child c) {
    System.out.printf("   FAILED: %s%n", c.errors());
    return false;
  }

  /** A samples process whose output lines are read as they come, each wait bounded. */
  private static final class Child implements AutoCloseable {
    private static final String END = new String("end");
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<String> errors;

    private Child(Process process) {
      this.process = process;
      Threads.start(
          "demo-reader " + process.pid(),
          () -> {
            try (BufferedReader r =
                new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
              for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
              }
            } catch (IOException e) {
              // The process ended.
            }
            lines.add(END);
          });
      errors =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                      .strip();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }

    static Child start(String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      if (Runtime.version().feature() >= 22) {
        // What the jar's manifest grants when run with -jar; a class path run needs the flag.
        command.add("--enable-native-access=ALL-UNNAMED");
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Main.class.getName());
      command.addAll(List.of(args));
      return new Child(new ProcessBuilder(command).start());
    }

    long pid() {
      return process.pid();
    }

    /** Waits for {@code listening on ENDPOINT}; returns the endpoint, or null (reported). */
    String listening() throws InterruptedException {
      String ready = nextLine();
      if (ready == null || !ready.startsWith("listening on ")) {
        System.out.printf("   FAILED: server said %s; %s%n", ready, errors());
        return null;
      }
      String bound = ready.substring("listening on ".length());
      System.out.printf("   server pid %d listening on %s%n", process.pid(), bound);
      return bound;
    }

    /** The next line of output, or null if none came in time or the output ended. */
    String nextLine() throws InterruptedException {
      String line = lines.poll(STEP_SECONDS, TimeUnit.SECONDS);
      if (line == END) {
        lines.add(END);
        return null;
      }
      if (line != null) {
        seen.add(line);
      }
      return line;
    }

    /** Reads output until {@code wanted} (or until none comes in time). */
    void awaitLine(String wanted) throws InterruptedException {
      for (String line; (line = nextLine()) != null && !line.equals(wanted); ) {
        // Skipped lines are kept in what finish() returns.
      }
    }

    void input(String text) throws IOException {
      process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Ends the input and returns every line of output, once the process has ended. */
    List<String> finish() throws InterruptedException {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // It has ended already.
      }
      while (nextLine() != null) {
        // Collected in seen.
      }
      process.waitFor(STEP_SECONDS, TimeUnit.SECONDS);
      return List.copyOf(seen);
    }

    boolean succeeded() {
      boolean ok = !process.isAlive() && process.exitValue() == 0;
      if (!ok) {
        System.out.printf("   FAILED: pid %d: %s%n", process.pid(), errors());
      }
      return ok;
    }

    boolean terminate() throws InterruptedException {
      process.destroy();
      return process.waitFor(STEP_SECONDS, TimeUnit.SECONDS);
    }

    String errors() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      try {
        return errors.get(STEP_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        return e.toString();
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
