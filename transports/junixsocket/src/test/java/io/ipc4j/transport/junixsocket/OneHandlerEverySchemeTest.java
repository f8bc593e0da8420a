package io.ipc4j.transport.junixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcEventListener;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageHandler;
import io.ipc4j.PeerAuthorizer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ipc4j's promise: one program over any transport. The very same handler instance serves tcp, unix,
 * unixpacket, unixgram and udp (and the abstract names), with default options.
 */
@Timeout(30)
class OneHandlerEverySchemeTest {
  /** Answers every message with its text in upper case, until the conversation ends. */
  private static final MessageHandler UPPER =
      c -> {
        for (ByteBuffer m; (m = c.receive()) != null; ) {
          c.send(StandardCharsets.UTF_8.encode(text(m).toUpperCase(Locale.ROOT)));
        }
      };

  private Path dir;

  @BeforeEach
  void createDirectory() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-one-");
  }

  @AfterEach
  void deleteDirectory() throws Exception {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.delete(dir);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://127.0.0.1:0",
        "tcp://[::1]:0",
        "unix://DIR/stream.sock",
        "unixpacket://DIR/packet.sock",
        "unixgram://DIR/gram.sock",
        "udp://127.0.0.1:0",
        "udp://[::1]:0",
        "unix:@NAME-stream",
        "unixpacket:@NAME-packet",
        "unixgram:@NAME-gram"
      })
  void sameHandlerServesEveryMessageScheme(String template) throws Exception {
    Endpoint endpoint =
        Endpoint.parse(
            template
                .replace("DIR", dir.toString())
                .replace("NAME", "ipc4j-one-" + ProcessHandle.current().pid()));
    ConcurrentLinkedQueue<Endpoint> opened = new ConcurrentLinkedQueue<>();
    IpcEventListener events =
        new IpcEventListener() {
          @Override
          public void connectionOpened(Endpoint server, Endpoint peer) {
            opened.add(server);
          }
        };
    IpcServer.Builder builder =
        IpcServer.builder(endpoint).eventListener(events).messageHandler(UPPER);
    if (endpoint.isAbstract() && endpoint.kind() == Endpoint.Kind.DATAGRAM) {
      builder.authorizer(PeerAuthorizer.ANYONE); // unixgram has no peer credentials to check
    }
    try (IpcServer server = builder.start()) {
      assertEquals(endpoint.scheme(), server.endpoint().scheme());
      for (int client = 0; client < 3; client++) {
        try (MessageConnection c = Ipc.connectMessages(server.endpoint())) {
          for (String m : new String[] {"a", "hello " + client, "x".repeat(1000)}) {
            c.send(StandardCharsets.UTF_8.encode(m));
            assertEquals(m.toUpperCase(Locale.ROOT), text(c.receive()), endpoint + ": " + m);
          }
        }
      }
      assertEquals(3, opened.size(), "one connection per client: " + opened);
      assertTrue(opened.stream().allMatch(server.endpoint()::equals), opened.toString());
    }
  }

  @Test
  void abstractDatagramServerWithoutAuthorizerRefusesToStartSayingWhy() {
    Endpoint endpoint = Endpoint.parse("unixgram:@ipc4j-one-" + ProcessHandle.current().pid());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> IpcServer.builder(endpoint).messageHandler(UPPER).start());
    assertEquals(
        endpoint
            + ": peers of an abstract name are admitted by their credentials, which unixgram does"
            + " not report (expected: an explicit authorizer, such as PeerAuthorizer.ANYONE to"
            + " serve every local user)",
        e.getMessage());
  }

  private static String text(ByteBuffer m) {
    return StandardCharsets.UTF_8.decode(m).toString();
  }
}
