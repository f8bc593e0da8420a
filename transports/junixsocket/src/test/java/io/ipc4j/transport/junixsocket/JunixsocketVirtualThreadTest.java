package io.ipc4j.transport.junixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * junixsocket takes other code paths on virtual threads (Java 21+), where IpcServer runs its
 * handlers; skipped on older JVMs.
 */
@Timeout(30)
class JunixsocketVirtualThreadTest {
  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();
  @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jv-");

  @BeforeEach
  void requireVirtualThreads() {
    assumeTrue(Background.virtualThreadsAvailable(), "virtual threads need Java 21+");
  }

  /** junixsocket's own connect retries a refused connection for as long as it may. */
  @Test
  void connectingToStaleSocketFailsAtOnceWithoutTimeout() throws Throwable {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-jx-");
    try {
      Endpoint endpoint = Endpoint.parse("unix://" + dir.resolve("s.sock"));
      StreamAcceptor acceptor = provider.listen(endpoint, IpcOptions.DEFAULTS);
      Path link = Files.createLink(dir.resolve("stale.sock"), endpoint.path());
      acceptor.close();
      Endpoint stale = Endpoint.parse("unix://" + link);
      IpcOptions noLimit = IpcOptions.of(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ZERO);
      Background<StreamSocket> connect =
          Background.virtual("connect", () -> provider.connect(stale, noLimit));
      ExecutionException e = assertThrows(ExecutionException.class, connect::get);
      assertInstanceOf(ConnectException.class, e.getCause());
      assertEquals(stale + ": connection refused", e.getCause().getMessage());
    } finally {
      Files.deleteIfExists(dir.resolve("stale.sock"));
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void roundTripsAndUnblocksReadOnClose() throws Throwable {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint();
    StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, IpcOptions.DEFAULTS));
    Background<StreamSocket> connect =
        Background.virtual("connect", () -> provider.connect(endpoint, IpcOptions.DEFAULTS));
    StreamSocket server = fixture.closeAfter(acceptor.accept());
    StreamSocket client = fixture.closeAfter(connect.get());
    Background<Integer> read =
        Background.virtual(
            "read",
            () -> {
              ByteBuffer b = ByteBuffer.allocate(1);
              client.read(b);
              return (int) b.get(0);
            });
    server.write(ByteBuffer.wrap(new byte[] {42}));
    assertEquals(42, read.get());

    Background<Integer> blocked =
        Background.virtual("blocked-read", () -> client.read(ByteBuffer.allocate(1)));
    assertTrue(blocked.awaitBlocked(), "the read should block on a silent peer");
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, blocked::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
  }

  /** junixsocket opens SOCK_SEQPACKET as datagram sockets, which take yet other code paths. */
  @Test
  void packetsRoundTripAndReceiveUnblocksOnClose() throws Throwable {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
    PacketAcceptor acceptor =
        fixture.closeAfter(provider.listenPacket(endpoint, IpcOptions.DEFAULTS));
    Background<PacketSocket> connect =
        Background.virtual("connect", () -> provider.connectPacket(endpoint, IpcOptions.DEFAULTS));
    PacketSocket server = fixture.closeAfter(acceptor.accept());
    PacketSocket client = fixture.closeAfter(connect.get());
    Background<Integer> receive =
        Background.virtual("receive", () -> client.receive(ByteBuffer.allocate(4)));
    server.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertEquals(3, receive.get());

    Background<Integer> blocked =
        Background.virtual("blocked-receive", () -> client.receive(ByteBuffer.allocate(4)));
    assertTrue(blocked.awaitBlocked(), "the receive should block on a silent peer");
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, blocked::get);
    assertInstanceOf(AsynchronousCloseException.class, e.getCause());
  }

  @Test
  void connectTimesOutWhenBacklogIsFull() throws Throwable {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint();
    IpcOptions options =
        IpcOptions.builder()
            .set(StandardIpcOptions.BACKLOG, 1)
            .set(StandardIpcOptions.CONNECT_TIMEOUT, Duration.ofMillis(200))
            .build();
    fixture.closeAfter(provider.listen(endpoint, options));
    Throwable timeout = null;
    for (int i = 0; i < 10 && timeout == null; i++) {
      Background<StreamSocket> connect =
          Background.virtual("connect", () -> provider.connect(endpoint, options));
      try {
        fixture.closeAfter(connect.get());
      } catch (ExecutionException e) {
        timeout = e.getCause();
      }
    }
    assertInstanceOf(SocketTimeoutException.class, timeout);
    assertEquals(
        "connect timed out after 200 ms (connectTimeout): " + endpoint, timeout.getMessage());
  }
}
