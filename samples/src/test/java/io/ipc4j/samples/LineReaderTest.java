package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LineReaderTest {
  @Test
  void splitsOnNewlineAndCrlfAndKeepsALastLineWithoutOne() throws IOException {
    LineReader r = reader("one\r\ntwo\n\nlast", 16, false);
    assertEquals("one", r.readLine());
    assertEquals("two", r.readLine());
    assertEquals("", r.readLine());
    assertEquals("last", r.readLine());
    assertNull(r.readLine());
  }

  @Test
  void readsTheSameOneByteAtATime() throws IOException {
    LineReader r = reader("héllo\r\nwörld\n", 16, true);
    assertEquals("héllo", r.readLine());
    assertEquals("wörld", r.readLine());
    assertNull(r.readLine());
  }

  @Test
  void refusesALineLongerThanItsLimitWithoutHoldingIt() {
    LineReader r = reader("x".repeat(10_000) + "\n", 4096, true);
    LineReader.LineTooLongException e =
        assertThrows(LineReader.LineTooLongException.class, r::readLine);
    assertEquals("line longer than 4096 bytes", e.getMessage());
  }

  @Test
  void aLineOfExactlyTheLimitIsFine() throws IOException {
    assertEquals("x".repeat(8), reader("xxxxxxxx\n", 8, false).readLine());
  }

  @Test
  void skipsABodyThenReadsOn() throws IOException {
    LineReader r = reader("head\nBODYnext\n", 16, true);
    assertEquals("head", r.readLine());
    assertEquals(4, r.skip(4));
    assertEquals("next", r.readLine());
    assertEquals(0, r.skip(3));
  }

  private static LineReader reader(String text, int max, boolean oneByteAtATime) {
    InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    if (oneByteAtATime) {
      InputStream all = in;
      in =
          new InputStream() {
            @Override
            public int read() throws IOException {
              return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              return len == 0 ? 0 : all.read(b, off, 1);
            }
          };
    }
    return new LineReader(in, max);
  }
}
