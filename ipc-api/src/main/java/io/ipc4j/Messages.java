package io.ipc4j;

/** The size errors every message transport reports, worded once. */
final class Messages {
  private Messages() {}

  /** Throws if a message to send exceeds the maximum; nothing is sent. */
  static void checkSendSize(int length, int max, Endpoint peer) throws MessageTooLargeException {
    if (length > max) {
      throw new MessageTooLargeException(
          "message of "
              + length
              + " bytes exceeds maxMessageSize "
              + max
              + " bytes, not sent: "
              + peer,
          length,
          max);
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
