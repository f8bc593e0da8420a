package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipc4j.Ipc;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code file-server}, {@code file-put} and {@code file-get} as separate processes. */
@Timeout(60)
class FileTransferTest {
  @TempDir(factory = ShortTempDir.class)
  Path tmp;

  @Test
  void putThenGetRoundTripsAFileOverUnixAndTcpWithoutAProgressBarWhenPiped() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    byte[] data = random(1_500_000);
    Path file = Files.write(tmp.resolve("data.bin"), data);
    String hex = sha256(data);
    try (Sample unix =
            Sample.start(
                "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString());
        Sample tcp = Sample.start("file-server", "tcp://127.0.0.1:0", "--dir", served.toString())) {
      String unixEndpoint = unix.awaitListening();
      String tcpEndpoint = tcp.awaitListening();

      Sample.Result put = Sample.run("file-put", unixEndpoint, file.toString());
      assertEquals(0, put.exit, put.toString());
      assertEquals("stored data.bin: 1500000 bytes, sha256 " + hex + "\n", put.out);
      assertArrayEquals(data, Files.readAllBytes(served.resolve("data.bin")));

      Path out = tmp.resolve("copy.bin");
      Sample.Result get = Sample.run("file-get", tcpEndpoint, "data.bin", "--out", out.toString());
      assertEquals(0, get.exit, get.toString());
      assertEquals("saved data.bin to " + out + ": 1500000 bytes, sha256 " + hex + "\n", get.out);
      assertArrayEquals(data, Files.readAllBytes(out));
      assertEquals(List.of("copy.bin", "data.bin", "served"), names(tmp, "f.sock"));
    }
  }

  @Test
  void anEmptyFileRoundTripsToo() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    Path file = Files.createFile(tmp.resolve("empty"));
    try (Sample server =
        Sample.start("file-server", "tcp://127.0.0.1:0", "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      assertEquals(0, Sample.run("file-put", endpoint, file.toString()).exit);
      Path out = tmp.resolve("back");
      Sample.Result get = Sample.run("file-get", endpoint, "empty", "--out", out.toString());
      assertEquals(0, get.exit, get.toString());
      assertEquals(0, Files.size(out));
    }
  }

  /** A client's name in the server's log cannot forge a log line or drive the terminal. */
  @Test
  void controlCharactersInANameReachTheServersLogAsQuestionMarks() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    Path file = Files.write(tmp.resolve("f"), new byte[] {1});
    try (Sample server =
        Sample.start("file-server", "tcp://127.0.0.1:0", "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      String name = "a\nstored forged\u001b[2J\u009bz";
      Sample.Result put = Sample.run("file-put", endpoint, file.toString(), "--name", name);
      assertEquals(0, put.exit, put.toString());
      server.awaitLine(l -> l.startsWith("stored a?stored forged?[2J?z (1 bytes"));
      assertFalse(server.output().contains("\nstored forged"), server.output());
    }
  }

  @Test
  void namesOutOfTheDirectoryAreRefusedWithAClearError() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "not yours");
    Files.createSymbolicLink(served.resolve("out"), outside);
    Files.createSymbolicLink(served.resolve("secret-link"), outside.resolve("secret"));
    Path file = Files.writeString(tmp.resolve("x.txt"), "x");
    try (Sample server =
        Sample.start(
            "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      assertRefused(
          "file-put: ../x.txt: '..' is not allowed",
          "file-put",
          endpoint,
          file.toString(),
          "--name",
          "../x.txt");
      assertRefused(
          "file-put: " + outside + "/x.txt: absolute paths are not allowed",
          "file-put",
          endpoint,
          file.toString(),
          "--name",
          outside + "/x.txt");
      assertRefused(
          "file-put: out/x.txt: a link out of the served directory",
          "file-put",
          endpoint,
          file.toString(),
          "--name",
          "out/x.txt");
      assertRefused(
          "file-get: secret-link: a link out of the served directory",
          "file-get",
          endpoint,
          "secret-link",
          "--out",
          tmp.resolve("got").toString());
      assertRefused(
          "file-get: out/secret: a link out of the served directory",
          "file-get",
          endpoint,
          "out/secret",
          "--out",
          tmp.resolve("got").toString());
      assertRefused(
          "file-get: a/../../outside/secret: '..' is not allowed",
          "file-get",
          endpoint,
          "a/../../outside/secret",
          "--out",
          tmp.resolve("got").toString());
      assertRefused(
          "file-get: missing: no such file",
          "file-get",
          endpoint,
          "missing",
          "--out",
          tmp.resolve("got").toString());
      assertEquals(List.of("secret"), names(outside));
      assertEquals(List.of("out", "secret-link"), names(served));
      assertFalse(Files.exists(tmp.resolve("got")));
    }
  }

  @Test
  void aPathThroughAFileIsRefusedNamingOnlyWhatTheClientSent() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    Files.writeString(served.resolve("a.txt"), "a");
    Path file = Files.writeString(tmp.resolve("x.txt"), "x");
    try (Sample server =
        Sample.start(
            "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      assertRefused(
          "file-get: a.txt/x: Not a directory",
          "file-get",
          endpoint,
          "a.txt/x",
          "--out",
          tmp.resolve("got").toString());
      assertRefused(
          "file-put: a.txt/x: no such directory",
          "file-put",
          endpoint,
          file.toString(),
          "--name",
          "a.txt/x");
      assertEquals(List.of("a.txt"), names(served));
    }
  }

  @Test
  void fileGetWritesToStandardOutputAndFailsSayingSoWhenItCannot() throws Exception {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full to fail writes");
    Path served = Files.createDirectory(tmp.resolve("served"));
    Files.write(served.resolve("data.bin"), random(200_000));
    Files.writeString(served.resolve("t.txt"), "text\n");
    try (Sample server =
        Sample.start(
            "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      Sample.Result text = Sample.run("file-get", endpoint, "t.txt", "--out", "-");
      assertEquals(0, text.exit, text.toString());
      assertEquals("text\n", text.out);

      // Every write to /dev/full fails with ENOSPC, as on a full disk.
      Process get =
          new ProcessBuilder(Sample.command("file-get", endpoint, "data.bin", "--out", "-"))
              .redirectOutput(new File("/dev/full"))
              .start();
      try {
        String err = new String(get.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(get.waitFor(Sample.WAIT_SECONDS, TimeUnit.SECONDS), err);
        assertEquals(1, get.exitValue(), err);
        assertEquals("file-get: standard output: No space left on device\n", err);
      } finally {
        get.destroyForcibly();
      }
    }
  }

  @Test
  void anUploadKilledMidTransferNeverAppearsUnderItsName() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    Path file = Files.write(tmp.resolve("big.bin"), random(4 << 20));
    try (Sample server =
        Sample.start(
            "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      // 256 KiB a second: 16 s for the whole file, so it is surely killed in the middle.
      try (Sample put =
          Sample.start("file-put", endpoint, file.toString(), "--limit-rate", "256k")) {
        String receiving = server.awaitLine(l -> l.startsWith("receiving big.bin "));
        Path part = served.resolve(receiving.substring(receiving.lastIndexOf(' ') + 1));
        awaitNonEmpty(part);
        put.process().destroyForcibly();
        String abandoned = server.awaitLine(l -> l.startsWith("upload of big.bin abandoned"));
        assertTrue(
            abandoned.matches(
                "upload of big\\.bin abandoned: the connection closed after \\d+ of 4194304"
                    + " bytes"),
            abandoned);
      }
      assertEquals(List.of(), names(served), "neither big.bin nor its temporary file");
    }
  }

  @Test
  void aDownloadStoppedBySigtermLeavesNoTemporaryFile() throws Exception {
    Path socket = tmp.resolve("slow.sock");
    Path out = Files.createDirectory(tmp.resolve("out"));
    try (Listener<MessageConnection> slow = Ipc.listenMessages("unix://" + socket);
        Sample get =
            Sample.start("file-get", "unix://" + socket, "big.bin", "--out", out + "/big.bin");
        MessageConnection c = slow.accept()) {
      assertEquals("GET big.bin", receive(c));
      // A server that announces a mebibyte, sends the first kibibyte and then nothing more.
      send(c, "OK 1048576");
      c.send(ByteBuffer.wrap(random(1024)));
      awaitFile(out, ".big.bin.*.part", 1024);
      assertEquals(143, get.terminate(), "killed by SIGTERM");
      assertEquals(List.of(), names(out), "no temporary file left");
    }
  }

  @Test
  void anUploadWhoseHashDoesNotMatchIsRefusedAndNotStored() throws Exception {
    Path served = Files.createDirectory(tmp.resolve("served"));
    try (Sample server =
            Sample.start(
                "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString());
        MessageConnection c = Ipc.connectMessages(server.awaitListening())) {
      send(c, "PUT 5 bad.txt");
      assertEquals("OK", receive(c));
      c.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
      send(c, "SHA256 " + "0".repeat(64));
      assertEquals(
          "ERROR bad.txt: SHA-256 mismatch: received "
              + sha256("hello".getBytes(StandardCharsets.UTF_8))
              + ", sender says SHA256 "
              + "0".repeat(64),
          receive(c));
      // The connection goes on: a malformed request is answered too.
      send(c, "DELETE bad.txt");
      assertEquals("ERROR unknown request \"DELETE bad.txt\" (expected: PUT or GET)", receive(c));
      assertEquals(List.of(), names(served));
    }
  }

  @Test
  void aProgressBarIsDrawnWhenOutputIsATerminal() throws Exception {
    assumeTrue(Interop.has("script"), "util-linux script (to run under a terminal) is missing");
    Path served = Files.createDirectory(tmp.resolve("served"));
    Path file = Files.write(tmp.resolve("tty.bin"), random(300_000));
    try (Sample server =
        Sample.start(
            "file-server", "unix://" + tmp.resolve("f.sock"), "--dir", served.toString())) {
      String endpoint = server.awaitListening();
      String command =
          Sample.command("file-put", endpoint, file.toString()).stream()
              .map(FileTransferTest::shellQuote)
              .collect(Collectors.joining(" "));
      Process p =
          new ProcessBuilder("script", "-qec", command, "/dev/null")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      try {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Sample.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(
            out.contains("\rtty.bin [" + "#".repeat(30) + "] 100% 293.0 KiB / 293.0 KiB"), out);
        assertTrue(out.contains("stored tty.bin: 300000 bytes"), out);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static void assertRefused(String error, String... args) throws Exception {
    Sample.Result r = Sample.run(args);
    assertEquals(1, r.exit, r.toString());
    assertEquals(error + "\n", r.err);
    assertEquals("", r.out);
  }

  /** Waits until {@code file} has bytes: the upload is under way. */
  private static void awaitNonEmpty(Path file) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sample.WAIT_SECONDS);
    while (!Files.exists(file) || Files.size(file) == 0) {
      if (System.nanoTime() > deadline) {
        fail(file + " stayed empty");
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  /** Waits until a file in {@code dir} that matches {@code glob} holds {@code size} bytes. */
  private static void awaitFile(Path dir, String glob, long size)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sample.WAIT_SECONDS);
    while (true) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
        for (Path f : files) {
          if (Files.size(f) == size) {
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        fail("no " + glob + " of " + size + " bytes in " + dir + ": " + names(dir));
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private static List<String> names(Path dir, String... except) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !List.of(except).contains(n))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static void send(MessageConnection c, String text) throws IOException {
    c.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String receive(MessageConnection c) throws IOException {
    return StandardCharsets.UTF_8.decode(c.receive()).toString();
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
