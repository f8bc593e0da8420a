package io.ipc4j.transport.junixsocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ipc.doctor() with both transports on the class path. */
@Timeout(10)
class DoctorTest {
  @Test
  void reportsEverySchemeWithTheProviderUsedByDefaultAndThePathLimits() {
    String report = Ipc.doctor();
    for (String line :
        new String[] {
          "tcp        * jdk: HALF_CLOSE ORDERED RELIABLE VIRTUAL_THREADS",
          "udp        * jdk: BROADCAST MESSAGE_BOUNDARIES MULTICAST VIRTUAL_THREADS",
          "unixgram   * junixsocket: ",
          "unixpacket * junixsocket: ",
          "unix socket paths: at most " + Endpoint.maxUnixPathBytes() + " bytes",
        }) {
      assertTrue(report.contains(line), "report has \"" + line + "\":\n" + report);
    }
    assertTrue(
        report.matches("(?s).*unix       \\* jdk: [A-Z_ ]+\n {11}  junixsocket: .*"),
        "unix: jdk first, then junixsocket:\n" + report);
  }
}
