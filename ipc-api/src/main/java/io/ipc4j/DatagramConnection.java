package io.ipc4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MessageConnection} over a connected datagram socket: each message one datagram, to and
 * from one peer. There is no end of stream: {@code receive} waits for the next datagram, and the
 * transport's capabilities say whether any arrive at all. A batch ({@link #sendAll}) is one
 * datagram per message under the send lock, which {@link #send} takes too so that no message of
 * another thread lands inside a batch.
 */
final class DatagramConnection implements MessageConnection {
  private final SocketDatagramEndpoint endpoint;
  private final Endpoint remote;
  private final ReentrantLock sendLock = new ReentrantLock();

  DatagramConnection(SocketDatagramEndpoint endpoint, Endpoint remote) {
    this.endpoint = endpoint;
    this.remote = remote;
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    sendLock.lock();
    try {
      endpoint.sendTo(null, message);
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
    // Neither a connected udp socket nor junixsocket's unixgram sends an empty datagram (see the
    // README): refused up front, so that the batch is sent whole or not at all.
    Messages.checkBatch(messages, offset, length, endpoint.maxMessageSize(), false, remote);
    if (length == 0) {
      return;
    }
    sendLock.lock();
    try {
      for (int i = offset; i < offset + length; i++) {
        endpoint.sendTo(null, messages[i]);
      }
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public ByteBuffer receive() throws IOException {
    return endpoint.receive().payload();
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    int before = dst.position();
    endpoint.receive(dst);
    return dst.position() - before;
  }

  @Override
  public int maxMessageSize() {
    return endpoint.maxMessageSize();
  }

  @Override
  public Endpoint localEndpoint() {
    return endpoint.localEndpoint();
  }

  @Override
  public Endpoint remoteEndpoint() {
    return remote;
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return Optional.empty();
  }

  @Override
  public boolean isOpen() {
    return endpoint.isOpen();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : endpoint.unwrap(type);
  }

  @Override
  public void close() throws IOException {
    endpoint.close();
  }

  @Override
  public String toString() {
    return "MessageConnection[" + localEndpoint() + " <-> " + remote + "]";
  }
}
