package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample servers that hold connections for requests close one whose peer stays silent: idle
 * peers cannot hold every connection, and the servers are meant to face clients on other machines.
 */
@Timeout(60)
class IdleTimeoutTest {
  @ParameterizedTest
  @ValueSource(strings = {"echo-server", "file-server", "rpc-server"})
  void aSilentPeerIsDisconnectedAfterTheIdleTimeout(String command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command, "--idle-timeout", "300ms"));
    if (command.equals("file-server")) {
      args.addAll(List.of("--dir", "/tmp"));
    }
    args.add("tcp://127.0.0.1:0");
    try (Sample server = Sample.start(args.toArray(new String[0]))) {
      String listening = server.awaitListening();
      int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
      try (Socket silent = new Socket("127.0.0.1", port)) {
        silent.setSoTimeout(15_000); // far beyond the idle timeout: a failure, not a wait
        InputStream in = silent.getInputStream();
        int read;
        try {
          read = in.read();
        } catch (SocketTimeoutException e) {
          throw new AssertionError(command + " kept a silent connection open for 15 s", e);
        }
        assertEquals(-1, read, "the server closed the silent connection");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"echo-server", "file-server", "rpc-server"})
  void theIdleTimeoutIsOnByDefault(String command) throws Exception {
    Sample.Result r = Sample.run(command, "--help");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.contains("--idle-timeout=DURATION"), r.out);
    assertTrue(r.out.contains("(default: 5m)"), r.out);
  }
}
