package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round: for each contestant a fresh server JVM and a fresh client JVM (so that neither
 * contestant's code warms up or pollutes the other's), then every workload on every transport, the
 * contestants taking turns workload by workload: ipc4j, raw, ipc4j, raw. Turns of seconds rather
 * than minutes keep both sides of each comparison under the same load on a shared machine. The
 * client that is not measuring waits on its standard input and costs nothing.
 */
final class Round {
  /** Starting a JVM on a loaded machine can take seconds. */
  private static final long START_SECONDS = 30;

  /** A workload takes a few seconds at full scale; allow for a slow, loaded machine. */
  private static final long WORKLOAD_SECONDS = 120;

  private final Scale scale;
  private final List<String> prefix;
  private final Path dir;

  Round(Scale scale, List<String> prefix, Path dir) {
    this.scale = scale;
    this.prefix = prefix;
    this.dir = dir;
  }

  void run(Results results) throws IOException, InterruptedException {
    List<ChildProcess> children = new ArrayList<>();
    try {
      Map<Contestant, ChildProcess> clients = new LinkedHashMap<>();
      Map<Contestant, Map<String, String>> endpoints = new LinkedHashMap<>();
      for (Contestant c : Contestant.values()) {
        Path serverDir = dir.resolve(c.label());
        java.nio.file.Files.createDirectories(serverDir);
        ChildProcess server =
            ChildProcess.start(prefix, List.of("server", c.label(), serverDir.toString()));
        children.add(server);
        endpoints.put(c, awaitEndpoints(server));
        ChildProcess client = ChildProcess.start(prefix, List.of("client", c.label(), scale.name));
        children.add(client);
        clients.put(c, client);
      }
      for (Workload w : Workload.values()) {
        for (String transport : Peer.TRANSPORTS) {
          for (Contestant c : Contestant.values()) {
            String endpoint = endpoints.get(c).get(w.service + " " + transport);
            clients.get(c).send(w.label + " " + transport + " " + endpoint);
            long wait = START_SECONDS + WORKLOAD_SECONDS;
            addResult(results, c, clients.get(c).nextLine(wait));
          }
        }
      }
      for (ChildProcess child : children) {
        child.finish(START_SECONDS);
      }
    } finally {
      for (ChildProcess child : children) {
        child.close();
      }
    }
  }

  /** Reads {@code listening SERVICE TRANSPORT ENDPOINT} lines up to {@code ready}. */
  private static Map<String, String> awaitEndpoints(ChildProcess server)
      throws IOException, InterruptedException {
    Map<String, String> endpoints = new LinkedHashMap<>();
    for (String line; !(line = server.nextLine(START_SECONDS)).equals("ready"); ) {
      String[] f = line.split(" ");
      if (f.length != 4 || !f[0].equals("listening")) {
        throw new IOException("unexpected output from the bench server: " + line);
      }
      endpoints.put(f[1] + " " + f[2], f[3]);
    }
    return endpoints;
  }

  private static void addResult(Results results, Contestant contestant, String line)
      throws IOException {
    String[] f = line.split(" ");
    if (f.length < 4 || !f[0].equals("result")) {
      throw new IOException("unexpected output from the bench client: " + line);
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    for (int i = 3; i < f.length; i++) {
      int eq = f[i].indexOf('=');
      figures.put(f[i].substring(0, eq), Double.parseDouble(f[i].substring(eq + 1)));
    }
    results.add(f[2], Workload.of(f[1]), contestant, figures);
  }
}
