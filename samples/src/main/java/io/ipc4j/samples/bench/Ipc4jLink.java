package io.ipc4j.samples.bench;

import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ipc4j's side: a {@link MessageConnection} used as a user who cares about speed would, receiving
 * into a reused buffer ({@code receive(ByteBuffer)}) rather than one allocated per message.
 */
final class Ipc4jLink implements Link {
  private final MessageConnection connection;

  Ipc4jLink(MessageConnection connection) {
    this.connection = connection;
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    connection.send(message);
  }

  /** The library's batched send: many frames per gathering write over stream transports. */
  @Override
  public void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
    connection.sendAll(messages, offset, length);
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    return connection.receive(dst);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
