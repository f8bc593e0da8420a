package io.ipc4j.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round: for each contestant and setting (apart, pinned) a fresh server JVM and a fresh client
 * JVM (so that neither contestant's code warms up or pollutes the other's), then every workload on
 * every transport, both contestants' turns at a time ({@link Workload#turns}): ipc4j first in odd
 * rounds and raw first in even ones, their measurements interleaved in slices, so that both sides
 * of each comparison run under the same load on a shared machine. Processes that are not measuring
 * wait on their standard input and cost nothing. A workload that needs a server of its own per turn
 * ({@link Workload.Setting#OWN_SERVER}) gets it from {@link #startOwnServer}.
 */
final class Round {
  /** Starting a JVM on a loaded machine can take seconds. */
  static final long START_SECONDS = 30;

  /** A turn takes a few seconds at full scale; allow for a slow, loaded machine. */
  static final long TURN_SECONDS = 150;

  private final Scale scale;
  private final List<Workload> workloads;
  private final Map<Workload.Setting, Placement> placements;
  private final Path dir;
  private final int number;
  private final List<AutoCloseable> children = new ArrayList<>();
  private int ownServers;

  /**
   * @param placements where the processes of the apart and the pinned settings run; servers of
   *     their own run as the apart ones
   * @param dir where the servers' socket files go
   * @param number this round's number, from 1
   */
  Round(
      Scale scale,
      List<Workload> workloads,
      Map<Workload.Setting, Placement> placements,
      Path dir,
      int number) {
    this.scale = scale;
    this.workloads = workloads;
    this.placements = placements;
    this.dir = dir;
    this.number = number;
  }

  void run(Results results) throws IOException, InterruptedException {
    try {
      Map<Workload.Setting, Map<Contestant, ServerProcess>> servers =
          new EnumMap<>(Workload.Setting.class);
      Map<Workload.Setting, Map<Contestant, ChildProcess>> clients =
          new EnumMap<>(Workload.Setting.class);
      for (Workload.Setting setting : List.of(Workload.Setting.APART, Workload.Setting.PINNED)) {
        Map<Service, List<String>> serves = serves(setting);
        boolean needed =
            !serves.isEmpty()
                || (setting == Workload.Setting.APART
                    && workloads.stream().anyMatch(w -> w.setting == Workload.Setting.OWN_SERVER));
        if (!needed) {
          continue;
        }
        Placement placement = placements.get(setting);
        for (Contestant c : Contestant.values()) {
          if (!serves.isEmpty()) {
            Path serverDir =
                Files.createDirectories(
                    dir.resolve(setting.name().toLowerCase() + "-" + c.label()));
            ServerProcess server =
                ServerProcess.start(placement.server(), List.of(), c, serverDir, 0, serves);
            children.add(server);
            servers.computeIfAbsent(setting, s -> new LinkedHashMap<>()).put(c, server);
          }
          ChildProcess client =
              ChildProcess.start(
                  placement.client(),
                  List.of(),
                  List.of("client", c.label(), scale.name, Integer.toString(scale.connections)));
          children.add(client);
          clients.computeIfAbsent(setting, s -> new LinkedHashMap<>()).put(c, client);
        }
      }
      for (Map<Contestant, ServerProcess> bySetting : servers.values()) {
        for (ServerProcess server : bySetting.values()) {
          server.awaitReady(START_SECONDS);
        }
      }
      for (Workload w : workloads) {
        Workload.Setting setting =
            w.setting == Workload.Setting.OWN_SERVER ? Workload.Setting.APART : w.setting;
        for (String transport : w.transports) {
          List<Turn> turns = new ArrayList<>();
          for (Contestant c : order()) {
            ServerProcess server = servers.getOrDefault(setting, Map.of()).get(c);
            turns.add(new Turn(w, transport, c, scale, clients.get(setting).get(c), server, this));
          }
          Map<Contestant, Map<String, Double>> figures = w.turns(turns);
          for (Contestant c : order()) {
            results.add(transport, w, c, figures.get(c));
          }
        }
      }
      for (Map<Contestant, ChildProcess> bySetting : clients.values()) {
        for (ChildProcess client : bySetting.values()) {
          client.finish(START_SECONDS);
        }
      }
      for (Map<Contestant, ServerProcess> bySetting : servers.values()) {
        for (ServerProcess server : bySetting.values()) {
          server.finish();
        }
      }
    } finally {
      for (AutoCloseable child : children) {
        try {
          child.close();
        } catch (Exception e) {
          // Killing what is left: nothing more to do about one that resists.
        }
      }
    }
  }

  /** The contestants in this round's order: ipc4j first in odd rounds, raw first in even ones. */
  private List<Contestant> order() {
    return number % 2 == 1
        ? List.of(Contestant.IPC4J, Contestant.RAW)
        : List.of(Contestant.RAW, Contestant.IPC4J);
  }

  /** What the servers of {@code setting} serve: each workload's service on its transports. */
  private Map<Service, List<String>> serves(Workload.Setting setting) {
    Map<Service, List<String>> serves = new EnumMap<>(Service.class);
    for (Workload w : workloads) {
      if (w.setting == setting) {
        List<String> transports = serves.computeIfAbsent(w.service, s -> new ArrayList<>());
        for (String t : w.transports) {
          if (!transports.contains(t)) {
            transports.add(t);
          }
        }
      }
    }
    return serves;
  }

  /** A fresh server JVM, placed as the apart ones, serving {@code service} on {@code transport}. */
  ServerProcess startOwnServer(
      List<String> jvmOptions,
      Contestant contestant,
      Service service,
      String transport,
      int connections)
      throws IOException, InterruptedException {
    Path serverDir = Files.createDirectories(dir.resolve("own-" + ++ownServers));
    ServerProcess server =
        ServerProcess.start(
            placements.get(Workload.Setting.APART).server(),
            jvmOptions,
            contestant,
            serverDir,
            connections,
            Map.of(service, List.of(transport)));
    children.add(server);
    return server.awaitReady(START_SECONDS);
  }
}
