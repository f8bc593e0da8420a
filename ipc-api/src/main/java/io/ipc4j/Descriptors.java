package io.ipc4j;

import io.ipc4j.spi.DescriptorChannel;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/** {@link DescriptorPassing} over a provider's {@link DescriptorChannel}. */
final class Descriptors implements DescriptorPassing {
  /** Sends a message with descriptors attached to its first write, under the sender's lock. */
  @FunctionalInterface
  interface Sender {
    void send(ByteBuffer message, FileDescriptor[] descriptors) throws IOException;
  }

  private final DescriptorChannel channel;
  private final Sender sender;
  private final Object connection;

  /** {@code connection}: what error messages name (its endpoints, by its {@code toString}). */
  Descriptors(DescriptorChannel channel, Sender sender, Object connection) {
    this.channel = channel;
    this.sender = sender;
    this.connection = connection;
  }

  @Override
  public void send(ByteBuffer message, FileDescriptor... descriptors) throws IOException {
    Objects.requireNonNull(message, "message");
    if (descriptors.length == 0) {
      throw new IllegalArgumentException(
          "no file descriptors (expected: at least one; use send(ByteBuffer) without any)");
    }
    for (FileDescriptor fd : descriptors) {
      if (fd == null || !fd.valid()) {
        throw new IllegalArgumentException(
            "invalid file descriptor (expected: an open one): " + fd);
      }
    }
    sender.send(message, descriptors.clone());
  }

  @Override
  public List<FileDescriptor> receivedDescriptors() {
    if (!channel.receivesDescriptors()) {
      throw new IllegalStateException(
          "file descriptors are not received on this connection; the kernel closes any sent to it"
              + " (expected: StandardIpcOptions.RECEIVE_DESCRIPTORS set to true when it, or its"
              + " listener or server, was opened): "
              + connection);
    }
    return List.of(channel.takeReceived());
  }
}
