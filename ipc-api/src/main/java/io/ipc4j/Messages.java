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
   * Checks a batch before any of it is sent: the range, each message's presence and size, where the
   * transport cannot carry one that none is empty, and that no buffer is there twice. Throws for
   * the first message at fault, naming its index.
   *
   * <p>A buffer twice would go wrong in every transport: a gathering write that ends part way
   * rewinds it to the later of its two places and writes bytes of the first again, out of step with
   * the frames; a batch split over several writes, and each packet or datagram, sends it empty (or
   * refuses it) the second time, after part of the batch went out.
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
    checkDistinct(messages, offset, length, peer);
  }

  /** Batches up to this long are checked pair by pair; longer ones through an identity table. */
  private static final int PAIRWISE = 8;

  private static void checkDistinct(ByteBuffer[] messages, int offset, int length, Endpoint peer) {
    int end = offset + length;
    if (length <= PAIRWISE) {
      for (int i = offset + 1; i < end; i++) {
        for (int j = offset; j < i; j++) {
          if (messages[i] == messages[j]) {
            throw sameBufferTwice(j, i, peer);
          }
        }
      }
      return;
    }
    // Open addressing on identity (ByteBuffer.hashCode is its content), at most half full.
    int mask = Integer.highestOneBit(length) * 4 - 1;
    int[] slots = new int[mask + 1]; // index + 1 of the message in a slot, 0 for none
    for (int i = offset; i < end; i++) {
      ByteBuffer m = messages[i];
      int slot = mix(System.identityHashCode(m)) & mask;
      while (slots[slot] != 0) {
        if (messages[slots[slot] - 1] == m) {
          throw sameBufferTwice(slots[slot] - 1, i, peer);
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }

  private static IllegalArgumentException sameBufferTwice(int first, int second, Endpoint peer) {
    return new IllegalArgumentException(
        "messages["
            + second
            + "] is messages["
            + first
            + "], the same buffer twice (expected: a buffer once per batch; send the same bytes"
            + " again through buffer.duplicate()), none of the batch sent: "
            + peer);
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
