package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.testkit.MessageConnectionContract;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JunixsocketPathMessageConnectionTest extends MessageConnectionContract {
  @Override
  protected Endpoint newEndpoint() {
    return newUnixEndpoint();
  }

  @Override
  protected IpcOptions options() {
    return TestEndpoints.JUNIXSOCKET;
  }
}
