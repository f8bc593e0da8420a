package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rpc-server} and {@code rpc-client} as separate processes. */
@Timeout(60)
class RpcTest {
  @TempDir(factory = ShortTempDir.class)
  Path dir;

  @Test
  void singleCallsPrintTheirResultAndRefusalsGoToStandardError() throws Exception {
    try (Sample server = Sample.start("rpc-server", "unix://" + dir.resolve("r.sock"))) {
      String endpoint = server.awaitListening();
      assertResult("5\n", Sample.run("rpc-client", endpoint, "add", "2", "3"));
      assertResult("two  spaces\n", Sample.run("rpc-client", endpoint, "echo", "two  spaces"));
      assertResult("slept 1 ms\n", Sample.run("rpc-client", endpoint, "sleep", "1"));
      Sample.Result time = Sample.run("rpc-client", endpoint, "time");
      assertTrue(
          time.out.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\n"), time.out);

      Sample.Result bad = Sample.run("rpc-client", endpoint, "add", "2", "x");
      assertEquals(1, bad.exit, bad.toString());
      assertEquals("rpc-client: add: not an integer: \"x\"\n", bad.err);
      Sample.Result unknown = Sample.run("rpc-client", endpoint, "divide", "1", "0");
      assertEquals(
          "rpc-client: unknown method \"divide\" (expected: add, time, echo or sleep)\n",
          unknown.err);
    }
  }

  @Test
  void batchKeepsCallsInFlightAndMatchesRepliesThatComeOutOfOrder() throws Exception {
    try (Sample server = Sample.start("rpc-server", "tcp://127.0.0.1:0");
        Sample client = Sample.start("rpc-client", server.awaitListening(), "--batch")) {
      // Replies are numbered by line, the blank one counted, so that a reader can find the call.
      client.write("sleep 1000\n\necho x\nadd 40 2\nadd 1\n");
      Sample.Result r = client.finish();
      assertEquals(1, r.exit, "one call was refused: " + r);
      assertEquals(
          "#3 x\n#4 42\n#5 error: add: expected 2 integers, got 1\n#1 slept 1000 ms\n", r.out);
    }
  }

  /**
   * SIGTERM (Ctrl-C) while a call sleeps: the call ends at once with its error reply, where it used
   * to hold the server through the whole shutdown grace and then lose its connection unanswered.
   */
  @Test
  void shutdownEndsACallInFlightWithAnErrorReply() throws Exception {
    try (Sample server = Sample.start("rpc-server", "unix://" + dir.resolve("r.sock"));
        MessageConnection c =
            Ipc.connectMessages(
                server.awaitListening(),
                IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(30)))) {
      c.send(StandardCharsets.UTF_8.encode("1 sleep 60000"));
      // Requests are read in order: once the echo is answered, the sleep has been handed over.
      assertEquals("2 ok x", call(c, "2 echo x"));
      server.terminate();
      ByteBuffer reply = c.receive();
      assertNotNull(reply, "the sleep was answered before its connection closed");
      assertEquals(
          "1 error interrupted: the server is shutting down",
          StandardCharsets.UTF_8.decode(reply).toString());
    }
  }

  @Test
  void malformedRequestsGetErrorRepliesAndTheConnectionStaysOpen() throws Exception {
    try (Sample server = Sample.start("rpc-server", "unix://" + dir.resolve("r.sock"));
        MessageConnection c = Ipc.connectMessages(server.awaitListening())) {
      assertEquals(
          "- error malformed request (expected: ID METHOD [ARGS], ID of 1 to 32 letters, digits,"
              + " '.', '-' or '_'): \"\"",
          call(c, ""));
      assertEquals(
          "7 error malformed request: no method (expected: ID METHOD [ARGS])", call(c, "7"));
      assertEquals("- error malformed request: not UTF-8 text", call(c, new byte[] {(byte) 0xff}));
      assertEquals(
          "8 error sleep: 60001 ms out of range (expected: 0 to 60000)", call(c, "8 sleep 60001"));
      assertEquals("9 ok 3", call(c, "9 add 1 2"));
    }
  }

  @Test
  void aCallWhoseThreadCannotStartGetsAnErrorReplyAndTheConnectionGoesOn() throws Exception {
    Path socket = dir.resolve("r.sock");
    try (Listener<MessageConnection> listener = Ipc.listenMessages("unix://" + socket);
        MessageConnection c =
            Ipc.connectMessages(
                "unix://" + socket,
                IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(10)))) {
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread server =
          Threads.start(
              "rpc-server under test",
              () -> {
                try (MessageConnection s = listener.accept()) {
                  RpcServer.serve(
                      s,
                      (name, task) -> {
                        throw new OutOfMemoryError("unable to create native thread: test");
                      },
                      new RpcServer.Calls());
                } catch (Throwable e) {
                  failed.set(e);
                }
              });
      assertEquals(
          "1 error sleep: cannot start a thread for it: unable to create native thread: test",
          call(c, "1 sleep 1"));
      assertEquals("2 ok 3", call(c, "2 add 1 2"));
      c.close();
      // The connection ends without waiting for a permit that no thread holds.
      server.join(TimeUnit.SECONDS.toMillis(Sample.WAIT_SECONDS));
      assertEquals(false, server.isAlive(), "serve returned");
      assertEquals(null, failed.get());
    }
  }

  private static void assertResult(String out, Sample.Result r) {
    assertEquals(0, r.exit, r.toString());
    assertEquals(out, r.out);
  }

  private static String call(MessageConnection c, String request) throws IOException {
    return call(c, request.getBytes(StandardCharsets.UTF_8));
  }

  private static String call(MessageConnection c, byte[] request) throws IOException {
    c.send(ByteBuffer.wrap(request));
    return StandardCharsets.UTF_8.decode(c.receive()).toString();
  }
}
