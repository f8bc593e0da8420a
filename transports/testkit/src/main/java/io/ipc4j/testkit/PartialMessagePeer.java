package io.ipc4j.testkit;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import java.nio.ByteBuffer;

/**
 * A peer for {@link MessageConnectionContract} that runs in its own JVM: it connects to the
 * endpoint given as first argument (with the provider named by the second, if any), sends the
 * header of a {@value #ANNOUNCED}-byte message and {@value #SENT} bytes of it, prints {@value
 * #READY} and waits to be killed.
 */
public final class PartialMessagePeer {
  /** The line printed once the partial message is sent. */
  public static final String READY = "ready";

  /** The length announced in the header. */
  public static final int ANNOUNCED = 1000;

  /** The payload bytes actually sent. */
  public static final int SENT = 10;

  private PartialMessagePeer() {}

  public static void main(String[] args) throws Exception {
    IpcOptions options =
        args.length > 1 && !args[1].isEmpty()
            ? IpcOptions.of(StandardIpcOptions.PROVIDER, args[1])
            : IpcOptions.DEFAULTS;
    StreamConnection connection = Ipc.connect(Endpoint.parse(args[0]), options);
    ByteBuffer frame = ByteBuffer.allocate(4 + SENT).putInt(ANNOUNCED);
    while (frame.hasRemaining()) {
      frame.put((byte) frame.position());
    }
    connection.write(frame.flip());
    System.out.println(READY);
    System.out.flush();
    // Hold the connection open until the test kills this process.
    while (System.in.read() >= 0) {
      // keep waiting
    }
    connection.close();
  }
}
