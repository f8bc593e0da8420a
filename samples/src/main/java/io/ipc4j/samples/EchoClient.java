package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends lines to an echo server and prints what comes back: each MESSAGE as one line, or without
 * messages the lines of standard input. Over a stream each line is sent newline-terminated, and the
 * client stops once as many lines came back as were sent; if the peer closes first, it says how
 * many came back and exits 1. Over {@code udp}, {@code unixgram} or {@code unixpacket} each line is
 * one datagram (without the newline), sent after the previous reply arrived; a reply that does not
 * come within {@code --timeout} is an error, since a datagram may be lost. An empty line is skipped
 * there, with a word on standard error: a connected datagram socket cannot send an empty datagram.
 */
@Command(
    name = "echo-client",
    mixinStandardHelpOptions = true,
    description = "Send lines to an echo server and print the replies.")
final class EchoClient implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ENDPOINT",
      description = "The server, e.g. tcp://127.0.0.1:7000 or udp://127.0.0.1:9000")
  Endpoint endpoint;

  @Parameters(
      index = "1..*",
      paramLabel = "MESSAGE",
      description = "Lines to send (default: standard input)")
  List<String> messages = List.of();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long to wait for each datagram's reply, e.g. 5s or 500ms (default: ${DEFAULT-VALUE})",
      converter = Durations.class,
      defaultValue = "5s")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    return endpoint.kind() == Endpoint.Kind.STREAM ? echoStream() : echoMessages();
  }

  private int echoStream() throws IOException {
    try (StreamConnection c = Ipc.connect(endpoint)) {
      AtomicLong done = new AtomicLong(-1);
      // Sending and receiving run at once, so a long input never fills both sides' buffers.
      Threads.start(
          "echo-client-sender",
          () -> {
            try {
              OutputStream out = c.outputStream();
              long sent = 0;
              for (Iterator<String> lines = lines(); lines.hasNext(); sent++) {
                out.write((lines.next() + "\n").getBytes(StandardCharsets.UTF_8));
              }
              done.set(sent);
              c.shutdownOutput();
            } catch (IOException | UncheckedIOException e) {
              System.err.println("echo-client: " + e.getMessage());
            }
          });
      BufferedReader replies =
          new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8));
      long received = 0;
      while (done.get() < 0 || received < done.get()) {
        String line = replies.readLine();
        if (line == null) {
          long sent = done.get();
          if (sent >= 0 && received >= sent) {
            // All came back before the input ended; the server closed after this end did.
            break;
          }
          System.out.flush();
          System.err.println(
              "echo-client: "
                  + endpoint
                  + " closed the connection after echoing "
                  + (sent < 0
                      ? lines(received) + ", before the input ended"
                      : received + " of " + lines(sent)));
          return 1;
        }
        System.out.println(line);
        received++;
      }
      System.out.flush();
      return 0;
    }
  }

  private static String lines(long n) {
    return n == 1 ? "1 line" : n + " lines";
  }

  private int echoMessages() throws IOException {
    IpcOptions options = IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, timeout);
    try (MessageConnection c = Ipc.connectMessages(endpoint, options)) {
      for (Iterator<String> lines = lines(); lines.hasNext(); ) {
        String line = lines.next();
        if (line.isEmpty()) {
          // A connected datagram socket sends no empty datagram (see the README): say so, go on.
          System.err.println(
              "echo-client: skipped an empty line: no empty datagrams to " + endpoint);
          continue;
        }
        c.send(StandardCharsets.UTF_8.encode(line));
        ByteBuffer reply;
        try {
          reply = c.receive();
        } catch (SocketTimeoutException e) {
          System.err.println(
              "echo-client: no reply from " + endpoint + " within " + Durations.format(timeout));
          return 1;
        }
        if (reply == null) {
          System.err.println("echo-client: " + endpoint + " closed the connection");
          return 1;
        }
        System.out.println(StandardCharsets.UTF_8.decode(reply));
      }
      System.out.flush();
      return 0;
    }
  }

  private Iterator<String> lines() {
    if (!messages.isEmpty()) {
      return messages.iterator();
    }
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        .lines()
        .iterator();
  }
}
