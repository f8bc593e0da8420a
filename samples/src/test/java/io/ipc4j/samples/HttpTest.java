package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http-server} as a separate process, spoken to over one kept-alive connection so that every
 * byte of the responses is checked (curl drives it over a Unix socket in {@link InteropTest}).
 */
@Timeout(60)
class HttpTest {
  @TempDir(factory = ShortTempDir.class)
  Path tmp;

  @Test
  void servesFilesStatusAndErrorsOverOneKeptAliveConnection() throws Exception {
    Path www = Files.createDirectory(tmp.resolve("www"));
    Files.writeString(www.resolve("index.html"), "<h1>hi</h1>\n");
    Files.writeString(www.resolve("a b.txt"), "spaced\n");
    Files.writeString(tmp.resolve("secret"), "no\n");
    Files.createSymbolicLink(www.resolve("link"), tmp.resolve("secret"));
    try (Sample server =
        Sample.start("http-server", "tcp://127.0.0.1:0", "--dir", www.toString())) {
      URI where = URI.create(server.awaitListening());
      try (Socket s = new Socket(where.getHost(), where.getPort())) {
        Exchange http = new Exchange(s.getInputStream(), s.getOutputStream());
        Response index = http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", index.status);
        assertEquals("text/html; charset=utf-8", index.header("Content-Type"));
        assertEquals("<h1>hi</h1>\n", index.body);

        assertEquals("spaced\n", http.send("GET /a%20b.txt?q=1 HTTP/1.1\r\nHost: x\r\n\r\n").body);

        Response head = http.send("HEAD /a%20b.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", head.status);
        assertEquals("7", head.header("Content-Length"));
        assertEquals("", head.body);

        Response status = http.send("GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("application/json", status.header("Content-Type"));
        assertTrue(
            status.body.matches(
                "\\{\"server\":\"ipc4j-samples http-server\",\"endpoint\":\""
                    + where
                    + "\",\"directory\":\""
                    + www.toRealPath()
                    + "\",\"uptimeSeconds\":\\d+,\"requests\":4,\"connections\":1}\n"),
            status.body);

        Response missing = http.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 404 Not Found", missing.status);
        assertEquals("404 Not Found: /nope is not here\n", missing.body);

        Response escape = http.send("GET /../secret HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 403 Forbidden", escape.status);
        assertEquals("403 Forbidden: ../secret: '..' is not allowed\n", escape.body);
        Response link = http.send("GET /link HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("403 Forbidden: link: a link out of the served directory\n", link.body);

        Response delete = http.send("DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 405 Method Not Allowed", delete.status);
        assertEquals("GET, HEAD", delete.header("Allow"));
        assertEquals(null, delete.header("Connection"));

        // Still the same connection; a request the server cannot read is the last on it.
        Response bad = http.send("GET /index.html HTTP/1.1\r\n\r\n");
        assertEquals("HTTP/1.1 400 Bad Request", bad.status);
        assertEquals("close", bad.header("Connection"));
        assertEquals("400 Bad Request: HTTP/1.1 request without Host\n", bad.body);
        assertEquals(-1, http.in.read(), "the server closed the connection");
      }
      server.awaitLine("- 400");
    }
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterItsResponseOverUnix() throws Exception {
    Path www = Files.createDirectory(tmp.resolve("www"));
    Files.writeString(www.resolve("f.txt"), "f\n");
    Path socket = tmp.resolve("h.sock");
    try (Sample server = Sample.start("http-server", "unix://" + socket, "--dir", www.toString());
        SocketChannel ch = openAfter(server, socket)) {
      Exchange http = new Exchange(Channels.newInputStream(ch), Channels.newOutputStream(ch));
      Response r = http.send("GET /f.txt HTTP/1.0\r\n\r\n");
      assertEquals("HTTP/1.1 200 OK", r.status);
      assertEquals("close", r.header("Connection"));
      assertEquals("f\n", r.body);
      assertEquals(-1, http.in.read(), "closed after the response");
    }
  }

  @Test
  void aPathThroughAFileOrALoopOfLinksIsNotFoundAndTheConnectionStays() throws Exception {
    Path www = Files.createDirectory(tmp.resolve("www"));
    Files.writeString(www.resolve("index.html"), "<h1>hi</h1>\n");
    Files.createSymbolicLink(www.resolve("loop"), www.resolve("loop"));
    try (Sample server = Sample.start("http-server", "tcp://127.0.0.1:0", "--dir", www.toString());
        Socket s = connect(server)) {
      Exchange http = new Exchange(s.getInputStream(), s.getOutputStream());
      Response through = http.send("GET /index.html/x HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("HTTP/1.1 404 Not Found", through.status);
      assertEquals("404 Not Found: /index.html/x is not here\n", through.body);
      Response loop = http.send("GET /loop HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("HTTP/1.1 404 Not Found", loop.status);
      assertEquals("404 Not Found: /loop is not here\n", loop.body);
      assertEquals("<h1>hi</h1>\n", http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").body);
    }
  }

  @Test
  void anUnreadableFileIsForbiddenAndTheConnectionStays() throws Exception {
    Path www = Files.createDirectory(tmp.resolve("www"));
    Files.writeString(www.resolve("index.html"), "<h1>hi</h1>\n");
    Path locked = Files.writeString(www.resolve("locked.txt"), "no\n");
    Files.setPosixFilePermissions(locked, Set.of());
    assumeFalse(Files.isReadable(locked), "this user reads any file (root)");
    try (Sample server = Sample.start("http-server", "tcp://127.0.0.1:0", "--dir", www.toString());
        Socket s = connect(server)) {
      Exchange http = new Exchange(s.getInputStream(), s.getOutputStream());
      Response r = http.send("GET /locked.txt HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals("HTTP/1.1 403 Forbidden", r.status);
      assertEquals("403 Forbidden: locked.txt: permission denied\n", r.body);
      assertEquals("<h1>hi</h1>\n", http.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").body);
    }
  }

  private static Socket connect(Sample server) throws Exception {
    URI where = URI.create(server.awaitListening());
    return new Socket(where.getHost(), where.getPort());
  }

  private static SocketChannel openAfter(Sample server, Path socket) throws Exception {
    server.awaitListening();
    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  /** Requests and responses on one connection. */
  private static final class Exchange {
    final InputStream in;
    final OutputStream out;

    Exchange(InputStream in, OutputStream out) {
      this.in = new BufferedInputStream(in);
      this.out = out;
    }

    /** Sends {@code request} and reads its response: the head, then Content-Length bytes. */
    Response send(String request) throws IOException {
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed inside a response head: " + head);
        }
        head.write(b);
      }
      Response r = new Response(head.toString(StandardCharsets.ISO_8859_1));
      boolean bodiless = request.startsWith("HEAD ");
      int length = Integer.parseInt(r.header("Content-Length"));
      r.body = bodiless ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return r;
    }
  }

  private static final class Response {
    final String head;
    final String status;
    String body;

    Response(String head) {
      this.head = head;
      this.status = head.substring(0, head.indexOf("\r\n"));
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1).strip();
        }
      }
      return null;
    }
  }
}
