package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.testkit.MessageConnectionContract;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(NotOverJunixsocket.class)
class JunixsocketPacketAbstractMessageConnectionTest extends MessageConnectionContract {
  @Override
  protected Endpoint newEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
  }
}
