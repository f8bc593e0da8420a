package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code chat-server} with {@code chat-client} processes and a client that never reads. */
@Timeout(60)
class ChatTest {
  @TempDir(factory = ShortTempDir.class)
  Path dir;

  @Test
  void linesReachTheOthersAndJoinsAndLeavesAreAnnounced() throws Exception {
    try (Sample server = Sample.start("chat-server", "tcp://127.0.0.1:0")) {
      String endpoint = server.awaitListening();
      try (Sample bob = Sample.start("chat-client", endpoint, "--name", "bob")) {
        server.awaitLine("bob joined");
        try (Sample alice = Sample.start("chat-client", endpoint, "--name", "alice")) {
          alice.write("hi bob\nbye\n");
          Sample.Result a = alice.finish();
          assertEquals(0, a.exit, a.toString());
          assertEquals("* welcome alice; here: bob, alice\n", a.out);
        }
        bob.awaitLine("* alice left");
        Sample.Result b = bob.finish();
        assertEquals(0, b.exit, b.toString());
        assertEquals(
            "* welcome bob; here: bob\n* alice joined\nalice: hi bob\nalice: bye\n* alice left\n",
            b.out);
      }
      server.awaitLine("bob left");
      assertEquals("alice joined\nalice left\n", between(server.output(), "bob joined\n", "bob"));
    }
  }

  @Test
  void aKilledClientIsAnnouncedAsGone() throws Exception {
    try (Sample server = Sample.start("chat-server", "unix://" + dir.resolve("c.sock"));
        Sample bob = Sample.start("chat-client", server.awaitListening(), "--name", "bob")) {
      server.awaitLine("bob joined");
      try (Sample carol =
          Sample.start("chat-client", "unix://" + dir.resolve("c.sock"), "--name", "carol")) {
        bob.awaitLine("* carol joined");
        carol.process().destroyForcibly();
        bob.awaitLine(l -> l.startsWith("* carol left"));
      }
    }
  }

  @Test
  void aTakenNameIsRefusedWithANotice() throws Exception {
    try (Sample server = Sample.start("chat-server", "tcp://127.0.0.1:0")) {
      String endpoint = server.awaitListening();
      try (Sample first = Sample.start("chat-client", endpoint, "--name", "dana")) {
        server.awaitLine("dana joined");
        Sample.Result second;
        try (Sample s = Sample.start("chat-client", endpoint, "--name", "dana")) {
          // Its input stays open: the server, not the end of input, ends the conversation.
          second = s.awaitExit();
        }
        assertEquals(1, second.exit, second.toString());
        assertEquals("* the name dana is taken\n", second.out);
        assertEquals("chat-client: " + endpoint + " ended the conversation\n", second.err);
      }
    }
  }

  @Test
  void aTakenNameExitsOneEvenWhenTheInputEndsFirst() throws Exception {
    try (Sample server = Sample.start("chat-server", "tcp://127.0.0.1:0")) {
      String endpoint = server.awaitListening();
      try (Sample first = Sample.start("chat-client", endpoint, "--name", "erin")) {
        server.awaitLine("erin joined");
        // No input at all, as with < /dev/null: it ends before the server's refusal comes.
        Sample.Result second = Sample.run("chat-client", endpoint, "--name", "erin");
        assertEquals(1, second.exit, second.toString());
        assertEquals("* the name erin is taken\n", second.out);
        assertEquals("chat-client: " + endpoint + " ended the conversation\n", second.err);
      }
    }
  }

  /**
   * A client that never reads fills its socket buffers and then its queue on the server, and is
   * dropped; meanwhile a reading client gets every line, in order. The test paces the sender by the
   * reader (it writes the next batch once the reader has printed the last one), so the reader is
   * never far behind and only the stalled client can overflow.
   */
  @Test
  void aClientThatNeverReadsIsDroppedAndHoldsUpNobody() throws Exception {
    Path socket = dir.resolve("c.sock");
    try (Sample server = Sample.start("chat-server", "unix://" + socket)) {
      server.awaitListening();
      try (SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        stalled.write(ByteBuffer.wrap("stall\n".getBytes(StandardCharsets.UTF_8)));
        server.awaitLine("stall joined");
        try (Sample bob = Sample.start("chat-client", "unix://" + socket, "--name", "bob")) {
          server.awaitLine("bob joined");
          try (Sample alice = Sample.start("chat-client", "unix://" + socket, "--name", "alice")) {
            bob.awaitLine("* alice joined");
            floodUntilTheStalledClientIsDropped(server, alice, bob);
          }
        }
      }
    }
  }

  private static void floodUntilTheStalledClientIsDropped(Sample server, Sample alice, Sample bob)
      throws Exception {
    List<String> sent = new ArrayList<>();
    String padding = "x".repeat(90);
    for (int round = 0; round < 64 && !server.output().contains("stall dropped"); round++) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 640; i++) {
        String line = String.format("%06d %s", sent.size(), padding);
        sent.add(line);
        batch.append(line).append('\n');
      }
      alice.write(batch.toString());
      bob.awaitLine("alice: " + sent.get(sent.size() - 1));
    }
    String drop = server.awaitLine(l -> l.startsWith("stall dropped: "));
    Matcher queued =
        Pattern.compile("stall dropped: outbound queue full \\((\\d+) bytes\\)").matcher(drop);
    assertTrue(queued.matches(), drop);
    assertTrue(Long.parseLong(queued.group(1)) <= 262144, drop);

    // The room goes on without it.
    alice.write("still here\n");
    bob.awaitLine("alice: still here");
    sent.add("still here");
    alice.closeStdin();
    bob.awaitLine("* alice left");
    Sample.Result b = bob.finish();
    assertEquals(0, b.exit, b.toString());
    List<String> got =
        b.out
            .lines()
            .filter(l -> l.startsWith("alice: "))
            .map(l -> l.substring(7))
            .collect(Collectors.toList());
    assertEquals(sent, got, "bob got every line, in order");
    assertEquals(
        1, b.out.lines().filter(l -> l.equals("* stall left (dropped: too slow)")).count());
  }

  /** The text of {@code s} after {@code from} and before the next {@code to}. */
  private static String between(String s, String from, String to) {
    int start = s.indexOf(from) + from.length();
    return s.substring(start, s.indexOf(to, start));
  }
}
