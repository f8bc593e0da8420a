package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ipc4j.DescriptorPassing;
import io.ipc4j.Ipc;
import io.ipc4j.MessageConnection;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The other process of {@link JunixsocketDescriptorPassingTest#passesAnOpenFileToAnotherProcess}:
 * connects to the endpoint it is given, receives one message with a file descriptor, prints the
 * message and the file's content read through the descriptor, and answers.
 */
final class DescriptorChild {
  private DescriptorChild() {}

  public static void main(String[] args) throws Exception {
    try (MessageConnection c = Ipc.connectMessages(args[0], TestEndpoints.RECEIVING)) {
      DescriptorPassing passing = c.unwrap(DescriptorPassing.class).orElseThrow();
      ByteBuffer message = c.receive();
      List<FileDescriptor> received = passing.receivedDescriptors();
      System.out.print(
          "message=" + UTF_8.decode(message) + " descriptors=" + received.size() + "\n");
      try (FileInputStream in = new FileInputStream(received.get(0))) {
        System.out.print("content=" + new String(in.readAllBytes(), UTF_8) + "\n");
      }
      System.out.flush();
      c.send(ByteBuffer.wrap("done".getBytes(UTF_8)));
    }
  }
}
