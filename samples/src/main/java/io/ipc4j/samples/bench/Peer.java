package io.ipc4j.samples.bench;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The bench's child processes, started by {@link Bench} with their own {@code main} (not a
 * subcommand: users never run them).
 *
 * <ul>
 *   <li>{@code server CONTESTANT DIR CONNECTIONS SERVICE:TRANSPORT...}: serves each service on its
 *       transport (socket files in {@code DIR}; {@code CONNECTIONS} as for {@link
 *       Contestant#serve}), prints {@code listening SERVICE TRANSPORT ENDPOINT} for each, then
 *       {@code ready}. Then for each line {@code measure} on its standard input prints {@code
 *       measured rss_kib=N rss_before_kib=N heap_kib=N threads=N}; stops when its standard input
 *       ends.
 *   <li>{@code client CONTESTANT SCALE CONNECTIONS}: for each line {@code WORKLOAD TRANSPORT
 *       ENDPOINT SERVER_PID} on its standard input, runs that workload against the server process
 *       {@code SERVER_PID} (whose compilers its warm-ups wait for too) and prints {@code result
 *       WORKLOAD TRANSPORT name=value...}; stops when its standard input ends. A workload that
 *       measures in slices prints {@code ready} after its warm-up and after each slice, and
 *       measures a slice for each {@code go} it reads until it reads {@code end} ({@link
 *       Client#slices}). Taking orders one at a time lets the bench interleave the contestants
 *       workload by workload.
 * </ul>
 */
public final class Peer {
  private Peer() {}

  public static void main(String[] args) {
    try {
      if (args.length >= 4 && args[0].equals("server")) {
        server(
            Contestant.of(args[1]),
            Path.of(args[2]),
            Integer.parseInt(args[3]),
            List.of(args).subList(4, args.length));
      } else if (args.length == 4 && args[0].equals("client")) {
        client(Contestant.of(args[1]), Scale.of(args[2], Integer.parseInt(args[3])));
      } else {
        throw new IllegalArgumentException("usage: server|client ...: " + List.of(args));
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("bench peer: " + e);
      // The parent shows this process's standard error when it fails: a peer's failure is a bug
      // in the bench or the library, and its trace is what locates it.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void server(Contestant contestant, Path dir, int connections, List<String> serves)
      throws IOException {
    List<Closeable> servers = new ArrayList<>();
    try {
      for (String serve : serves) {
        int colon = serve.indexOf(':');
        Service service = Service.of(serve.substring(0, colon));
        String transport = serve.substring(colon + 1);
        String endpoint = Addresses.listenAt(transport, dir, service.label());
        Contestant.Server server = contestant.serve(endpoint, service, connections);
        servers.add(server);
        System.out.printf("listening %s %s %s%n", service.label(), transport, server.endpoint);
      }
      long rssBefore = residentKib();
      System.out.println("ready");
      System.out.flush();
      BufferedReader parent =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      // The parent closes our standard input (or kills us) when it is done with us.
      for (String line; (line = parent.readLine()) != null; ) {
        if (!line.equals("measure")) {
          throw new IOException("unexpected order to a bench server: " + line);
        }
        long rss = residentKib();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        System.out.printf(
            "measured rss_kib=%d rss_before_kib=%d heap_kib=%d threads=%d%n",
            rss, rssBefore, heap, ManagementFactory.getThreadMXBean().getThreadCount());
        System.out.flush();
      }
    } finally {
      for (Closeable server : servers) {
        server.close();
      }
    }
  }

  /** This process's resident set (VmRSS), in KiB. */
  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  private static void client(Contestant contestant, Scale scale) throws IOException {
    BufferedReader orders =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String order; (order = orders.readLine()) != null; ) {
      String[] f = order.split(" ");
      if (f.length != 4) {
        throw new IOException("expected WORKLOAD TRANSPORT ENDPOINT SERVER_PID, got: " + order);
      }
      Workload workload = Workloads.of(f[0]);
      Compilers compilers = Compilers.of(Long.parseLong(f[3]));
      Client client = new Client(contestant, scale, compilers, orders);
      Map<String, Double> figures = workload.run(client, f[2]);
      System.out.printf(
          "result %s %s %s%n",
          workload.label,
          f[1],
          figures.entrySet().stream()
              .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%s", e.getValue()))
              .collect(Collectors.joining(" ")));
      System.out.flush();
    }
  }
}
