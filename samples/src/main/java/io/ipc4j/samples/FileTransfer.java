package io.ipc4j.samples;

import io.ipc4j.MessageConnection;
import io.ipc4j.MessageTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The two halves of the file protocol that both sides share: a file's bytes as a run of chunk
 * messages, hashed as they pass, and the text control messages around them. See {@link FileServer}
 * for the protocol.
 */
final class FileTransfer {
  /** The chunk size this side sends. */
  static final int CHUNK_BYTES = 64 * 1024;

  /** The largest chunk this side accepts, so that peers in other languages may send bigger ones. */
  static final int MAX_CHUNK_BYTES = 1 << 20;

  private FileTransfer() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static void sendText(MessageConnection c, String text) throws IOException {
    c.send(StandardCharsets.UTF_8.encode(text));
  }

  /**
   * Receives a control message as text.
   *
   * @throws EOFException if the peer closed the connection instead, naming {@code expected}
   */
  static String receiveText(MessageConnection c, String expected) throws IOException {
    ByteBuffer m = c.receive();
    if (m == null) {
      throw new EOFException("the connection closed while waiting for " + expected);
    }
    return StandardCharsets.UTF_8.decode(m).toString();
  }

  /**
   * Sends {@code size} bytes of {@code file} from its start as chunks, at most {@code
   * bytesPerSecond} a second (0: no limit), and returns their SHA-256.
   *
   * @throws EOFException if the file is shorter than {@code size}: it changed while being sent
   */
  static byte[] sendChunks(
      MessageConnection c, FileChannel file, long size, Progress progress, long bytesPerSecond)
      throws IOException {
    MessageDigest sha = sha256();
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
    long start = System.nanoTime();
    for (long sent = 0; sent < size; ) {
      chunk.clear().limit((int) Math.min(CHUNK_BYTES, size - sent));
      while (chunk.hasRemaining()) {
        if (file.read(chunk, sent + chunk.position()) < 0) {
          throw new EOFException(
              "the file changed while being sent: it ended after "
                  + (sent + chunk.position())
                  + " of "
                  + size
                  + " bytes");
        }
      }
      chunk.flip();
      sha.update(chunk.duplicate());
      c.send(chunk);
      sent += chunk.limit();
      progress.update(sent);
      if (bytesPerSecond > 0) {
        pace(start, sent, bytesPerSecond);
      }
    }
    return sha.digest();
  }

  /**
   * Receives chunks until {@code size} bytes came, writes them to {@code out}, and returns their
   * SHA-256.
   *
   * @throws EOFException if the connection closed first, saying how much came
   * @throws ProtocolException if the chunks add up to more than {@code size}
   */
  static byte[] receiveChunks(
      MessageConnection c, WritableByteChannel out, long size, Progress progress)
      throws IOException {
    MessageDigest sha = sha256();
    ByteBuffer chunk = ByteBuffer.allocateDirect(MAX_CHUNK_BYTES);
    for (long received = 0; received < size; ) {
      chunk.clear();
      int n;
      try {
        n = c.receive(chunk);
      } catch (MessageTooLargeException e) {
        throw new ProtocolException(
            "a chunk larger than " + MAX_CHUNK_BYTES + " bytes after " + received + " bytes");
      }
      if (n < 0) {
        throw new EOFException(
            "the connection closed after " + received + " of " + size + " bytes");
      }
      if (n > size - received) {
        throw new ProtocolException(
            "more data than announced: " + (received + n) + " of " + size + " bytes");
      }
      chunk.flip();
      sha.update(chunk.duplicate());
      while (chunk.hasRemaining()) {
        out.write(chunk);
      }
      received += n;
      progress.update(received);
    }
    return sha.digest();
  }

  /** Sleeps until {@code sent} bytes are due at {@code rate} bytes a second since {@code start}. */
  private static void pace(long start, long sent, long rate) {
    long due = start + dueNanos(sent, rate);
    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
    }
  }

  /**
   * How long after the start {@code sent} bytes are due at {@code rate} bytes a second, in
   * nanoseconds; {@link Long#MAX_VALUE} if longer than a long holds (some 292 years).
   */
  static long dueNanos(long sent, long rate) {
    // Not 1e9 * sent / rate: that product overflows a long after 9.2 GB, and pacing with it.
    long second = TimeUnit.SECONDS.toNanos(1);
    long seconds = sent / rate;
    if (seconds >= Long.MAX_VALUE / second) {
      return Long.MAX_VALUE;
    }
    // The rest is less than the rate, which may still be too large to multiply by 1e9 exactly.
    long rest = sent % rate;
    return seconds * second + (long) ((double) rest * second / rate);
  }
}
