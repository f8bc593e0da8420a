package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.testkit.UnixSocketFileContract;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JunixsocketUnixSocketFileTest extends UnixSocketFileContract {
  @Override
  protected Endpoint newEndpoint() {
    return newUnixEndpoint();
  }

  @Override
  protected IpcOptions options() {
    return TestEndpoints.JUNIXSOCKET;
  }
}
