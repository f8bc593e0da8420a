package io.ipc4j;

import java.io.IOException;

/**
 * No transport that can serve an endpoint is available in this JVM. The message names the endpoint
 * and the providers that were found, with the reason each one could not serve it.
 */
public class TransportUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String scheme;

  /**
   * @param scheme the scheme asked for
   * @param message the detail message
   * @param cause why the best candidate was unavailable, or null
   */
  public TransportUnavailableException(String scheme, String message, Throwable cause) {
    super(message, cause);
    this.scheme = scheme;
  }

  /** The scheme that has no available transport. */
  public String scheme() {
    return scheme;
  }
}
