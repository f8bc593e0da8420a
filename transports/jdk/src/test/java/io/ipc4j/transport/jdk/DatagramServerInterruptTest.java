package io.ipc4j.transport.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peers of a datagram server share its socket, which a JDK channel closes when a thread using
 * it is interrupted: one handler's interrupt must not end the service of all.
 */
@Timeout(30)
class DatagramServerInterruptTest {
  private static final IpcOptions JDK = IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");

  @Test
  void anInterruptedHandlerAnswersAndCostsNoOtherPeer() throws Exception {
    try (IpcServer server =
            IpcServer.builder("udp://127.0.0.1:0")
                .options(JDK)
                .messageHandler(
                    c -> {
                      for (ByteBuffer m; (m = c.receive()) != null; ) {
                        // As after catching an InterruptedException and restoring the flag.
                        Thread.currentThread().interrupt();
                        c.send(m);
                        c.sendAll(ByteBuffer.wrap("batch".getBytes(US_ASCII)));
                      }
                    })
                .start();
        MessageConnection first = connect(server);
        MessageConnection second = connect(server)) {
      assertEquals("one", echo(first, "one"));
      assertEquals("batch", text(first.receive()));
      assertEquals("two", echo(second, "two"), "another peer is still served");
      assertEquals("batch", text(second.receive()));
      assertEquals("three", echo(first, "three"), "and so is the first");
    }
  }

  private static MessageConnection connect(IpcServer server) throws IOException {
    return Ipc.connectMessages(
        server.endpoint(), JDK.with(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(10)));
  }

  private static String echo(MessageConnection c, String text) throws IOException {
    c.send(ByteBuffer.wrap(text.getBytes(US_ASCII)));
    return text(c.receive());
  }

  private static String text(ByteBuffer b) {
    return US_ASCII.decode(b).toString();
  }
}
