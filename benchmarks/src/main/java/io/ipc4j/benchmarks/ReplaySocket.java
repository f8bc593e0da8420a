package io.ipc4j.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A socket whose peer sends the same bytes (one encoded frame) over and over, and never more than
 * one read asks for.
 */
final class ReplaySocket extends MemorySocket {
  private final ByteBuffer frame;
  private final boolean ahead;

  /**
   * @param frame the bytes to repeat; copied into a direct buffer, as a kernel would hold them
   * @param ahead whether the peer is ahead of the reader, so that a read gets as many bytes as it
   *     has room for, running into the next frames; otherwise a read gets at most the rest of the
   *     current frame, as when the peer sends one message and waits for a reply
   */
  ReplaySocket(ByteBuffer frame, boolean ahead) {
    this.frame = ByteBuffer.allocateDirect(frame.remaining()).put(frame.duplicate()).flip();
    this.ahead = ahead;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    int n = 0;
    do {
      if (!frame.hasRemaining()) {
        frame.rewind();
      }
      int k = Math.min(dst.remaining(), frame.remaining());
      copy(frame, dst, k);
      n += k;
    } while (ahead && dst.hasRemaining());
    return n;
  }
}
