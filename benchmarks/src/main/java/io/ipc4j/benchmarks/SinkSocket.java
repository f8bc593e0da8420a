package io.ipc4j.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A socket whose peer takes every write whole, the way a kernel copies a write into a socket buffer
 * with room to spare: each write call replaces {@link #lastWrite()} with a copy of its bytes.
 */
final class SinkSocket extends MemorySocket {
  private final ByteBuffer captured;
  private long writes;

  /**
   * @param capacity the most bytes one write call takes; more are left for the next call
   */
  SinkSocket(int capacity) {
    captured = ByteBuffer.allocateDirect(capacity);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureOpen();
    writes++;
    captured.clear();
    int k = Math.min(src.remaining(), captured.remaining());
    copy(src, captured, k);
    return k;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    ensureOpen();
    writes++;
    captured.clear();
    long n = 0;
    for (int i = offset; i < offset + length && captured.hasRemaining(); i++) {
      int k = Math.min(srcs[i].remaining(), captured.remaining());
      copy(srcs[i], captured, k);
      n += k;
    }
    return n;
  }

  /** The bytes of the last write call. */
  ByteBuffer lastWrite() {
    return captured.duplicate().flip();
  }

  /** How many write calls there have been. */
  long writes() {
    return writes;
  }
}
