package io.ipc4j;

import java.net.BindException;

/**
 * A listener cannot bind because its address is taken: a live server holds the port or socket file,
 * or (for a Unix socket path) the path exists and is not a socket, which ipc4j never deletes. A
 * subclass of {@link BindException}, so existing catch blocks still work.
 */
public class AddressInUseException extends BindException {
  private static final long serialVersionUID = 1L;

  private final transient Endpoint endpoint;
  private final boolean holderAlive;

  /**
   * @param endpoint the endpoint that could not be bound
   * @param message the detail message, naming the endpoint
   * @param holderAlive whether a live socket holds the address (false: a file that is not a socket)
   */
  public AddressInUseException(Endpoint endpoint, String message, boolean holderAlive) {
    super(message);
    this.endpoint = endpoint;
    this.holderAlive = holderAlive;
  }

  /** The endpoint that could not be bound. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Whether a live socket holds the address; false if the holder is a file of another kind. */
  public boolean holderAlive() {
    return holderAlive;
  }
}
