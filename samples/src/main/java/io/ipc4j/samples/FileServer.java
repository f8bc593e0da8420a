package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Stores and serves the files of one directory over a {@link MessageConnection} ({@code tcp},
 * {@code unix} or {@code unixpacket}: the transports that lose nothing).
 *
 * <p>The protocol: control messages are UTF-8 text; a file's bytes travel as a run of binary
 * <i>chunk</i> messages (at most 1 MiB each; ipc4j's clients send 64 KiB) whose lengths add up to
 * the size announced before them, so no chunk needs a header. A connection may carry several
 * requests, one after another.
 *
 * <pre>
 * client                          server
 * PUT SIZE NAME               →
 *                             ←   OK                       (or ERROR MESSAGE: nothing stored)
 * chunks, SIZE bytes in all   →
 * SHA256 HEX                  →
 *                             ←   OK SIZE HEX              (or ERROR MESSAGE: nothing stored)
 *
 * GET NAME                    →
 *                             ←   OK SIZE                  (or ERROR MESSAGE)
 *                             ←   chunks, SIZE bytes in all
 *                             ←   SHA256 HEX
 * </pre>
 *
 * <p>HEX is the lowercase SHA-256 of the file's bytes; the receiving side checks it. NAME is
 * relative to the served directory, may name a file in an existing subdirectory ({@code a/b.txt}),
 * and is refused, with an ERROR that names it and says why, if it is absolute, contains {@code ..},
 * or leads out of the directory through a symbolic link. An upload is written to a temporary file
 * ({@code .NAME.*.part}) next to its final name and moved there, atomically, only once its hash
 * matches: an upload that is interrupted or corrupted never appears under its name. A sender that
 * fails in the middle of its chunks (a file that shrank, a read error) closes the connection; the
 * receiver discards what came.
 *
 * <p>Prints one line per request served or refused.
 */
@Command(
    name = "file-server",
    mixinStandardHelpOptions = true,
    description = {
      "Store uploads (file-put) in DIR and serve its files (file-get), checked by SHA-256.",
      "Names are confined to DIR."
    })
final class FileServer implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. unix:///tmp/files.sock or tcp://0.0.0.0:7002")
  Endpoint endpoint;

  @Mixin IdleTimeout idleTimeout;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory")
  Path dir;

  private ServedDirectory files;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.RELIABLE_MESSAGES);
    files = ServedDirectory.option(spec, dir);
    IpcServer server =
        IpcServer.builder(endpoint)
            .options(idleTimeout.options())
            .messageHandler(this::serve)
            .start();
    return Shutdown.serve("file-server", server.endpoint(), server);
  }

  private void serve(MessageConnection c) throws IOException {
    for (String request; (request = receiveRequest(c)) != null; ) {
      try {
        if (request.startsWith("PUT ")) {
          put(c, request.substring(4));
        } else if (request.startsWith("GET ")) {
          get(c, request.substring(4));
        } else {
          refuse(c, "unknown request " + RpcRequest.quote(request) + " (expected: PUT or GET)");
        }
      } catch (FileSystemException e) {
        // Raised by ServedDirectory with the client's name and why: the client is told so.
        refuse(c, e.getMessage());
      }
    }
  }

  private static String receiveRequest(MessageConnection c) throws IOException {
    ByteBuffer m = c.receive();
    return m == null ? null : StandardCharsets.UTF_8.decode(m).toString();
  }

  private void put(MessageConnection c, String arguments) throws IOException {
    int space = arguments.indexOf(' ');
    long size;
    try {
      size = Long.parseLong(space < 0 ? arguments : arguments.substring(0, space));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (space < 0 || size < 0) {
      refuse(c, "malformed PUT (expected: PUT SIZE NAME): " + RpcRequest.quote(arguments));
      return;
    }
    String name = arguments.substring(space + 1);
    Path target = files.fileToWrite(name);
    Path temp;
    try {
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    } catch (FileSystemException e) {
      throw ServedDirectory.inClientsWords(name, e);
    }
    boolean stored = false;
    String abandoned = null;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      log("receiving " + name + " (" + size + " bytes) into " + temp.getFileName());
      FileTransfer.sendText(c, "OK");
      byte[] digest;
      try {
        digest = FileTransfer.receiveChunks(c, out, size, Progress.NONE);
      } catch (IOException e) {
        abandoned = e.getMessage();
        if (e instanceof ProtocolException) {
          refuse(c, name + ": " + e.getMessage());
        }
        throw e;
      }
      String hex = FileTransfer.hex(digest);
      String claimed = FileTransfer.receiveText(c, "the SHA256 of " + name);
      if (!claimed.equalsIgnoreCase("SHA256 " + hex)) {
        refuse(
            c, name + ": SHA-256 mismatch: received " + hex + ", sender says " + shorten(claimed));
        return;
      }
      out.force(true);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        throw ServedDirectory.inClientsWords(name, e);
      }
      stored = true;
      log("stored " + name + " (" + size + " bytes, sha256 " + hex + ")");
      FileTransfer.sendText(c, "OK " + size + " " + hex);
    } finally {
      if (!stored) {
        Files.deleteIfExists(temp);
      }
      // Said once the temporary file is gone, so whoever reads it may look at the directory.
      if (abandoned != null) {
        log("upload of " + name + " abandoned: " + abandoned);
      }
    }
  }

  private void get(MessageConnection c, String name) throws IOException {
    Path file = files.existingFile(name);
    try (FileChannel in = ServedDirectory.open(file, name)) {
      long size = in.size();
      FileTransfer.sendText(c, "OK " + size);
      byte[] digest = FileTransfer.sendChunks(c, in, size, Progress.NONE, 0);
      FileTransfer.sendText(c, "SHA256 " + FileTransfer.hex(digest));
      log("sent " + name + " (" + size + " bytes, sha256 " + FileTransfer.hex(digest) + ")");
    }
  }

  private static void refuse(MessageConnection c, String why) throws IOException {
    log("refused: " + why);
    FileTransfer.sendText(c, "ERROR " + why);
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  /** One line per event; a client's names in it cannot forge another or drive the terminal. */
  private static void log(String event) {
    System.out.println(Terminal.printable(event));
    System.out.flush();
  }
}
