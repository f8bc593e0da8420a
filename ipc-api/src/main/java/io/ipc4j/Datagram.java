package io.ipc4j;

import java.nio.ByteBuffer;
import java.util.Objects;

/** A received datagram: who sent it, and its bytes. */
public final class Datagram {
  private final Endpoint sender;
  private final ByteBuffer payload;

  /**
   * @param sender the sender
   * @param payload the bytes, between position and limit
   */
  public Datagram(Endpoint sender, ByteBuffer payload) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  /** Who sent it. */
  public Endpoint sender() {
    return sender;
  }

  /** Its bytes, between position and limit; the buffer belongs to the caller. */
  public ByteBuffer payload() {
    return payload;
  }

  @Override
  public String toString() {
    return "Datagram[" + payload.remaining() + " bytes from " + sender + "]";
  }
}
