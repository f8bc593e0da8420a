package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXSocketAddress;

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

  /** An abstract name of 107 bytes: the kernel's limit, one more than any endpoint can hold. */
  static AFUNIXSocketAddress namelessAddress() throws IOException {
    String prefix =
        "ipc4j-nameless-" + ProcessHandle.current().pid() + "-" + new Random().nextInt();
    return AFUNIXSocketAddress.inAbstractNamespace(prefix + "x".repeat(107 - prefix.length()));
  }

  /**
   * An abstract name that is not UTF-8 (it ends in byte 0xff), as a C client may bind: no endpoint
   * can hold it, and decoding it leniently would name another socket.
   */
  static AFUNIXSocketAddress undecodableAddress() throws IOException {
    byte[] name =
        ("@ipc4j-undecodable-" + ProcessHandle.current().pid() + "-" + new Random().nextInt() + "?")
            .getBytes(StandardCharsets.US_ASCII);
    name[0] = 0;
    name[name.length - 1] = (byte) 0xff;
    return AFUNIXSocketAddress.of(name);
  }

  /**
   * An abstract name of either kind above, by {@code kind}: {@code long} or {@code undecodable}.
   */
  static AFUNIXSocketAddress unnameableAddress(String kind) throws IOException {
    switch (kind) {
      case "long":
        return namelessAddress();
      case "undecodable":
        return undecodableAddress();
      default:
        throw new IllegalArgumentException(
            "unknown kind " + kind + " (expected: long, undecodable)");
    }
  }
}
