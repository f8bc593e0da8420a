package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.testkit.ServerContract;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JunixsocketAbstractServerTest extends ServerContract {
  @Override
  protected Endpoint newEndpoint() {
    return TestEndpoints.newAbstractEndpoint();
  }

  @Override
  protected IpcOptions options() {
    return TestEndpoints.JUNIXSOCKET;
  }
}
