package io.ipc4j.samples.bench;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The bench's child processes, started by {@link Bench} with their own {@code main} (not a
 * subcommand: users never run them).
 *
 * <ul>
 *   <li>{@code server CONTESTANT DIR}: serves every service on every transport, prints {@code
 *       listening SERVICE TRANSPORT ENDPOINT} for each, then {@code ready}, and stops when its
 *       standard input ends.
 *   <li>{@code client CONTESTANT SCALE}: for each line {@code WORKLOAD TRANSPORT ENDPOINT} on its
 *       standard input, runs that workload on a connection of its own and prints {@code result
 *       WORKLOAD TRANSPORT name=value...}; stops when its standard input ends. Taking orders one at
 *       a time lets the bench alternate the contestants workload by workload.
 * </ul>
 */
public final class Peer {
  static final List<String> TRANSPORTS = List.of("tcp", "unix");

  private Peer() {}

  public static void main(String[] args) {
    try {
      if (args.length == 3 && args[0].equals("server")) {
        server(Contestant.of(args[1]), Path.of(args[2]));
      } else if (args.length == 3 && args[0].equals("client")) {
        client(Contestant.of(args[1]), Scale.of(args[2]));
      } else {
        throw new IllegalArgumentException("usage: server|client ...: " + List.of(args));
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("bench peer: " + e);
      System.exit(1);
    }
  }

  private static void server(Contestant contestant, Path dir) throws IOException {
    List<Closeable> servers = new ArrayList<>();
    try {
      for (String transport : TRANSPORTS) {
        for (Service service : Service.values()) {
          String endpoint =
              transport.equals("tcp")
                  ? "tcp://127.0.0.1:0"
                  : "unix://" + dir.resolve(service.name().toLowerCase() + ".sock");
          Contestant.Server server = contestant.serve(endpoint, service);
          servers.add(server);
          System.out.printf("listening %s %s %s%n", service, transport, server.endpoint);
        }
      }
      System.out.println("ready");
      System.out.flush();
      // The parent closes our standard input (or kills us) when the round is over.
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    } finally {
      for (Closeable server : servers) {
        server.close();
      }
    }
  }

  private static void client(Contestant contestant, Scale scale) throws IOException {
    BufferedReader orders =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String order; (order = orders.readLine()) != null; ) {
      String[] f = order.split(" ");
      Workload workload = Workload.of(f[0]);
      String transport = f[1];
      Map<String, Double> figures;
      try (Link link = contestant.connect(f[2])) {
        figures = Workloads.run(workload, link, scale);
      }
      System.out.printf(
          "result %s %s %s%n",
          workload.label,
          transport,
          figures.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" ")));
      System.out.flush();
    }
  }
}
