package io.ipc4j.samples.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The raw contestant over streams: the same wire format as ipc4j (a 4-byte big-endian length, then
 * the payload) written by hand on a blocking {@link SocketChannel}, the way a careful programmer
 * would without a library: one write per message, of header and payload copied into one direct
 * buffer for a message of up to 4 KiB and gathered for a larger one (the faster of the two: a
 * gathering write of a small message was 5 to 20% slower on unix, see ipc4j's {@code
 * FramedConnection}), reads through a reused direct buffer so that small messages cost one read for
 * many, and large payloads read straight into the caller's buffer. The send buffers are made on the
 * first send and the copy buffer is as large as the messages have needed, so that an idle
 * connection holds little, as ipc4j's do. The read buffer starts at 1 KiB when the first message is
 * received and doubles (to 64 KiB) only while reads keep filling it, so that a server holding
 * thousands of idle connections does not hold 64 KiB for each (ipc4j's framing does the same). No
 * locks, no checks beyond what the format needs: this is the floor ipc4j is measured against. A
 * batch ({@link Link#sendAll}) is still one write per message, on purpose: that is what the batched
 * stream workloads compare ipc4j's {@code sendAll} with.
 */
final class RawLink implements Link {
  /** Payload bytes still missing above which reading straight into the caller's buffer pays. */
  private static final int DIRECT_READ = 8 * 1024;

  private static final int FIRST_BUFFER = 1024;
  private static final int LARGEST_BUFFER = 64 * 1024;

  /** The largest payload copied behind its header rather than gathered with it. */
  private static final int COPY_MAX = 4096;

  private final SocketChannel channel;
  private ByteBuffer small;
  private ByteBuffer[] frame;
  private ByteBuffer in;

  RawLink(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    int length = message.remaining();
    if (length <= COPY_MAX) {
      if (small == null || small.capacity() < 4 + length) {
        int capacity = small == null ? 0 : Math.min(2 * small.capacity(), 4 + COPY_MAX);
        small = ByteBuffer.allocateDirect(Math.max(4 + length, capacity));
      }
      small.clear().putInt(length).put(message).flip();
      while (small.hasRemaining()) {
        channel.write(small);
      }
      return;
    }
    if (frame == null) {
      frame = new ByteBuffer[] {ByteBuffer.allocateDirect(4), null};
    }
    ByteBuffer header = frame[0];
    header.clear();
    header.putInt(length).flip();
    frame[1] = message;
    while (header.hasRemaining() || message.hasRemaining()) {
      channel.write(frame);
    }
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    if (in == null) {
      in = ByteBuffer.allocateDirect(FIRST_BUFFER).flip();
    }
    while (in.remaining() < 4) {
      if (fill() < 0) {
        if (in.hasRemaining()) {
          throw new EOFException("end of stream inside a header");
        }
        return -1;
      }
    }
    int length = in.getInt();
    if (length > dst.remaining()) {
      throw new IOException("message of " + length + " bytes does not fit " + dst.remaining());
    }
    int limit = dst.limit();
    dst.limit(dst.position() + length);
    try {
      while (dst.hasRemaining()) {
        if (in.hasRemaining()) {
          int n = Math.min(in.remaining(), dst.remaining());
          int inLimit = in.limit();
          in.limit(in.position() + n);
          dst.put(in);
          in.limit(inLimit);
        } else if (dst.remaining() >= DIRECT_READ) {
          if (channel.read(dst) < 0) {
            throw new EOFException("end of stream inside a message");
          }
        } else if (fill() < 0) {
          throw new EOFException("end of stream inside a message");
        }
      }
    } finally {
      dst.limit(limit);
    }
    return length;
  }

  private int fill() throws IOException {
    in.compact();
    int n;
    try {
      n = channel.read(in);
    } finally {
      in.flip();
    }
    if (n > 0 && in.limit() == in.capacity() && in.capacity() < LARGEST_BUFFER) {
      // The read filled the buffer: more was probably waiting. Grow, keeping what is unread.
      in = ByteBuffer.allocateDirect(in.capacity() * 2).put(in).flip();
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
