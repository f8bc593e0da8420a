package io.ipc4j.benchmarks;

import java.nio.ByteBuffer;
import java.util.Random;

/** Payloads, their frames as the wire format defines them, and the checks the benchmarks run. */
final class Frames {
  /** The frame header: a 4-byte big-endian unsigned length. */
  static final int HEADER = 4;

  private Frames() {}

  /** {@code size} bytes that differ from one position to the next, the same in every run. */
  static ByteBuffer payload(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return ByteBuffer.wrap(bytes);
  }

  /** The frame of {@code payload}, written here independently of the library's encoder. */
  static ByteBuffer frame(ByteBuffer payload) {
    int n = payload.remaining();
    ByteBuffer frame = ByteBuffer.allocate(HEADER + n);
    frame.put((byte) (n >>> 24)).put((byte) (n >>> 16)).put((byte) (n >>> 8)).put((byte) n);
    return frame.put(payload.duplicate()).flip();
  }

  /**
   * Fails unless {@code actual} holds exactly the bytes of {@code expected} (each between position
   * and limit): a benchmark that measures wrong work must not report a figure.
   */
  static void checkBytes(String what, ByteBuffer expected, ByteBuffer actual) {
    if (actual == null) {
      throw new IllegalStateException(what + ": no bytes (expected: " + expected.remaining() + ")");
    }
    if (!actual.equals(expected)) {
      int at = actual.mismatch(expected);
      throw new IllegalStateException(
          what
              + ": "
              + actual.remaining()
              + " bytes differ from the "
              + expected.remaining()
              + " expected, first at byte "
              + at);
    }
  }

  static void checkEquals(String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(what + ": " + actual + " (expected: " + expected + ")");
    }
  }
}
