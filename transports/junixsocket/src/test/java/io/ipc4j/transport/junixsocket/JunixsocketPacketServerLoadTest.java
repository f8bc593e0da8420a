package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An IpcServer on {@code unixpacket} holding many clients at once. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JunixsocketPacketServerLoadTest {
  private static final int CLIENTS = 1000;

  /**
   * A thousand clients connect and stay connected; then each sends one message and every one is
   * answered, while the server holds all of them (on platform threads: junixsocket does not claim
   * virtual threads).
   */
  @Test
  void holdsAThousandConcurrentClientsAndAnswersEach() throws Exception {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
    MessageHandler echo =
        c -> {
          for (ByteBuffer m; (m = c.receive()) != null; ) {
            c.send(m);
          }
        };
    long start = System.nanoTime();
    List<MessageConnection> clients = new ArrayList<>(CLIENTS);
    try (IpcServer server = IpcServer.builder(endpoint).messageHandler(echo).start()) {
      try {
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(Ipc.connectMessages(server.endpoint()));
        }
        for (int i = 0; i < CLIENTS; i++) {
          clients.get(i).send(ByteBuffer.wrap(("client " + i).getBytes(UTF_8)));
        }
        for (int i = 0; i < CLIENTS; i++) {
          ByteBuffer reply = clients.get(i).receive();
          assertNotNull(reply, "client " + i + " answered");
          assertEquals("client " + i, UTF_8.decode(reply).toString());
        }
        assertEquals(CLIENTS, server.connectionCount(), "all held at once");
      } finally {
        for (MessageConnection c : clients) {
          c.close();
        }
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
  }
}
