package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.testkit.MessageConnectionContract;
import org.junit.jupiter.api.Timeout;

/** Message connections over connected UDP sockets, served by a listener that tells peers apart. */
@Timeout(30)
class UdpMessageConnectionTest extends MessageConnectionContract {
  @Override
  protected Endpoint newEndpoint() {
    return Endpoint.parse("udp://127.0.0.1:0");
  }

  @Override
  protected IpcOptions options() {
    return IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");
  }
}
