package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Calls {@code rpc-server}: {@code rpc-client ENDPOINT add 2 3} prints {@code 5}. With {@code
 * --batch} it reads one call per line from standard input ({@code METHOD [ARGS]}), sends each as
 * soon as it is read without waiting for earlier replies, and prints each reply as it arrives as
 * {@code #N RESULT} (N: the number of the call's line, blank lines counted), so that a quick call
 * overtakes a slow one. A call the server refuses is printed as {@code #N error: MESSAGE} (or, for
 * a single call, on standard error) and makes the exit code 1.
 */
@Command(
    name = "rpc-client",
    mixinStandardHelpOptions = true,
    description = {
      "Call rpc-server: METHOD [ARGS...], or with --batch one call per line of standard input,"
          + " all in flight at once."
    })
final class RpcClient implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ENDPOINT", description = "The server")
  Endpoint endpoint;

  @Parameters(
      index = "1..*",
      paramLabel = "CALL",
      description = "METHOD [ARGS...]: add A B, time, echo TEXT or sleep MS")
  List<String> call = List.of();

  @Option(
      names = "--batch",
      description = "Read calls from standard input, one per line, and send them all at once")
  boolean batch;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "70s",
      description = "How long to wait for a reply (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (batch == !call.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "expected either METHOD [ARGS...] or --batch, not both or neither");
    }
    IpcOptions options = IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, timeout);
    try (MessageConnection c = Ipc.connectMessages(endpoint, options)) {
      return batch ? batch(c) : single(c);
    }
  }

  private int single(MessageConnection c) throws IOException {
    send(c, "1", String.join(" ", call));
    Reply reply = receive(c);
    if (reply == null) {
      return 1;
    }
    if (!reply.ok) {
      System.err.println("rpc-client: " + reply.text);
      return 1;
    }
    System.out.println(reply.text);
    return 0;
  }

  private int batch(MessageConnection c) throws IOException, InterruptedException {
    // One permit per request sent and one more at the end of input: the receiver calls receive()
    // only when a reply is owed, so it never blocks on a connection that has nothing more to say.
    Semaphore permits = new Semaphore(0);
    AtomicLong sent = new AtomicLong();
    AtomicBoolean inputEnded = new AtomicBoolean();
    Threads.start(
        "rpc-client-sender",
        () -> {
          try {
            BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long number = 0;
            for (String line; (line = in.readLine()) != null; ) {
              number++; // blank lines too: a reply names the line of its call
              if (!line.isBlank()) {
                send(c, Long.toString(number), line.strip());
                sent.incrementAndGet();
                permits.release();
              }
            }
          } catch (IOException | UncheckedIOException e) {
            System.err.println("rpc-client: " + e.getMessage());
          }
          inputEnded.set(true);
          permits.release();
        });
    int exit = 0;
    for (long received = 0; ; received++) {
      permits.acquire();
      if (inputEnded.get() && received == sent.get()) {
        return exit;
      }
      Reply reply = receive(c);
      if (reply == null) {
        return 1;
      }
      System.out.println("#" + reply.id + (reply.ok ? " " : " error: ") + reply.text);
      System.out.flush();
      exit |= reply.ok ? 0 : 1;
    }
  }

  private static void send(MessageConnection c, String id, String call) throws IOException {
    c.send(StandardCharsets.UTF_8.encode(id + " " + call));
  }

  /** The next reply, or null (reported) if none came. */
  private Reply receive(MessageConnection c) throws IOException {
    ByteBuffer m;
    try {
      m = c.receive();
    } catch (SocketTimeoutException e) {
      System.err.println(
          "rpc-client: no reply from " + endpoint + " within " + Durations.format(timeout));
      return null;
    }
    if (m == null) {
      System.err.println("rpc-client: " + endpoint + " closed the connection");
      return null;
    }
    String text = StandardCharsets.UTF_8.decode(m).toString();
    String[] parts = text.split(" ", 3);
    boolean ok = parts.length >= 2 && parts[1].equals("ok");
    return new Reply(parts[0], ok, parts.length == 3 ? parts[2] : "");
  }

  private static final class Reply {
    final String id;
    final boolean ok;
    final String text;

    Reply(String id, boolean ok, String text) {
      this.id = id;
      this.ok = ok;
      this.text = text;
    }
  }
}
