package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.MessageConnection;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Downloads a file from {@code file-server} (see there for the protocol). The bytes go to a
 * temporary file next to the output, which takes the output's name only once the SHA-256 matches;
 * then it prints {@code saved NAME to OUT: SIZE bytes, sha256 HEX}. A download that fails or is
 * stopped (Ctrl-C, SIGTERM) deletes its temporary file. With {@code --out -} the bytes go to
 * standard output as they come, and a mismatch is reported at the end, as is a write that fails (a
 * full disk, a closed pipe), with exit code 1. A progress bar is drawn when standard output is a
 * terminal.
 */
@Command(
    name = "file-get",
    mixinStandardHelpOptions = true,
    description = "Download NAME from a file-server, verified by SHA-256.")
final class FileGet implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ENDPOINT", description = "The file server")
  Endpoint endpoint;

  @Parameters(index = "1", paramLabel = "NAME", description = "The file's name on the server")
  String name;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to save it; - for standard output (default: NAME's last part, here)")
  String out;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.RELIABLE_MESSAGES);
    try (MessageConnection c = Ipc.connectMessages(endpoint)) {
      FileTransfer.sendText(c, "GET " + name);
      String answer = FileTransfer.receiveText(c, "the answer to GET");
      if (!answer.startsWith("OK ")) {
        return FilePut.refused("file-get", answer);
      }
      long size = parseSize(answer);
      return "-".equals(out) ? toStandardOutput(c, size) : toFile(c, size);
    }
  }

  private int toFile(MessageConnection c, long size) throws IOException {
    Path target = Path.of(out != null ? out : name.substring(name.lastIndexOf('/') + 1));
    Path parent = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      throw new NoSuchFileException(parent.toString(), null, "no such directory for --out");
    }
    Path temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".part");
    // On SIGTERM or Ctrl-C the JVM runs its shutdown hooks, not the finally below.
    Shutdown.closing("file-get", () -> Files.deleteIfExists(temp));
    try {
      byte[] digest;
      try (FileChannel file = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        Progress progress = Progress.of(name, size);
        digest = FileTransfer.receiveChunks(c, file, size, progress);
        progress.finish();
        file.force(true);
      }
      String hex = checked(c, digest);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("saved " + name + " to " + target + ": " + size + " bytes, sha256 " + hex);
      return 0;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private int toStandardOutput(MessageConnection c, long size) throws IOException {
    byte[] digest = FileTransfer.receiveChunks(c, new StandardOutput(), size, Progress.NONE);
    checked(c, digest);
    return 0;
  }

  /**
   * Standard output's file descriptor as a channel whose write errors, named, end the download. Not
   * {@code System.out}: a PrintStream swallows them, and a full disk or a closed pipe would end in
   * exit code 0 with the file cut short.
   */
  private static final class StandardOutput implements WritableByteChannel {
    private final FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();

    @Override
    public int write(ByteBuffer src) throws IOException {
      try {
        return out.write(src);
      } catch (IOException e) {
        throw new IOException("standard output: " + e.getMessage(), e);
      }
    }

    @Override
    public boolean isOpen() {
      return out.isOpen();
    }

    /** Leaves the descriptor open: it is the process's, not the download's. */
    @Override
    public void close() {}
  }

  /** Reads the sender's hash and returns it if it matches {@code digest}. */
  private String checked(MessageConnection c, byte[] digest) throws IOException {
    String hex = FileTransfer.hex(digest);
    String claimed = FileTransfer.receiveText(c, "the SHA256 of " + name);
    if (!claimed.equalsIgnoreCase("SHA256 " + hex)) {
      throw new IOException(
          name + ": SHA-256 mismatch: received " + hex + ", server says " + claimed);
    }
    return hex;
  }

  private static long parseSize(String answer) throws ProtocolException {
    try {
      long size = Long.parseLong(answer.substring(3));
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the answer.
    }
    throw new ProtocolException("unexpected answer from the server: " + answer);
  }
}
