package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bench server in a JVM of its own ({@code Peer server}): the endpoints it listens on, and its
 * memory on request.
 */
final class ServerProcess implements AutoCloseable {
  private final ChildProcess process;
  private final Map<String, String> endpoints = new LinkedHashMap<>();

  private ServerProcess(ChildProcess process) {
    this.process = process;
  }

  /**
   * Starts a server of {@code contestant} for each service and transport in {@code serves}, with
   * its socket files in {@code dir}; {@code connections} as for {@link Contestant#serve}. Returns
   * at once: {@link #awaitReady} waits for it.
   */
  static ServerProcess start(
      List<String> prefix,
      List<String> jvmOptions,
      Contestant contestant,
      Path dir,
      int connections,
      Map<Service, List<String>> serves)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add("server");
    args.add(contestant.label());
    args.add(dir.toString());
    args.add(Integer.toString(connections));
    serves.forEach(
        (service, transports) -> transports.forEach(t -> args.add(service.label() + ":" + t)));
    return new ServerProcess(ChildProcess.start(prefix, jvmOptions, args));
  }

  /** Reads {@code listening SERVICE TRANSPORT ENDPOINT} lines up to {@code ready}. */
  ServerProcess awaitReady(long seconds) throws IOException, InterruptedException {
    for (String line; !(line = process.nextLine(seconds)).equals("ready"); ) {
      String[] f = line.split(" ");
      if (f.length != 4 || !f[0].equals("listening")) {
        throw new IOException("unexpected output from the bench server: " + line);
      }
      endpoints.put(f[1] + " " + f[2], f[3]);
    }
    return this;
  }

  String endpoint(Service service, String transport) {
    String endpoint = endpoints.get(service.label() + " " + transport);
    if (endpoint == null) {
      throw new IllegalStateException("the bench server has no " + service + " on " + transport);
    }
    return endpoint;
  }

  /** Its resident memory now and before any client came, its heap after a full collection. */
  Map<String, Double> measure() throws IOException, InterruptedException {
    process.send("measure");
    return Turn.figures(process.nextLine(Round.START_SECONDS), "measured", 1);
  }

  /** Its process id, by which a client watches its compilers ({@link Compilers}). */
  long pid() {
    return process.pid();
  }

  /** Ends its standard input and waits for it to exit with 0. */
  void finish() throws IOException, InterruptedException {
    process.finish(Round.START_SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
