package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import java.util.concurrent.atomic.AtomicLong;

/** Endpoints and options the tests of this transport share. */
final class TestEndpoints {
  private static final AtomicLong names = new AtomicLong();

  /** Options that force this transport. */
  static final IpcOptions JUNIXSOCKET = IpcOptions.of(StandardIpcOptions.PROVIDER, "junixsocket");

  /** This transport, receiving file descriptors. */
  static final IpcOptions RECEIVING =
      JUNIXSOCKET.with(StandardIpcOptions.RECEIVE_DESCRIPTORS, true);

  private TestEndpoints() {}

  /** An abstract name no other test (nor another run of this JVM's tests) uses. */
  static Endpoint newAbstractEndpoint() {
    return Endpoint.parse(
        "unix:@ipc4j-test-" + ProcessHandle.current().pid() + "-" + names.incrementAndGet());
  }
}
