package io.ipc4j.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An HTTP/1.x request head, read with limits (a line at most {@value #MAX_LINE_BYTES} bytes, at
 * most {@value #MAX_HEADERS} headers) so that a client cannot make the server hold more. The body
 * is left on the connection.
 */
final class HttpRequest {
  static final int MAX_LINE_BYTES = 8192;
  static final int MAX_HEADERS = 100;

  final String method;
  final String target;

  /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
  final String version;

  /** Header names in lower case; repeated headers joined with a comma, as RFC 9110 allows. */
  final Map<String, String> headers;

  /** RFC 9110 5.6.2: a field name. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** A body length: ASCII digits, few enough for a long. */
  private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

  private HttpRequest(String method, String target, String version, Map<String, String> headers) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.headers = headers;
  }

  /**
   * Reads the next request head, or returns null if the client closed the connection (or sent only
   * blank lines) before one began.
   *
   * @throws BadRequest if it is not a well-formed HTTP/1.0 or 1.1 request head
   */
  static HttpRequest read(LineReader in) throws IOException {
    String line;
    try {
      // RFC 9112 2.2: a server should ignore blank lines before the request line.
      do {
        line = in.readLine();
      } while (line != null && line.isEmpty());
    } catch (LineReader.LineTooLongException e) {
      throw new BadRequest("request line longer than " + MAX_LINE_BYTES + " bytes");
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new BadRequest("malformed request line (expected: METHOD TARGET HTTP/1.1)");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      throw new BadRequest("unsupported version " + parts[2] + " (expected: HTTP/1.1 or HTTP/1.0)");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int n = 0; ; n++) {
      String header;
      try {
        header = in.readLine();
      } catch (LineReader.LineTooLongException e) {
        throw new BadRequest("header line longer than " + MAX_LINE_BYTES + " bytes");
      }
      if (header == null) {
        throw new BadRequest("the connection closed inside the request head");
      }
      if (header.isEmpty()) {
        break;
      }
      if (n == MAX_HEADERS) {
        throw new BadRequest("more than " + MAX_HEADERS + " headers");
      }
      int colon = header.indexOf(':');
      // RFC 9112 5.1: no whitespace between a field name and its colon (400), nor before it. A
      // name is a token: lenient, "Content-Length\t:" would be another header to this server and
      // the body's length to a proxy in front of it.
      if (colon <= 0 || !TOKEN.matcher(header).region(0, colon).matches()) {
        throw new BadRequest("malformed header line");
      }
      String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    if (parts[2].equals("HTTP/1.1") && !headers.containsKey("host")) {
      throw new BadRequest("HTTP/1.1 request without Host");
    }
    return new HttpRequest(parts[0], parts[1], parts[2], headers);
  }

  /** Whether the connection stays open after the response: HTTP/1.1 unless told to close. */
  boolean keepAlive() {
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean close = hasToken(connection, "close");
    return version.equals("HTTP/1.1") ? !close : hasToken(connection, "keep-alive") && !close;
  }

  /**
   * The length of the body, 0 if none.
   *
   * @throws BadRequest if the body's framing is not one this server reads
   */
  long bodyLength() throws BadRequest {
    if (headers.containsKey("transfer-encoding")) {
      throw new BadRequest("request bodies with Transfer-Encoding are not accepted");
    }
    String length = headers.get("content-length");
    if (length == null) {
      return 0;
    }
    // Digits only (RFC 9110 8.6): Long.parseLong would also take "+5" and non-ASCII digits, which
    // a proxy in front of this server may read otherwise.
    if (!LENGTH.matcher(length).matches()) {
      throw new BadRequest("malformed Content-Length: " + length);
    }
    return Long.parseLong(length);
  }

  /**
   * The target's path, percent-decoded, without query or fragment.
   *
   * @throws BadRequest if it is not an origin-form path of UTF-8
   */
  String path() throws BadRequest {
    if (!target.startsWith("/")) {
      throw new BadRequest("the target must be a path starting with /");
    }
    int end = target.length();
    for (char stop : new char[] {'?', '#'}) {
      int i = target.indexOf(stop);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return percentDecode(target.substring(0, end));
  }

  private static String percentDecode(String s) throws BadRequest {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    int plain = 0;
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', plain)) {
      bytes.writeBytes(s.substring(plain, i).getBytes(StandardCharsets.UTF_8));
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new BadRequest("malformed percent-encoding in the path");
      }
      bytes.write(hi << 4 | lo);
      plain = i + 3;
    }
    bytes.writeBytes(s.substring(plain).getBytes(StandardCharsets.UTF_8));
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest("the path is not UTF-8");
    }
  }

  private static boolean hasToken(String list, String token) {
    for (String t : list.split(",")) {
      if (t.strip().equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** A request the server cannot read: answered with 400, then the connection is closed. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
