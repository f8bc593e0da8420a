package io.ipc4j.samples.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload on one transport for one contestant, as the parent runs it: orders to the
 * contestant's client process and its answers, and the server it talks to.
 */
final class Turn {
  final Workload workload;
  final String transport;
  final Contestant contestant;
  final Scale scale;
  private final ChildProcess client;
  private final ServerProcess server;
  private final Round round;

  Turn(
      Workload workload,
      String transport,
      Contestant contestant,
      Scale scale,
      ChildProcess client,
      ServerProcess server,
      Round round) {
    this.workload = workload;
    this.transport = transport;
    this.contestant = contestant;
    this.scale = scale;
    this.client = client;
    this.server = server;
    this.round = round;
  }

  /** The setting's server. */
  ServerProcess server() {
    return server;
  }

  private String endpointOf(ServerProcess s) {
    return s.endpoint(workload.service, transport);
  }

  /** Has the client run the workload against {@code s} and returns its figures. */
  Map<String, Double> order(ServerProcess s) throws IOException, InterruptedException {
    send(s);
    return result();
  }

  /** Tells the client to run the workload against {@code s}. */
  void send(ServerProcess s) throws IOException {
    client.send(workload.label + " " + transport + " " + endpointOf(s) + " " + s.pid());
  }

  /** Fails unless the client's next line is {@code line}. */
  void expect(String line) throws IOException, InterruptedException {
    String got = client.nextLine(Round.TURN_SECONDS);
    if (!got.equals(line)) {
      throw new IOException("expected " + line + " from the bench client, got: " + got);
    }
  }

  /** Lets a client waiting in {@link Client#pause} go on. */
  void go() throws IOException {
    say(Client.GO);
  }

  /** Sends {@code line} to the client. */
  void say(String line) throws IOException {
    client.send(line);
  }

  /** The figures of the client's {@code result WORKLOAD TRANSPORT name=value...} line. */
  Map<String, Double> result() throws IOException, InterruptedException {
    String line = client.nextLine(Round.TURN_SECONDS);
    if (!line.startsWith("result " + workload.label + " " + transport + " ")) {
      throw new IOException("unexpected output from the bench client: " + line);
    }
    return figures(line, "result", 3);
  }

  /** A server of the contestant's own for this turn, ready; the caller closes it. */
  ServerProcess startServer(List<String> jvmOptions, Service service, int connections)
      throws IOException, InterruptedException {
    return round.startOwnServer(jvmOptions, contestant, service, transport, connections);
  }

  /** The {@code name=value} fields of {@code line} after its first {@code skip} words. */
  static Map<String, Double> figures(String line, String head, int skip) throws IOException {
    String[] f = line.split(" ");
    if (f.length < skip || !f[0].equals(head)) {
      throw new IOException("expected " + head + " from a bench peer, got: " + line);
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    for (int i = skip; i < f.length; i++) {
      int eq = f[i].indexOf('=');
      if (eq < 0) {
        throw new IOException("expected name=value from a bench peer, got: " + line);
      }
      figures.put(f[i].substring(0, eq), Double.parseDouble(f[i].substring(eq + 1)));
    }
    return figures;
  }
}
