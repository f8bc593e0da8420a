package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A small HTTP/1.1 server on any stream endpoint, so that {@code curl --unix-socket /tmp/http.sock
 * http://localhost/status} works as well as {@code curl http://127.0.0.1:8080/}.
 *
 * <p>It serves {@code GET} and {@code HEAD} of the regular files under {@code --dir} ({@code /} and
 * paths ending in {@code /} mean their {@code index.html}), and {@code /status}: a JSON object with
 * the server's endpoint, uptime and counts. Connections are kept alive (HTTP/1.1 unless {@code
 * Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}) until idle for 30 seconds.
 * A name that leads out of the directory ({@code ..}, a symbolic link) or to a file the server may
 * not read is 403, a missing file (or a path through a file, a loop of links) 404, a file that
 * cannot be opened for another reason 500, another method 405 with {@code Allow: GET, HEAD}, and a
 * request it cannot read 400, after which the connection is closed. Prints one line per request.
 */
@Command(
    name = "http-server",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the files of DIR and /status (JSON) over HTTP/1.1 on any stream endpoint.",
      "Try: curl --unix-socket /tmp/http.sock http://localhost/status"
    })
final class HttpServer implements Callable<Integer> {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
  private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("pdf", "application/pdf"));

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. unix:///tmp/http.sock or tcp://127.0.0.1:8080")
  Endpoint endpoint;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The files to serve")
  Path dir;

  private final AtomicLong requests = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private ServedDirectory files;
  private IpcServer server;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.STREAM);
    files = ServedDirectory.option(spec, dir);
    server =
        IpcServer.builder(endpoint)
            .options(IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, IDLE_TIMEOUT))
            .streamHandler(this::serve)
            .start();
    return Shutdown.serve("http-server", server.endpoint(), server);
  }

  private void serve(StreamConnection c) throws IOException {
    LineReader in = new LineReader(c.inputStream(), HttpRequest.MAX_LINE_BYTES);
    OutputStream out = new BufferedOutputStream(c.outputStream(), 16 * 1024);
    while (true) {
      HttpRequest request;
      long body;
      try {
        request = HttpRequest.read(in);
        if (request == null) {
          return;
        }
        body = request.bodyLength();
      } catch (HttpRequest.BadRequest e) {
        requests.incrementAndGet();
        log("-", 400);
        text(out, 400, "Bad Request", e.getMessage(), true, false, "");
        return;
      }
      requests.incrementAndGet();
      boolean keepAlive = request.keepAlive();
      boolean head = request.method.equals("HEAD");
      if (!head && !request.method.equals("GET")) {
        // The body of a method we do not serve is not worth reading: close after answering.
        log(request, 405);
        text(
            out,
            405,
            "Method Not Allowed",
            request.method + " is not allowed (expected: GET or HEAD)",
            !keepAlive || body > 0,
            false,
            "Allow: GET, HEAD\r\n");
        if (!keepAlive || body > 0) {
          return;
        }
        continue;
      }
      if (in.skip(body) < body) {
        return;
      }
      if (!respond(c, out, request, keepAlive, head) || !keepAlive) {
        return;
      }
    }
  }

  /** Answers a GET or HEAD; returns false if the connection must close. */
  private boolean respond(
      StreamConnection c, OutputStream out, HttpRequest request, boolean keepAlive, boolean head)
      throws IOException {
    // An HTTP/1.0 client keeps the connection only if the response says so too.
    String keep =
        keepAlive && request.version.equals("HTTP/1.0") ? "Connection: keep-alive\r\n" : "";
    String path;
    try {
      path = request.path();
    } catch (HttpRequest.BadRequest e) {
      log(request, 400);
      text(out, 400, "Bad Request", e.getMessage(), true, head, "");
      return false;
    }
    if (path.equals("/status")) {
      log(request, 200);
      byte[] json = (status() + "\n").getBytes(StandardCharsets.UTF_8);
      head(out, 200, "OK", "application/json", json.length, !keepAlive, keep);
      if (!head) {
        out.write(json);
      }
      out.flush();
      return true;
    }
    String name = path.substring(1);
    if (name.isEmpty() || name.endsWith("/")) {
      name += "index.html";
    }
    Path file;
    FileChannel opened;
    try {
      file = files.existingFile(name);
      opened = ServedDirectory.open(file, name);
    } catch (AccessDeniedException e) {
      log(request, 403);
      text(out, 403, "Forbidden", e.getMessage(), !keepAlive, head, keep);
      return true;
    } catch (NoSuchFileException e) {
      log(request, 404);
      text(out, 404, "Not Found", path + " is not here", !keepAlive, head, keep);
      return true;
    } catch (FileSystemException e) {
      // Neither refused nor missing (an I/O error, say): the server's fault, the connection's not.
      log(request, 500);
      text(out, 500, "Internal Server Error", e.getMessage(), !keepAlive, head, keep);
      return true;
    }
    try (FileChannel f = opened) {
      long size = f.size();
      log(request, 200);
      head(out, 200, "OK", type(file), size, !keepAlive, keep);
      out.flush();
      if (!head) {
        for (long sent = 0; sent < size; ) {
          long n = f.transferTo(sent, size - sent, c);
          if (n <= 0) {
            // The file shrank after its length went out: the response cannot be completed.
            return false;
          }
          sent += n;
        }
      }
    }
    return true;
  }

  private String status() {
    long uptime = (System.nanoTime() - startNanos) / 1_000_000_000L;
    return "{\"server\":\"ipc4j-samples http-server\",\"endpoint\":"
        + json(server.endpoint().toString())
        + ",\"directory\":"
        + json(files.root().toString())
        + ",\"uptimeSeconds\":"
        + uptime
        + ",\"requests\":"
        + requests.get()
        + ",\"connections\":"
        + server.connectionCount()
        + "}";
  }

  private static void text(
      OutputStream out,
      int status,
      String reason,
      String message,
      boolean close,
      boolean head,
      String extraHeaders)
      throws IOException {
    byte[] body = (status + " " + reason + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
    head(out, status, reason, "text/plain; charset=utf-8", body.length, close, extraHeaders);
    if (!head) {
      out.write(body);
    }
    out.flush();
  }

  private static void head(
      OutputStream out,
      int status,
      String reason,
      String type,
      long length,
      boolean close,
      String extraHeaders)
      throws IOException {
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nServer: ipc4j-samples\r\nDate: "
            + DATE.format(ZonedDateTime.now(ZoneOffset.UTC))
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + length
            + "\r\n"
            + extraHeaders
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String type(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }

  /** A JSON string literal. */
  static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append('"').toString();
  }

  private static void log(HttpRequest request, int status) {
    log(request.method + " " + request.target, status);
  }

  private static void log(String request, int status) {
    // The target is the client's text: no control characters reach the operator's terminal.
    System.out.println(Terminal.printable(request) + " " + status);
    System.out.flush();
  }
}
