package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.testkit.DatagramEndpointContract;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(NotOverJunixsocket.class)
class JunixsocketDatagramAbstractEndpointTest extends DatagramEndpointContract {
  @Override
  protected Endpoint newEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixgram");
  }
}
