package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.testkit.StreamConnectionContract;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JunixsocketPathStreamConnectionTest extends StreamConnectionContract {
  @Override
  protected Endpoint newEndpoint() {
    return newUnixEndpoint();
  }

  @Override
  protected IpcOptions options() {
    return TestEndpoints.JUNIXSOCKET;
  }
}
