package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.testkit.ServerContract;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(60)
@ExtendWith(NotOverJunixsocket.class)
class JunixsocketPacketServerTest extends ServerContract {
  @Override
  protected Endpoint newEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
  }
}
