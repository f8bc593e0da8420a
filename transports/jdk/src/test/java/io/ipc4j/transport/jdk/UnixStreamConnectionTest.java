package io.ipc4j.transport.jdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.testkit.StreamConnectionContract;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UnixStreamConnectionTest extends StreamConnectionContract {
  @Override
  protected Endpoint newEndpoint() {
    return newUnixEndpoint();
  }

  @Override
  protected IpcOptions options() {
    return IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");
  }

  @Test
  void unwrapsToUnderlyingBlockingSocketChannel() throws Exception {
    try (Connected c = connect()) {
      SocketChannel client = c.client().unwrap(SocketChannel.class).orElseThrow();
      SocketChannel server = c.server().unwrap(SocketChannel.class).orElseThrow();
      assertTrue(client.isBlocking() && server.isBlocking(), "blocking channels");
      assertTrue(client.isConnected() && server.isConnected(), "connected channels");
      assertInstanceOf(UnixDomainSocketAddress.class, client.getRemoteAddress());
      c.client().close();
      assertFalse(client.isOpen(), "closing the connection closes its channel");
    }
  }
}
