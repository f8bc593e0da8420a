package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.testkit.DatagramEndpointContract;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpDatagramEndpointTest extends DatagramEndpointContract {
  @Override
  protected Endpoint newEndpoint() {
    return Endpoint.parse("udp://127.0.0.1:0");
  }

  @Override
  protected IpcOptions options() {
    return IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");
  }

  @Override
  protected int transportMaxMessageSize() {
    return 65_507; // 65,535 less the IPv4 and UDP headers
  }
}
