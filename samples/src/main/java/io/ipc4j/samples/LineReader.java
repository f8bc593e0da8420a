package io.ipc4j.samples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of UTF-8 from a stream, each at most {@code maxBytes} long: unlike {@link
 * java.io.BufferedReader#readLine()}, a peer that never sends a newline cannot make it allocate
 * without bound. A line ends with {@code \n} or {@code \r\n}; the last one may lack it. Not
 * thread-safe.
 */
final class LineReader {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[8192];
  private int start;
  private int end;
  private byte[] line = new byte[256];

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /**
   * Returns the next line without its terminator, or null at the end of the stream.
   *
   * @throws LineTooLongException if a line exceeds the limit (the reader is then unusable)
   */
  String readLine() throws IOException {
    int length = 0;
    while (true) {
      if (start == end) {
        int n = in.read(buffer);
        if (n < 0) {
          return length == 0 ? null : decode(length);
        }
        start = 0;
        end = n;
      }
      int i = start;
      while (i < end && buffer[i] != '\n') {
        i++;
      }
      int chunk = i - start;
      if (length + chunk > maxBytes) {
        throw new LineTooLongException(maxBytes);
      }
      if (length + chunk > line.length) {
        line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, length + chunk)));
      }
      System.arraycopy(buffer, start, line, length, chunk);
      length += chunk;
      if (i < end) {
        start = i + 1;
        return decode(length);
      }
      start = end;
    }
  }

  /**
   * Reads and discards {@code n} bytes, such as a request body nobody asked for; returns how many
   * were discarded, fewer only at the end of the stream.
   */
  long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (start == end) {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        start = 0;
        end = read;
      }
      int chunk = (int) Math.min(end - start, n - skipped);
      start += chunk;
      skipped += chunk;
    }
    return skipped;
  }

  private String decode(int length) {
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** A line longer than the reader's limit. */
  static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(int maxBytes) {
      super("line longer than " + maxBytes + " bytes");
    }
  }
}
