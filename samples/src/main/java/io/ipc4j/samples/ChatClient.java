package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.StreamConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Joins a {@code chat-server} as {@code --name}, sends the lines of standard input and prints what
 * the room says. At the end of input it leaves (the server announces it) and exits 0 once the
 * server has delivered what was on its way; if the server refuses it (a name that is taken or not a
 * name: its first line is not {@code * welcome NAME; ...}), even after the input ended, or ends the
 * conversation first (a client that was too slow, a server that shuts down), it exits 1.
 */
@Command(
    name = "chat-client",
    mixinStandardHelpOptions = true,
    description = "Chat: send standard input's lines, print everybody else's.")
final class ChatClient implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ENDPOINT", description = "The chat server, e.g. tcp://127.0.0.1:7000")
  Endpoint endpoint;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Your name")
  String name;

  private volatile boolean inputDone;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.STREAM);
    boolean welcomed;
    try (StreamConnection c = Ipc.connect(endpoint)) {
      OutputStream out = c.outputStream();
      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
      // Standard input goes out as it comes, so typing works line by line; the server splits it
      // into lines. The room's lines come back on this thread.
      Threads.start(
          "chat-client-input",
          () -> {
            try {
              System.in.transferTo(out);
              inputDone = true;
              c.shutdownOutput();
            } catch (IOException e) {
              // The server closed the connection: the reader below reports it.
            }
          });
      welcomed = copyFlushing(c.inputStream(), System.out);
    }
    // Input that ends at once (< /dev/null) ends before a refusal comes: the welcome decides.
    if (!welcomed || !inputDone) {
      System.err.println("chat-client: " + endpoint + " ended the conversation");
      return 1;
    }
    return 0;
  }

  /**
   * Copies as bytes arrive: a person reading the room should not wait for a buffer to fill. Returns
   * whether the server's first line welcomed this client.
   */
  private boolean copyFlushing(InputStream in, PrintStream out) throws IOException {
    byte[] welcome = ("* welcome " + name + ";").getBytes(StandardCharsets.UTF_8);
    int matched = 0;
    boolean other = false;
    byte[] buffer = new byte[16384];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      for (int i = 0; i < n && !other && matched < welcome.length; i++) {
        if (buffer[i] == welcome[matched]) {
          matched++;
        } else {
          other = true;
        }
      }
      out.write(buffer, 0, n);
      out.flush();
    }
    return matched == welcome.length;
  }
}
