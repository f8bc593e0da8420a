package io.ipc4j;

import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DatagramEndpoint} over a provider's {@link DatagramSocket}. Datagrams are received
 * through a buffer one byte larger than the maximum, so that one the kernel had to cut is
 * recognised and reported, never handed on cut; sends go straight to the socket, one at a time if
 * there is a write timeout.
 */
final class SocketDatagramEndpoint implements DatagramEndpoint {
  private final DatagramSocket socket;
  private final int maxMessageSize;
  private final Guard guard;
  private final ReentrantLock receiveLock = new ReentrantLock();

  /**
   * Taken by each send while there is a write timeout: the guard has one slot for the write
   * deadline, and a send that ended while another was blocked would clear that one's deadline, so
   * that it could block for ever. Null without a write timeout, where sends run side by side.
   */
  private final ReentrantLock sendLock;

  private final AtomicBoolean closed = new AtomicBoolean();
  private ByteBuffer in;

  SocketDatagramEndpoint(DatagramSocket socket, IpcOptions options) {
    this.socket = socket;
    this.maxMessageSize =
        Math.min(options.get(StandardIpcOptions.MAX_MESSAGE_SIZE), socket.maxDatagramSize());
    this.guard = Guard.of(this, "endpoint", socket::localEndpoint, options);
    this.sendLock = guard.guardsWrites() ? new ReentrantLock() : null;
  }

  @Override
  public Endpoint localEndpoint() {
    return socket.localEndpoint();
  }

  @Override
  public void send(Endpoint target, ByteBuffer message) throws IOException {
    Objects.requireNonNull(target, "target");
    Endpoint local = socket.localEndpoint();
    if (target.kind() != Endpoint.Kind.DATAGRAM || target.isUnix() != local.isUnix()) {
      throw new IllegalArgumentException(
          "cannot send from "
              + local
              + " to another kind of endpoint (expected: "
              + (local.isUnix() ? "unixgram" : "udp, udp4 or udp6")
              + "): "
              + target);
    }
    sendTo(target, message);
  }

  /** Sends to {@code target}, or to the connected peer if null. */
  void sendTo(Endpoint target, ByteBuffer message) throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    Messages.checkSendSize(
        message.remaining(),
        maxMessageSize,
        target != null ? target : socket.remoteEndpoint().orElse(socket.localEndpoint()));
    if (sendLock == null) {
      guardedSend(target, message);
      return;
    }
    sendLock.lock();
    try {
      guardedSend(target, message);
    } finally {
      sendLock.unlock();
    }
  }

  private void guardedSend(Endpoint target, ByteBuffer message) throws IOException {
    if (closed.get()) { // by a timeout of the send this one waited for
      throw new ClosedChannelException();
    }
    guard.armWrite();
    try {
      socket.send(message, target);
    } catch (IOException e) {
      throw guard.translate(e, Guard.WRITE);
    } finally {
      guard.disarmWrite();
    }
  }

  @Override
  public Datagram receive() throws IOException {
    receiveLock.lock();
    try {
      Endpoint sender = receiveDatagram();
      ByteBuffer payload = ByteBuffer.allocate(in.remaining());
      payload.put(in);
      return new Datagram(sender, payload.flip());
    } finally {
      receiveLock.unlock();
    }
  }

  @Override
  public Endpoint receive(ByteBuffer dst) throws IOException {
    receiveLock.lock();
    try {
      Endpoint sender = receiveDatagram();
      if (in.remaining() > dst.remaining()) {
        throw Messages.doesNotFit(in.remaining(), dst.remaining(), sender);
      }
      dst.put(in);
      return sender;
    } finally {
      receiveLock.unlock();
    }
  }

  /** Receives one datagram into {@code in}, flipped, and returns its sender. */
  private Endpoint receiveDatagram() throws IOException {
    if (closed.get() || !socket.isOpen()) {
      throw new ClosedChannelException();
    }
    if (in == null) {
      in = ByteBuffer.allocateDirect(maxMessageSize + 1);
    }
    in.clear();
    guard.armRead();
    Endpoint sender;
    try {
      sender = socket.receive(in);
    } catch (IOException e) {
      throw guard.translate(e, Guard.READ);
    } finally {
      guard.disarmRead();
    }
    in.flip();
    if (in.remaining() > maxMessageSize) {
      throw Messages.overMaximum(maxMessageSize, sender);
    }
    return sender;
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : socket.unwrap(type);
  }

  DatagramSocket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      guard.release();
      socket.close();
    }
  }

  @Override
  public String toString() {
    return "DatagramEndpoint[" + localEndpoint() + "]";
  }
}
