package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Uploads a file to {@code file-server} (see there for the protocol) and prints {@code stored NAME:
 * SIZE bytes, sha256 HEX} once the server has checked the hash and stored it. A progress bar is
 * drawn when standard output is a terminal.
 */
@Command(
    name = "file-put",
    mixinStandardHelpOptions = true,
    description = "Upload FILE to a file-server, verified by SHA-256.")
final class FilePut implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ENDPOINT", description = "The file server")
  Endpoint endpoint;

  @Parameters(index = "1", paramLabel = "FILE", description = "The file to upload")
  Path file;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The name to store it under (default: FILE's name)")
  String name;

  @Option(
      names = "--limit-rate",
      paramLabel = "BYTES",
      converter = ByteSizes.class,
      defaultValue = "0",
      description = "Send at most BYTES a second, e.g. 64k (default: no limit)")
  long bytesPerSecond;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.RELIABLE_MESSAGES);
    // Checked first: a path without a file name, such as /, is no regular file either.
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a regular file");
    }
    String storedName = name != null ? name : file.getFileName().toString();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        MessageConnection c = Ipc.connectMessages(endpoint)) {
      long size = in.size();
      FileTransfer.sendText(c, "PUT " + size + " " + storedName);
      String answer = FileTransfer.receiveText(c, "the answer to PUT");
      if (!answer.equals("OK")) {
        return FilePut.refused("file-put", answer);
      }
      Progress progress = Progress.of(storedName, size);
      byte[] digest = FileTransfer.sendChunks(c, in, size, progress, bytesPerSecond);
      progress.finish();
      String hex = FileTransfer.hex(digest);
      FileTransfer.sendText(c, "SHA256 " + hex);
      String stored = FileTransfer.receiveText(c, "the server's check");
      if (!stored.equals("OK " + size + " " + hex)) {
        return FilePut.refused("file-put", stored);
      }
      System.out.println("stored " + storedName + ": " + size + " bytes, sha256 " + hex);
      return 0;
    }
  }

  /** Reports the server's ERROR answer and returns exit code 1. */
  static int refused(String command, String answer) throws IOException {
    if (!answer.startsWith("ERROR ")) {
      throw new IOException("unexpected answer from the server: " + answer);
    }
    System.err.println(command + ": " + answer.substring("ERROR ".length()));
    return 1;
  }
}
