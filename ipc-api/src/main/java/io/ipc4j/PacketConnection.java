package io.ipc4j;

import io.ipc4j.spi.DescriptorChannel;
import io.ipc4j.spi.PacketSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages over a provider's {@link PacketSocket} (SOCK_SEQPACKET): one packet per message, no
 * framing. Packets are received through a buffer one byte larger than the maximum, so that a packet
 * the kernel had to cut is recognised and reported, never handed on cut. A batch ({@link #sendAll})
 * is one packet per message under the send lock: the JDK has no {@code sendmmsg}.
 *
 * <p>That buffer is large (about 208 KiB by default), so an idle connection need not hold one:
 * where its socket can ({@link PacketSocket#idleAfter}; junixsocket's, for a server's unnamed
 * peers), it waits for a packet without a buffer ({@link PacketSocket#awaitPacket}), takes one from
 * {@link PacketBuffers} when a packet is ready, keeps it while packets keep coming, and gives it
 * back once none has come for {@value #IDLE_AFTER_MILLIS} ms. A busy connection makes one system
 * call per packet, as before; one that waited that long makes a few more for its next packet.
 */
final class PacketConnection implements MessageConnection, Drainable {
  /** How long a connection waits for a packet before it gives back its receive buffer. */
  static final int IDLE_AFTER_MILLIS = 250;

  private final PacketSocket socket;
  private final Endpoint local;
  private final int maxMessageSize;
  private final Guard guard;
  private final ReentrantLock sendLock = new ReentrantLock();
  private final ReentrantLock receiveLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The receive buffer, under receiveLock: null while the connection waits idle. */
  private ByteBuffer in;

  private volatile boolean draining;
  private volatile boolean idle;

  PacketConnection(PacketSocket socket, Endpoint local, IpcOptions options) {
    this.socket = socket;
    this.local = local;
    this.maxMessageSize =
        Math.min(options.get(StandardIpcOptions.MAX_MESSAGE_SIZE), socket.maxPacketSize());
    this.guard = Guard.of(this, "connection", socket::remoteEndpoint, options);
    socket.idleAfter(IDLE_AFTER_MILLIS);
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    send(message, null);
  }

  private void send(ByteBuffer message, FileDescriptor[] descriptors) throws IOException {
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    Messages.checkSendSize(message.remaining(), maxMessageSize, socket.remoteEndpoint());
    sendLock.lock();
    try {
      sendPacket(message, descriptors);
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
    // An empty packet would read as the end of the stream (see the README): refused up front, so
    // that the batch is sent whole or not at all.
    Messages.checkBatch(messages, offset, length, maxMessageSize, false, socket.remoteEndpoint());
    if (length == 0) {
      return;
    }
    if (closed.get()) {
      throw new ClosedChannelException();
    }
    sendLock.lock();
    try {
      for (int i = offset; i < offset + length; i++) {
        sendPacket(messages[i], null);
      }
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends one packet under the write timeout; the caller holds sendLock. */
  private void sendPacket(ByteBuffer message, FileDescriptor[] descriptors) throws IOException {
    DescriptorChannel carrier = null;
    try {
      guard.armWrite();
      if (descriptors != null) {
        carrier = socket.unwrap(DescriptorChannel.class).orElseThrow();
        carrier.attachToNextWrite(descriptors);
      }
      socket.send(message);
    } catch (IOException e) {
      throw guard.translate(e, Guard.WRITE);
    } finally {
      if (carrier != null) {
        // Gone with the packet, or, if it was refused, never to go with a later one.
        carrier.attachToNextWrite();
      }
      guard.disarmWrite();
    }
  }

  @Override
  public ByteBuffer receive() throws IOException {
    receiveLock.lock();
    try {
      int n = receivePacket();
      if (n < 0) {
        return null;
      }
      ByteBuffer message = ByteBuffer.allocate(n);
      message.put(in);
      return message.flip();
    } finally {
      unlockReceive();
    }
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    receiveLock.lock();
    try {
      int n = receivePacket();
      if (n < 0) {
        return -1;
      }
      if (n > dst.remaining()) {
        throw Messages.doesNotFit(n, dst.remaining(), socket.remoteEndpoint());
      }
      dst.put(in);
      return n;
    } finally {
      unlockReceive();
    }
  }

  /** Receives one packet into {@code in}; returns its length, or -1 at the end. */
  private int receivePacket() throws IOException {
    if (closed.get() || !socket.isOpen()) {
      throw new ClosedChannelException();
    }
    idle = true;
    try {
      if (draining) {
        return -1;
      }
      guard.armRead();
      int n;
      do {
        if (in == null) {
          socket.awaitPacket();
          in = PacketBuffers.take(maxMessageSize + 1);
        }
        n = socket.receive(in.clear());
        if (n == PacketSocket.IDLE) {
          PacketBuffers.give(in);
          in = null;
        }
      } while (n == PacketSocket.IDLE);
      if (n < 0) {
        return -1;
      }
      in.flip();
      if (in.remaining() > maxMessageSize) {
        throw Messages.overMaximum(maxMessageSize, socket.remoteEndpoint());
      }
      return in.remaining();
    } catch (IOException e) {
      throw guard.translate(e, Guard.READ);
    } finally {
      guard.disarmRead();
      idle = false;
    }
  }

  /** Releases receiveLock, then gives back the receive buffer if this connection was closed. */
  private void unlockReceive() {
    receiveLock.unlock();
    if (closed.get()) {
      releaseBuffer();
    }
  }

  /**
   * Gives back the receive buffer unless a receive holds it: closing calls this, and so does every
   * receive that ends on a closed connection, so one of them gives it back.
   */
  private void releaseBuffer() {
    if (receiveLock.tryLock()) {
      try {
        if (in != null) {
          PacketBuffers.give(in);
          in = null;
        }
      } finally {
        receiveLock.unlock();
      }
    }
  }

  @Override
  public void drain() {
    draining = true;
    if (idle) {
      try {
        socket.shutdownInput();
      } catch (IOException ignored) {
        // Already closed or shut down: the blocked receive ends either way.
      }
    }
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public Endpoint remoteEndpoint() {
    return socket.remoteEndpoint();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return socket.peerCredentials();
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type == DescriptorPassing.class) {
      return socket
          .unwrap(DescriptorChannel.class)
          .map(channel -> type.cast(new Descriptors(channel, this::send, this)));
    }
    return type.isInstance(this) ? Optional.of(type.cast(this)) : socket.unwrap(type);
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      try {
        guard.release();
        socket.close();
      } finally {
        releaseBuffer(); // Or the receive under way does, when it ends.
      }
    }
  }

  @Override
  public String toString() {
    return "MessageConnection[" + local + " <-> " + remoteEndpoint() + "]";
  }
}
