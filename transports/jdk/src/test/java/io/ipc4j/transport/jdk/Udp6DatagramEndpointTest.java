package io.ipc4j.transport.jdk;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.testkit.DatagramEndpointContract;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Udp6DatagramEndpointTest extends DatagramEndpointContract {
  @Override
  protected Endpoint newEndpoint() {
    return Endpoint.parse("udp6://[::1]:0");
  }

  @Override
  protected IpcOptions options() {
    return IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");
  }

  @Override
  protected int transportMaxMessageSize() {
    return 65_527; // 65,535 (the IPv6 payload length) less the UDP header
  }
}
