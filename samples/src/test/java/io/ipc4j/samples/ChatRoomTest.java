package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.ipc4j.StreamConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The room's accounting, in-process, with members whose writers never run: they hold every line
 * offered to them, as a client that stopped reading does once its socket buffers are full.
 */
@Timeout(10)
class ChatRoomTest {
  @Test
  void aStalledMemberIsDroppedAfterABoundedNumberOfEmptyLines() throws Exception {
    ChatRoom room = new ChatRoom();
    ChatMember ann = new ChatMember("ann", mock(StreamConnection.class), 1 << 20);
    StreamConnection bobsConnection = mock(StreamConnection.class);
    ChatMember bob = new ChatMember("bob", bobsConnection, ChatServer.MAX_LINE_BYTES);
    room.join(ann);
    room.join(bob);
    // Each queued line costs its bytes and 96 for its buffer: bob's welcome ("* welcome bob;
    // here: ann, bob\n") 30 + 96, each of ann's empty lines ("ann: \n") 6 + 96. 38 of them fit
    // in 4096 bytes; counting bytes alone, 677 would, each in a buffer of its own.
    for (int i = 0; i < 38; i++) {
      room.say(ann, "");
    }
    assertEquals(30 + 96 + 38 * (6 + 96), bob.queuedBytes());
    verify(bobsConnection, never()).close();

    room.say(ann, "");
    verify(bobsConnection).close();
    assertEquals(0, bob.queuedBytes(), "its queue freed");
  }
}
