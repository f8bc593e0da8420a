package io.ipc4j;

import java.nio.ByteBuffer;
import java.util.Objects;

/** The size errors every message transport reports, worded once. */
final class Messages {
  private Messages() {}

  /** Throws if a message to send exceeds the maximum; nothing is sent. */
  static void checkSendSize(int length, int max, Endpoint peer) throws MessageTooLargeException {
    if (length > max) {
      throw tooLargeToSend(length, max, peer);
    }
  }

  /** A message to send that exceeds the maximum; nothing is sent. */
  static MessageTooLargeException tooLargeToSend(int length, int max, Endpoint peer) {
    return new MessageTooLargeException(
        "message of "
            + length
            + " bytes exceeds maxMessageSize "
            + max
            + " bytes, not sent: "
            + peer,
        length,
        max);
  }

  /**
   * Checks a batch before any of it is sent: the range, each message's presence and size, and,
   * where the transport cannot carry one, that none is empty. Throws for the first message at
   * fault, naming its index.
   *
   * @param allowEmpty whether the transport carries empty messages
   */
  static void checkBatch(
      ByteBuffer[] messages, int offset, int length, int max, boolean allowEmpty, Endpoint peer)
      throws MessageTooLargeException {
    Objects.requireNonNull(messages, "messages");
    Objects.checkFromIndexSize(offset, length, messages.length);
    for (int i = offset; i < offset + length; i++) {
      ByteBuffer m = messages[i];
      if (m == null) {
        throw new NullPointerException("messages[" + i + "] is null, none of the batch sent");
      }
      int size = m.remaining();
      if (size > max) {
        throw new MessageTooLargeException(
            "messages["
                + i
                + "] of "
                + size
                + " bytes exceeds maxMessageSize "
                + max
                + " bytes, none of the batch sent: "
                + peer,
            size,
            max);
      }
      if (size == 0 && !allowEmpty) {
        throw new IllegalArgumentException(
            "messages["
                + i
                + "] is empty (expected: at least 1 byte over "
                + peer.scheme()
                + "), none of the batch sent: "
                + peer);
      }
    }
  }

  /** A received message larger than the caller's buffer, discarded. */
  static MessageTooLargeException doesNotFit(long length, int room, Endpoint peer) {
    return new MessageTooLargeException(
        "message of "
            + length
            + " bytes does not fit the buffer's "
            + room
            + " remaining bytes, discarded: "
            + peer,
        length,
        room);
  }

  /** A received packet or datagram cut by the kernel because it exceeded the maximum. */
  static MessageTooLargeException overMaximum(int max, Endpoint peer) {
    return new MessageTooLargeException(
        "received a message over maxMessageSize " + max + " bytes, discarded: " + peer,
        max + 1L,
        max);
  }
}
