package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcServer;
import io.ipc4j.StreamConnection;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A line-based chat room on any stream endpoint. The protocol is plain text, so {@code nc} or
 * {@code socat} can join: the first line a client sends is its name (letters, digits, {@code .-_},
 * at most 32), each later line reaches every other client as {@code NAME: line}, and the server's
 * own notices start with {@code * } ({@code * welcome NAME; here: ...}, {@code * NAME joined},
 * {@code * NAME left}). Lines are UTF-8, at most 4096 bytes.
 *
 * <p>A slow, stalled or dead client never holds up the others: each client has a bounded outbound
 * queue ({@code --queue-limit}, which counts each queued line's bytes and {@value
 * ChatMember#QUEUE_ENTRY_BYTES} more for its buffer, so that empty lines fill it too) and a writer
 * thread of its own, and one whose queue overflows is disconnected, which the others see as {@code
 * * NAME left (dropped: too slow)}. The server's memory is therefore bounded by connections ×
 * (queue limit + line limit). Prints one line per join, leave and drop.
 */
@Command(
    name = "chat-server",
    mixinStandardHelpOptions = true,
    description = {
      "Relay each line a client sends to every other client as 'NAME: line'.",
      "A client's first line is its name; joins and leaves are announced."
    })
final class ChatServer implements Callable<Integer> {
  static final int MAX_LINE_BYTES = 4096;
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._-]{1,32}");
  private static final long DELIVERY_WAIT_MILLIS = 2000;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. tcp://0.0.0.0:7000 or unix:///tmp/chat.sock")
  Endpoint endpoint;

  @Option(
      names = "--queue-limit",
      paramLabel = "BYTES",
      description =
          "Bytes that may wait for one client, each line counted with "
              + ChatMember.QUEUE_ENTRY_BYTES
              + " more for its buffer; a client further behind is dropped"
              + " (default: ${DEFAULT-VALUE})",
      defaultValue = "262144")
  long queueLimit;

  private final ChatRoom room = new ChatRoom();
  private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.STREAM);
    if (queueLimit < MAX_LINE_BYTES) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--queue-limit: " + queueLimit + " (expected: >= " + MAX_LINE_BYTES + ")");
    }
    IpcServer server = IpcServer.builder(endpoint).streamHandler(this::serve).start();
    // Tell the clients first and end their input, so that the server's close finds its handlers
    // finishing rather than waiting out its grace period on readers blocked in read().
    return Shutdown.serve("chat-server", server.endpoint(), this::closeRoom, server);
  }

  private void closeRoom() {
    room.close();
    for (StreamConnection c : connections) {
      try {
        c.shutdownInput();
      } catch (IOException e) {
        // Already closed: its reader has ended anyway.
      }
    }
  }

  private void serve(StreamConnection c) throws IOException, InterruptedException {
    connections.add(c);
    try {
      LineReader in = new LineReader(c.inputStream(), MAX_LINE_BYTES);
      String name = in.readLine();
      if (name == null) {
        return;
      }
      ChatMember member = new ChatMember(name, c, queueLimit);
      member.start();
      String refused =
          NAME.matcher(name).matches()
              ? room.join(member)
              : "not a name (expected: letters, digits, '.', '-' or '_', at most 32): " + name;
      if (refused != null) {
        member.finish("* " + refused);
        member.awaitDelivered(DELIVERY_WAIT_MILLIS);
        return;
      }
      String why = null;
      try {
        for (String line; (line = in.readLine()) != null; ) {
          room.say(member, line);
        }
      } catch (LineReader.LineTooLongException e) {
        why = e.getMessage();
      } catch (IOException e) {
        why = "connection lost";
      }
      room.leave(member, why);
      member.finish(why == null ? null : "* " + why);
      member.awaitDelivered(DELIVERY_WAIT_MILLIS);
    } finally {
      connections.remove(c);
    }
  }
}
