package io.ipc4j.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in the chat, and the one place where lines are handed out. Broadcasting holds the room's
 * lock but only appends to queues (see {@link ChatMember#offer}), so every member sees lines in the
 * same order and nobody waits for a slow reader. Events are logged to standard output, one line
 * each, for whoever runs the server, after the lock is released: not even a blocked log holds up
 * the room. Thread-safe.
 */
final class ChatRoom {
  private final Map<String, ChatMember> members = new LinkedHashMap<>();
  private boolean closed;

  /**
   * Adds {@code member}, tells it who is here and tells the others it joined. Returns null, or why
   * it cannot join.
   */
  String join(ChatMember member) {
    List<String> log = new ArrayList<>();
    String refused;
    synchronized (this) {
      refused = joinLocked(member, log);
    }
    print(log);
    return refused;
  }

  /** Sends {@code name: line} to everybody but its sender. */
  void say(ChatMember from, String line) {
    List<String> log = new ArrayList<>();
    synchronized (this) {
      if (members.get(from.name()) == from) {
        List<ChatMember> dropped = new ArrayList<>();
        sendToOthers(from, from.name() + ": " + line, dropped);
        drop(dropped, log);
      }
    }
    print(log);
  }

  /** Removes {@code member}, if still here, and tells the others why it left. */
  void leave(ChatMember member, String why) {
    List<String> log = new ArrayList<>();
    synchronized (this) {
      if (members.get(member.name()) == member) {
        members.remove(member.name());
        String left = member.name() + " left" + (why == null ? "" : " (" + why + ")");
        log.add(left);
        List<ChatMember> dropped = new ArrayList<>();
        sendToOthers(member, "* " + left, dropped);
        drop(dropped, log);
      }
    }
    print(log);
  }

  private String joinLocked(ChatMember member, List<String> log) {
    if (closed) {
      return "the server is shutting down";
    }
    if (members.containsKey(member.name())) {
      return "the name " + member.name() + " is taken";
    }
    members.put(member.name(), member);
    log.add(member.name() + " joined");
    List<ChatMember> dropped = new ArrayList<>();
    member.offer("* welcome " + member.name() + "; here: " + String.join(", ", members.keySet()));
    sendToOthers(member, "* " + member.name() + " joined", dropped);
    drop(dropped, log);
    return null;
  }

  /** Refuses newcomers and tells everybody the server is going, as their last line. */
  void close() {
    List<ChatMember> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(members.values());
    }
    for (ChatMember m : left) {
      m.finish("* server shutting down");
    }
  }

  private void sendToOthers(ChatMember from, String line, List<ChatMember> dropped) {
    for (ChatMember m : members.values()) {
      if (m != from && !dropped.contains(m) && !m.offer(line)) {
        dropped.add(m);
      }
    }
  }

  /**
   * Drops members whose queue overflowed: they are disconnected at once (which frees their queue)
   * and the others are told, which may overflow more queues in turn.
   */
  private void drop(List<ChatMember> dropped, List<String> log) {
    for (int i = 0; i < dropped.size(); i++) {
      ChatMember m = dropped.get(i);
      if (members.remove(m.name()) != m) {
        continue;
      }
      log.add(m.name() + " dropped: outbound queue full (" + m.queuedBytes() + " bytes)");
      m.kill();
      sendToOthers(m, "* " + m.name() + " left (dropped: too slow)", dropped);
    }
  }

  private static void print(List<String> events) {
    for (String e : events) {
      System.out.println(e);
    }
    System.out.flush();
  }
}
