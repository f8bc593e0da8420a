package io.ipc4j;

import java.io.IOException;

/**
 * A message is larger than allowed: one being sent exceeds the connection's maximum (nothing was
 * written and the connection stays usable), one announced by the peer exceeds it (the connection is
 * closed, since the stream cannot be resynchronised), or one received does not fit the caller's
 * buffer (the message is discarded and the connection stays usable).
 */
public class MessageTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  /**
   * @param message the detail message, naming the endpoint
   * @param size the size of the message in bytes
   * @param limit the limit it exceeds, in bytes
   */
  public MessageTooLargeException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** The size of the message, in bytes. */
  public long size() {
    return size;
  }

  /** The limit it exceeds, in bytes. */
  public long limit() {
    return limit;
  }
}
