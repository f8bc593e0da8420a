package io.ipc4j.transport.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcEventListener;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code tcp6} server on the IPv6 wildcard is dual-stack: IPv4 clients reach it too, and the JDK
 * reports them by their IPv4 address, which a {@code tcp6} endpoint cannot hold as such.
 */
@Timeout(30)
class Tcp6DualStackServerTest {
  private static final IpcOptions JDK = IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");

  @Test
  void servesAnIpv4ClientAsItsMappedAddressAndKeepsServing() throws Exception {
    LinkedBlockingQueue<Endpoint> opened = new LinkedBlockingQueue<>();
    IpcEventListener events =
        new IpcEventListener() {
          @Override
          public void connectionOpened(Endpoint server, Endpoint peer) {
            opened.add(peer);
          }
        };
    try (IpcServer server =
        IpcServer.builder("tcp6://[::]:0")
            .options(JDK)
            .eventListener(events)
            .messageHandler(
                c -> {
                  for (ByteBuffer m; (m = c.receive()) != null; ) {
                    c.send(m);
                  }
                })
            .start()) {
      int port = server.endpoint().port();

      try (MessageConnection v4 = Ipc.connectMessages("tcp4://127.0.0.1:" + port, JDK)) {
        assertEquals("four", echo(v4, "four"));
        Endpoint peer = opened.poll(10, TimeUnit.SECONDS);
        assertEquals(
            "tcp6://[::ffff:127.0.0.1]:" + v4.localEndpoint().port(),
            String.valueOf(peer),
            "an IPv4 peer of a tcp6 server, as the scheme writes it");
      }
      try (MessageConnection v6 = Ipc.connectMessages("tcp6://[::1]:" + port, JDK)) {
        assertEquals("six", echo(v6, "six"), "the server still serves after an IPv4 peer");
      }
      // The server's way of writing an IPv4 address is one a client can connect to.
      try (MessageConnection mapped =
          Ipc.connectMessages("tcp6://[::ffff:127.0.0.1]:" + port, JDK)) {
        assertEquals("mapped", echo(mapped, "mapped"));
        assertEquals("tcp6://[::ffff:127.0.0.1]:" + port, mapped.remoteEndpoint().toString());
      }
    }
  }

  private static String echo(MessageConnection c, String text) throws IOException {
    c.send(ByteBuffer.wrap(text.getBytes(US_ASCII)));
    return US_ASCII.decode(c.receive()).toString();
  }
}
