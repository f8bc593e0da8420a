package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request head read strictly where a lenient reading would frame the body differently from a
 * proxy in front of the server (request smuggling): a header name must be a token, right before its
 * colon, and Content-Length plain digits.
 */
@Timeout(10)
class HttpRequestTest {
  private static HttpRequest read(String head) throws IOException {
    return HttpRequest.read(
        new LineReader(
            new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
            HttpRequest.MAX_LINE_BYTES));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Content-Length\t: 5", "Content-Length : 5", " Content-Length: 5", "Cont@nt: 5"})
  void refusesAHeaderNameThatIsNotAToken(String header) {
    HttpRequest.BadRequest e =
        assertThrows(
            HttpRequest.BadRequest.class,
            () -> read("POST / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n"));
    assertEquals("malformed header line", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"+5", "-1", "\uFF15", "5 5", "0x5", "", "1234567890123456789"})
  void refusesAContentLengthThatIsNotPlainDigits(String length) throws IOException {
    HttpRequest r = read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n");
    HttpRequest.BadRequest e = assertThrows(HttpRequest.BadRequest.class, r::bodyLength);
    assertEquals("malformed Content-Length: " + length.strip(), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "5", "007", "123456789012345678"})
  void readsAContentLengthOfDigits(String length) throws IOException {
    HttpRequest r = read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n");
    assertEquals(Long.parseLong(length), r.bodyLength());
  }
}
