package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server and client on two different hosts, as far as the network can tell: two network namespaces,
 * each with one end of a veth pair and its own address (10.77.0.1 and 10.77.0.2, which exist only
 * inside them). Needs root and iproute2; skipped with the reason otherwise. Everything it creates
 * is removed, also when it fails.
 */
@Timeout(60)
class RemoteTest {
  @Test
  void echoOverTcpBetweenTwoNetworkNamespaces() throws Exception {
    try (Namespaces hosts = Namespaces.create()) {
      try (Sample server =
          Sample.startUnder(hosts.inServer(), "echo-server", "tcp://10.77.0.1:0")) {
        String endpoint = server.awaitListening();
        assertTrue(endpoint.matches("tcp://10\\.77\\.0\\.1:\\d+"), endpoint);
        Sample.Result r =
            finish(Sample.startUnder(hosts.inClient(), "echo-client", endpoint, "over", "veth"));
        assertEquals(0, r.exit, r.toString());
        assertEquals("over\nveth\n", r.out);
      }
    }
  }

  @Test
  void echoOverUdpBetweenTwoNetworkNamespaces() throws Exception {
    Transports.assumeUdp();
    try (Namespaces hosts = Namespaces.create()) {
      try (Sample server =
          Sample.startUnder(hosts.inServer(), "echo-server", "udp://10.77.0.1:0")) {
        String endpoint = server.awaitListening();
        Sample.Result r =
            finish(Sample.startUnder(hosts.inClient(), "echo-client", endpoint, "datagram", "two"));
        assertEquals(0, r.exit, r.toString());
        assertEquals("datagram\ntwo\n", r.out);
      }
    }
  }

  private static Sample.Result finish(Sample s) throws Exception {
    try (s) {
      return s.finish();
    }
  }

  /** Two namespaces and the veth pair between them; {@link #close()} removes them. */
  static final class Namespaces implements AutoCloseable {
    private final String server;
    private final String client;
    private final List<String> created = new ArrayList<>();

    private Namespaces(String tag) {
      this.server = "ipc4j-s-" + tag;
      this.client = "ipc4j-c-" + tag;
    }

    static Namespaces create() throws Exception {
      assumeTrue(Interop.has("ip"), "ip is not installed (Debian package iproute2)");
      Interop.Run id = Interop.run(List.of("id", "-u"), "");
      assumeTrue(id.out.strip().equals("0"), "creating network namespaces needs root");
      removeLeftovers();
      long pid = ProcessHandle.current().pid();
      Namespaces n = new Namespaces(pid + "-" + System.nanoTime() % 100000);
      try {
        n.setUp(pid);
      } catch (Exception | Error e) {
        n.close();
        throw e;
      }
      return n;
    }

    List<String> inServer() {
      return List.of("ip", "netns", "exec", server);
    }

    List<String> inClient() {
      return List.of("ip", "netns", "exec", client);
    }

    private void setUp(long pid) throws Exception {
      for (String ns : List.of(server, client)) {
        // The capability check: a container without CAP_SYS_ADMIN fails here, and skips.
        ipOrSkip("this machine cannot create network namespaces", "netns", "add", ns);
        created.add(ns);
      }
      // Both ends are born inside their namespaces: nothing appears in the host's, even briefly.
      String veth = "i4" + Long.toString(pid % 1_000_000, 36);
      ip(
          "link",
          "add",
          veth + "s",
          "netns",
          server,
          "type",
          "veth",
          "peer",
          "name",
          veth + "c",
          "netns",
          client);
      ip("-n", server, "addr", "add", "10.77.0.1/24", "dev", veth + "s");
      ip("-n", client, "addr", "add", "10.77.0.2/24", "dev", veth + "c");
      for (String[] end : new String[][] {{server, veth + "s"}, {client, veth + "c"}}) {
        ip("-n", end[0], "link", "set", "lo", "up");
        ip("-n", end[0], "link", "set", end[1], "up");
      }
    }

    /** Removes namespaces that a killed earlier run of this test left behind. */
    private static void removeLeftovers() throws Exception {
      for (String line : Interop.run(List.of("ip", "netns", "list"), "").out.split("\n")) {
        String name = line.split(" ")[0];
        if (name.matches("ipc4j-[sc]-\\d+-\\d+")) {
          long owner = Long.parseLong(name.split("-")[2]);
          if (ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true)) {
            Interop.run(List.of("ip", "netns", "del", name), "");
          }
        }
      }
    }

    /** Runs ip; a failure means this machine cannot (a container without CAP_SYS_ADMIN...). */
    private static void ipOrSkip(String why, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of("ip"));
      command.addAll(List.of(args));
      Interop.Run r = Interop.run(command, "");
      assumeTrue(r.exit == 0, () -> why + ": " + String.join(" ", command) + ": " + r.err.strip());
    }

    private static void ip(String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of("ip"));
      command.addAll(List.of(args));
      Interop.Run r = Interop.run(command, "");
      assertEquals(0, r.exit, String.join(" ", command) + ": " + r.err);
    }

    /** Deleting a namespace deletes the veth end inside it, and so the pair. */
    @Override
    public void close() throws Exception {
      Exception failure = null;
      for (String ns : created) {
        try {
          Interop.Run r = Interop.run(List.of("ip", "netns", "del", ns), "");
          if (r.exit != 0) {
            throw new IllegalStateException("ip netns del " + ns + ": " + r.err);
          }
        } catch (Exception e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
