package io.ipc4j.samples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Ipc;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.TransportUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which transports this JVM has, found by trying them, so that tests of the others are skipped.
 * Only the library's own word that a transport is unavailable ({@link
 * TransportUnavailableException}) skips; any other failure of the probe is a failure, or a
 * regression would pass as a skip.
 */
final class Transports {
  private Transports() {}

  /** Skips the test unless {@code udp} datagrams work here. */
  static void assumeUdp() {
    String missing = probe("udp://127.0.0.1:0");
    assumeTrue(missing == null, () -> "no udp transport: " + missing);
  }

  /** Skips the test unless {@code unixgram} datagrams work here. */
  static void assumeUnixgram() {
    String missing = null;
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-probe-");
      try {
        missing = probe("unixgram://" + dir.resolve("p.sock"));
      } finally {
        Files.deleteIfExists(dir.resolve("p.sock"));
        Files.delete(dir);
      }
    } catch (IOException e) {
      missing = e.toString();
    }
    String why = missing;
    assumeTrue(why == null, () -> "no unixgram transport: " + why);
  }

  /** Skips the test unless {@code unixpacket} (SOCK_SEQPACKET) listeners work here. */
  static void assumeUnixpacket() {
    String missing;
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-probe-");
      try (Listener<MessageConnection> l = Ipc.listenMessages("unixpacket://" + dir.resolve("p"))) {
        missing = null;
      } catch (TransportUnavailableException e) {
        missing = e.getMessage();
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("probing unixpacket failed", e);
      } finally {
        Files.deleteIfExists(dir.resolve("p"));
        Files.delete(dir);
      }
    } catch (IOException e) {
      missing = e.toString();
    }
    String why = missing;
    assumeTrue(why == null, () -> "no unixpacket transport: " + why);
  }

  /** Null if a datagram endpoint binds there, or why not. */
  private static String probe(String endpoint) {
    try (DatagramEndpoint d = Ipc.bind(endpoint)) {
      return null;
    } catch (TransportUnavailableException e) {
      return e.getMessage();
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("probing " + endpoint + " failed", e);
    }
  }
}
