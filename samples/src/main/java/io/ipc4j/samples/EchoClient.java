package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.StreamConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Sends lines to an echo server and prints what comes back: each MESSAGE as one line, or without
 * messages the lines of standard input. Stops once as many lines came back as were sent, or when
 * the peer closes.
 */
@Command(
    name = "echo-client",
    mixinStandardHelpOptions = true,
    description = "Send lines to an echo server and print the replies.")
final class EchoClient implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ENDPOINT",
      description = "The server, e.g. tcp://127.0.0.1:7000")
  Endpoint endpoint;

  @Parameters(
      index = "1..*",
      paramLabel = "MESSAGE",
      description = "Lines to send (default: standard input)")
  List<String> messages = List.of();

  @Override
  public Integer call() throws Exception {
    try (StreamConnection c = Ipc.connect(endpoint)) {
      AtomicLong sent = new AtomicLong();
      AtomicLong done = new AtomicLong(-1);
      Thread sender =
          new Thread(
              () -> {
                try {
                  OutputStream out = c.outputStream();
                  if (messages.isEmpty()) {
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) {
                      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                      sent.incrementAndGet();
                    }
                  } else {
                    for (String m : messages) {
                      out.write((m + "\n").getBytes(StandardCharsets.UTF_8));
                      sent.incrementAndGet();
                    }
                  }
                  done.set(sent.get());
                  c.shutdownOutput();
                } catch (Exception e) {
                  System.err.println("echo-client: " + e.getMessage());
                }
              },
              "echo-client-sender");
      sender.setDaemon(true);
      sender.start();
      BufferedReader replies =
          new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8));
      long received = 0;
      for (String line; (line = replies.readLine()) != null; ) {
        System.out.println(line);
        received++;
        if (received == done.get()) {
          break;
        }
      }
      System.out.flush();
      return received >= done.get() ? 0 : 1;
    }
  }
}
