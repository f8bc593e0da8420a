package io.ipc4j;

import io.ipc4j.spi.DescriptorChannel;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages over a byte stream. Wire format: a 4-byte big-endian unsigned length, then that many
 * bytes.
 *
 * <p>Sending a message of up to {@value #COALESCE_MAX} bytes copies header and payload into one
 * direct buffer and writes that; a larger one is one gathering write of header and payload. Either
 * way one write call when the socket takes it whole, with no allocation once the connection has
 * sent a message as large before. A batch ({@link #sendAll}) is one gathering write per {@value
 * #MAX_FRAMES_PER_WRITE} frames, with no allocation once the connection has sent a batch as large
 * before. Receiving reads through a small direct buffer that grows (to {@value #MAX_BUFFER} bytes)
 * only while reads keep filling it, so small messages cost one system call or less and an idle
 * connection holds little memory. Of a large message, what the read of its header did not bring
 * along is read straight into its destination (reading its header alone instead cost a read more
 * per message: 5 to 10% of the rate of 64 KiB messages over TCP); a message whose announced size is
 * within the limit is still allocated only as its bytes arrive, so a peer that announces much and
 * sends little costs little.
 */
final class FramedConnection implements MessageConnection, Drainable {
  static final int HEADER = 4;

  /**
   * The most frames one gathering write carries: a header and a payload each, so 1024 buffers,
   * Linux's IOV_MAX (the JDK would write only the first IOV_MAX buffers of a longer array anyway).
   */
  static final int MAX_FRAMES_PER_WRITE = 512;

  /**
   * The largest payload a send copies behind its header into one buffer rather than write the two
   * gathered. A gathering write costs more than a plain one on both sides of the system call (the
   * JDK builds an I/O vector, the kernel imports it and walks two segments), more than copying a
   * few KiB that are in the cache anyway; and a heap payload is copied either way, since the JDK
   * writes a heap buffer through a temporary direct one. In the bench on Java 17, against a
   * hand-written sender that gathered, the copy took streaming over unix from about even to 1.20 of
   * its rate for 64 B messages and to 1.13 for 1 KiB ones; 2 KiB ones measured 1.16 and 4 KiB ones
   * 1.02, while 8 KiB ones, gathered by both, 0.99.
   */
  static final int COALESCE_MAX = 4096;

  private static final int INITIAL_BUFFER = 1024;
  private static final int MAX_BUFFER = 64 * 1024;
  private static final int FIRST_CHUNK = 64 * 1024;

  /**
   * From this many missing bytes of a message on, read them straight into the destination: a copy
   * through the buffer would cost more than the system call it might save. (Comparing with the
   * buffer's capacity instead made every 64 KiB message take the copy once the buffer had grown to
   * 64 KiB.)
   */
  private static final int DIRECT_READ = 8 * 1024;

  /**
   * The most one read into a heap buffer asks for. The JDK reads a heap buffer through a temporary
   * direct buffer of the size asked for and keeps it with the thread for the next I/O: one read of
   * a whole 4 MiB message left 4 MiB of native memory with the thread, which for a pooled server
   * thread is for as long as it lives. A 64 KiB read is as fast per byte.
   */
  private static final int MAX_HEAP_READ = 64 * 1024;

  /** What the send buffers are before the first send. */
  private static final ByteBuffer[] NONE_YET = {};

  private final SocketConnection stream;
  private final int maxMessageSize;

  /** The stream's write lock, held across a batch: one lock object per connection, not two. */
  private final ReentrantLock sendLock;

  /**
   * Under sendLock: header, payload, header, payload, ... of one gathering write. The headers,
   * 4-byte slices of one direct buffer, stay in the even slots; a send fills the odd slots with its
   * payloads and clears them after the write, so that a message costs one reference stored, as a
   * hand-written frame does. None until the first send (a server's idle connections may never
   * send), then room for one frame, so that a connection that never sends a batch costs what it did
   * before batches; grown by batches up to {@link #MAX_FRAMES_PER_WRITE} frames, never shrunk.
   */
  private ByteBuffer[] frames = NONE_YET;

  /**
   * Under sendLock: a small message's frame, header and payload, for one plain write. None until
   * the first such send, then just as large as it needed, and at least doubled when it grows, up to
   * {@value #HEADER} + {@value #COALESCE_MAX} bytes: an idle connection that answered one short
   * request holds a few dozen bytes for it.
   */
  private ByteBuffer coalesced;

  private final ReentrantLock receiveLock = new ReentrantLock();

  /** Bytes read but not yet consumed, between position and limit; null until first receive. */
  private ByteBuffer in;

  /** Set when the server closes: end the conversation at the next message boundary. */
  private volatile boolean draining;

  /** Set while a receive blocks at a message boundary with nothing buffered. */
  private volatile boolean idle;

  FramedConnection(SocketConnection stream, IpcOptions options) {
    this.stream = stream;
    this.sendLock = stream.writeLock();
    this.maxMessageSize = options.get(StandardIpcOptions.MAX_MESSAGE_SIZE);
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    send(message, null);
  }

  private void send(ByteBuffer message, FileDescriptor[] descriptors) throws IOException {
    if (message.remaining() > maxMessageSize) {
      // The peer is named in the error only: making its endpoint (formatting it) was a short
      // connection's largest piece of Java work beyond its system calls.
      throw Messages.tooLargeToSend(message.remaining(), maxMessageSize, stream.remoteEndpoint());
    }
    sendLock.lock();
    DescriptorChannel carrier = null;
    try {
      if (descriptors != null) {
        carrier = stream.unwrap(DescriptorChannel.class).orElseThrow();
        carrier.attachToNextWrite(descriptors);
      }
      int length = message.remaining();
      if (length <= COALESCE_MAX) {
        writeCoalesced(message, length);
      } else {
        reserve(1);
        frames[1] = message;
        writeFrames(1);
      }
    } finally {
      if (carrier != null) {
        // Gone with the first write, or, if it failed, never to go with a later message.
        carrier.attachToNextWrite();
      }
      sendLock.unlock();
    }
  }

  @Override
  public void sendAll(ByteBuffer[] messages, int offset, int length) throws IOException {
    Messages.checkBatch(messages, offset, length, maxMessageSize, true, stream.remoteEndpoint());
    if (length == 0) {
      return;
    }
    sendLock.lock();
    try {
      reserve(length);
      int perWrite = frames.length / 2;
      int end = offset + length;
      for (int first = offset; first < end; ) {
        int n = Math.min(end - first, perWrite);
        for (int i = 0; i < n; i++) {
          frames[2 * i + 1] = messages[first + i];
        }
        writeFrames(n);
        first += n;
      }
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Writes the frame of {@code message}, {@code length} bytes, copied behind its header into {@link
   * #coalesced}, and advances the message's position to its limit once it is out. The caller holds
   * sendLock.
   */
  private void writeCoalesced(ByteBuffer message, int length) throws IOException {
    int size = HEADER + length;
    ByteBuffer frame = coalesced;
    if (frame == null || frame.capacity() < size) {
      int capacity =
          frame == null
              ? size
              : Math.max(size, Math.min(2 * frame.capacity(), HEADER + COALESCE_MAX));
      frame = ByteBuffer.allocateDirect(capacity);
      coalesced = frame;
    }
    // Absolute puts: the message's position moves only once its bytes are out.
    frame.clear().putInt(0, length).put(HEADER, message, message.position(), length).limit(size);
    try {
      stream.writeHeld(frame);
    } catch (RuntimeException | Error e) {
      if (frame.position() > 0) {
        outOfStep(e); // As in writeFrames.
      }
      throw e;
    }
    message.position(message.limit());
  }

  /**
   * Makes room for {@code length} frames per write, up to {@link #MAX_FRAMES_PER_WRITE}: at first
   * just what is asked, later at least double. The caller holds sendLock.
   */
  private void reserve(int length) {
    int capacity = frames.length / 2;
    if (length <= capacity || capacity == MAX_FRAMES_PER_WRITE) {
      return;
    }
    capacity =
        Math.min(MAX_FRAMES_PER_WRITE, capacity == 0 ? length : Math.max(length, 2 * capacity));
    ByteBuffer[] headers = headers(capacity);
    ByteBuffer[] larger = new ByteBuffer[2 * capacity];
    for (int i = 0; i < capacity; i++) {
      larger[2 * i] = headers[i];
    }
    frames = larger;
  }

  /**
   * Writes the first {@code n} frames of {@link #frames}, whose payload slots the caller has filled
   * (with messages whose sizes it has checked), in one {@link SocketConnection#writeHeld}, which
   * loops until the write is whole and enforces the write timeout. The caller holds sendLock.
   */
  private void writeFrames(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      ByteBuffer header = frames[2 * i];
      header.clear();
      header.putInt(0, frames[2 * i + 1].remaining());
    }
    try {
      stream.writeHeld(frames, 0, 2 * n);
    } catch (RuntimeException | Error e) {
      // An IOException has closed the connection or left it whole (a write timeout closes it);
      // these may come between two writes of one call (an OutOfMemoryError for the JDK's
      // temporary buffer): once part of a frame is out, the next frame would follow it out of
      // step, so the connection is closed, as a receive broken off in a message closes it.
      if (frames[0].position() > 0) {
        outOfStep(e);
      }
      throw e;
    } finally {
      // Keep no reference to the caller's buffers.
      for (int i = 0; i < n; i++) {
        frames[2 * i + 1] = null;
      }
    }
  }

  /** {@code count} 4-byte big-endian header buffers, slices of one direct buffer. */
  private static ByteBuffer[] headers(int count) {
    if (count == 1) {
      return new ByteBuffer[] {ByteBuffer.allocateDirect(HEADER)}; // No slab to slice.
    }
    ByteBuffer slab = ByteBuffer.allocateDirect(count * HEADER);
    ByteBuffer[] headers = new ByteBuffer[count];
    for (int i = 0; i < count; i++) {
      headers[i] = slab.slice(i * HEADER, HEADER);
    }
    return headers;
  }

  @Override
  public ByteBuffer receive() throws IOException {
    receiveLock.lock();
    try {
      return receiveMessage();
    } catch (CutByDrain e) {
      return null;
    } finally {
      receiveLock.unlock();
    }
  }

  private ByteBuffer receiveMessage() throws IOException {
    long length = readHeader();
    if (length < 0) {
      return null;
    }
    try {
      ByteBuffer message = ByteBuffer.allocate((int) Math.min(length, FIRST_CHUNK));
      long missing = length;
      while (missing > 0) {
        if (!message.hasRemaining()) {
          message = grow(message, (int) length);
        }
        missing -= readInto(message, missing, length);
      }
      return message.flip();
    } catch (RuntimeException | Error e) {
      outOfStep(e);
      throw e;
    }
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    if (dst.isReadOnly()) {
      // Refused before the header is read: the message stays for a receive that can take it.
      throw new IllegalArgumentException(
          "read-only buffer (expected: a writable one to receive into): " + dst);
    }
    int start = dst.position();
    receiveLock.lock();
    try {
      return receiveInto(dst);
    } catch (CutByDrain e) {
      dst.position(start);
      return -1;
    } finally {
      receiveLock.unlock();
    }
  }

  private int receiveInto(ByteBuffer dst) throws IOException {
    long length = readHeader();
    if (length < 0) {
      return -1;
    }
    if (length > dst.remaining()) {
      try {
        skip(length);
      } catch (RuntimeException | Error e) {
        outOfStep(e);
        throw e;
      }
      throw Messages.doesNotFit(length, dst.remaining(), stream.remoteEndpoint());
    }
    // Bound dst to the message rather than slicing it: no allocation per message.
    int limit = dst.limit();
    dst.limit(dst.position() + (int) length);
    try {
      long missing = length;
      while (missing > 0) {
        missing -= readInto(dst, missing, length);
      }
    } catch (RuntimeException | Error e) {
      outOfStep(e);
      throw e;
    } finally {
      dst.limit(limit);
    }
    return (int) length;
  }

  /**
   * Closes the connection after {@code failure} broke off a message whose header was read: what is
   * left of it cannot be skipped, and the next receive would take its payload for a header.
   */
  private void outOfStep(Throwable failure) {
    try {
      stream.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Returns the next frame's length, or -1 at a clean end of stream. */
  private long readHeader() throws IOException {
    if (!stream.isOpen()) {
      // Bytes still buffered belong to a conversation that is over.
      throw new ClosedChannelException();
    }
    if (in == null) {
      in = ByteBuffer.allocateDirect(INITIAL_BUFFER).flip();
    }
    while (in.remaining() < HEADER) {
      boolean atBoundary = !in.hasRemaining();
      if (fill(atBoundary) < 0) {
        if (atBoundary) {
          return -1;
        }
        if (draining) {
          throw new CutByDrain();
        }
        throw new EOFException(
            "connection closed inside a message header, "
                + (HEADER - in.remaining())
                + " of 4 bytes missing: "
                + stream.remoteEndpoint());
      }
    }
    long length = Integer.toUnsignedLong(in.getInt());
    if (length > maxMessageSize) {
      stream.close();
      throw new MessageTooLargeException(
          "peer announced a message of "
              + length
              + " bytes, over maxMessageSize "
              + maxMessageSize
              + " bytes; connection closed: "
              + stream.remoteEndpoint(),
          length,
          maxMessageSize);
    }
    return length;
  }

  /**
   * Moves up to {@code missing} bytes of the current message into {@code dst}: buffered bytes
   * first, then straight from the stream when the rest is large.
   */
  private int readInto(ByteBuffer dst, long missing, long length) throws IOException {
    int want = (int) Math.min(missing, dst.remaining());
    if (!in.hasRemaining()) {
      if (want >= DIRECT_READ) {
        int limit = dst.limit();
        dst.limit(dst.position() + (dst.isDirect() ? want : Math.min(want, MAX_HEAP_READ)));
        try {
          int n = stream.read(dst);
          if (n < 0) {
            throw truncated(missing, length);
          }
          return n;
        } finally {
          dst.limit(limit);
        }
      }
      if (fill(false) < 0) {
        throw truncated(missing, length);
      }
    }
    int n = Math.min(want, in.remaining());
    int limit = in.limit();
    in.limit(in.position() + n);
    try {
      dst.put(in);
    } finally {
      in.limit(limit);
    }
    return n;
  }

  private void skip(long length) throws IOException {
    long missing = length;
    while (missing > 0) {
      if (!in.hasRemaining() && fill(false) < 0) {
        throw truncated(missing, length);
      }
      int n = (int) Math.min(missing, in.remaining());
      in.position(in.position() + n);
      missing -= n;
    }
  }

  /**
   * Reads more bytes into the buffer, keeping the unread ones; grows it while reads fill it.
   *
   * @param atBoundary whether nothing of a next message has been read yet (a drain may end the
   *     connection here)
   * @return the number of bytes read, or -1 at end of stream
   */
  private int fill(boolean atBoundary) throws IOException {
    in.compact();
    try {
      if (atBoundary) {
        idle = true;
        if (draining) {
          return -1;
        }
      }
      int n = stream.read(in);
      if (n > 0 && !in.hasRemaining() && in.capacity() < MAX_BUFFER) {
        // A full read suggests more is waiting: let the next fill use a larger buffer. Allocated
        // before the old one is touched: if that fails, the bytes just read stay where they are.
        ByteBuffer larger = ByteBuffer.allocateDirect(in.capacity() * 2);
        in.flip();
        in = larger.put(in);
      }
      return n;
    } finally {
      idle = false;
      in.flip();
    }
  }

  /**
   * Ends the conversation at the next message boundary: a receive blocked there now returns end of
   * stream, and so does the next one to reach a boundary. Used by {@link IpcServer#close()}.
   *
   * <p>Only the input is shut down, never the whole connection: a read that raced with the drain
   * and got a request still has its reply delivered. One that got only part of a request reports
   * the end of the conversation rather than a truncated message: the rest can no longer be read.
   */
  @Override
  public void drain() {
    draining = true;
    if (idle) {
      try {
        stream.shutdownInput();
      } catch (IOException ignored) {
        // Already closed or shut down: the blocked receive ends either way.
      }
    }
  }

  /**
   * Over TCP, a socket closed with input unread (a next request that the drain left in the socket)
   * sends a reset, and the system discards what it has not sent yet: the answers the handler gave
   * during the grace, cut short at the peer. So the output is shut down instead (the peer sees the
   * end after the answers), and input is read and discarded until the peer closes too, or the grace
   * ends. A Unix socket's sent bytes are already in the peer's queue: it closes at once.
   */
  @Override
  public void lingerBeforeClose() {
    if (!draining || !stream.isOpen() || stream.localEndpoint().isUnix()) {
      return;
    }
    try {
      stream.shutdownOutput();
      ByteBuffer discarded = ByteBuffer.allocate(8192);
      while (stream.read(discarded.clear()) >= 0) {
        // The conversation is over.
      }
    } catch (IOException e) {
      // Closed at the grace's end, or reset by the peer: the server closes it either way.
    }
  }

  /**
   * A message cut short because a drain shut the input down while a read at a boundary was taking
   * its first bytes ({@link #drain()} cannot tell such a read from a blocked one): the receive
   * reports the end of the conversation, as it would had the drain come a moment earlier, and the
   * peer, which gets no reply, sees the connection end.
   */
  @SuppressWarnings("serial")
  private static final class CutByDrain extends EOFException {
    CutByDrain() {
      super(null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private EOFException truncated(long missing, long length) {
    if (draining) {
      return new CutByDrain();
    }
    return new EOFException(
        "connection closed inside a message of "
            + length
            + " bytes, "
            + missing
            + " bytes missing: "
            + stream.remoteEndpoint());
  }

  private static ByteBuffer grow(ByteBuffer message, int length) {
    int capacity = (int) Math.min((long) message.capacity() * 2, length);
    return ByteBuffer.allocate(capacity).put(message.flip());
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public Endpoint localEndpoint() {
    return stream.localEndpoint();
  }

  @Override
  public Endpoint remoteEndpoint() {
    return stream.remoteEndpoint();
  }

  @Override
  public Optional<PeerCredentials> peerCredentials() {
    return stream.peerCredentials();
  }

  @Override
  public boolean isOpen() {
    return stream.isOpen();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type == DescriptorPassing.class) {
      return stream
          .unwrap(DescriptorChannel.class)
          .map(channel -> type.cast(new Descriptors(channel, this::send, this)));
    }
    return type.isInstance(this) ? Optional.of(type.cast(this)) : stream.unwrap(type);
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }

  @Override
  public String toString() {
    return "MessageConnection[" + localEndpoint() + " <-> " + remoteEndpoint() + "]";
  }
}
