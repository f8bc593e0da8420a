package io.ipc4j.samples.bench;

import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ipc4j's side of a datagram server: a {@link DatagramEndpoint} from {@code Ipc.bind}, what a
 * telemetry collector uses (see the samples' {@code telemetry-collector}), receiving into a reused
 * buffer.
 */
final class Ipc4jDatagrams implements Datagrams {
  private final DatagramEndpoint endpoint;

  Ipc4jDatagrams(DatagramEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public Object receive(ByteBuffer dst) throws IOException {
    return endpoint.receive(dst);
  }

  @Override
  public void send(ByteBuffer message, Object to) throws IOException {
    endpoint.send((Endpoint) to, message);
  }

  @Override
  public void close() throws IOException {
    endpoint.close();
  }
}
