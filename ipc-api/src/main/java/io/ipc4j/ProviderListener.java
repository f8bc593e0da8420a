package io.ipc4j;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/** A {@link Listener} over a provider's acceptor (streams or packets), wrapping what it accepts. */
final class ProviderListener<C> implements ServedListener<C> {
  /** Accepts the next connection and wraps it. */
  @FunctionalInterface
  interface Accept<C> {
    C accept() throws IOException;
  }

  private final Closeable acceptor;
  private final Endpoint endpoint;
  private final Accept<C> accept;
  private final BooleanSupplier isOpen;
  private final boolean virtualThreads;

  ProviderListener(
      Closeable acceptor,
      Endpoint endpoint,
      Accept<C> accept,
      BooleanSupplier isOpen,
      boolean virtualThreads) {
    this.acceptor = acceptor;
    this.endpoint = endpoint;
    this.accept = accept;
    this.isOpen = isOpen;
    this.virtualThreads = virtualThreads;
  }

  @Override
  public C accept() throws IOException {
    return accept.accept();
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean isOpen() {
    return isOpen.getAsBoolean();
  }

  @Override
  public boolean virtualThreads() {
    return virtualThreads;
  }

  @Override
  public void close() throws IOException {
    acceptor.close();
  }

  @Override
  public String toString() {
    return "Listener[" + endpoint + "]";
  }
}
