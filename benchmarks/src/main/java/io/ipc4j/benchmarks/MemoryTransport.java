package io.ipc4j.benchmarks;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.TransportProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport whose sockets live in memory: {@link #connect} hands out the socket that {@link
 * #messages} attached to the endpoint. It lets the benchmarks reach the library's own framing
 * ({@code Ipc.connectMessages} over a {@code unix} endpoint) through the public SPI, with no system
 * call underneath, so that what they measure is the framing and nothing else.
 */
public final class MemoryTransport implements TransportProvider {
  static final String NAME = "memory";

  private static final Map<Endpoint, StreamSocket> ATTACHED = new ConcurrentHashMap<>();
  private static final AtomicLong NAMES = new AtomicLong();

  /**
   * Opens a message connection over {@code socket}, as {@code Ipc.connectMessages} opens one over a
   * real Unix socket: the framing is the library's, the socket is in memory.
   */
  static MessageConnection messages(StreamSocket socket) throws IOException {
    Endpoint endpoint = Endpoint.unixAbstract("ipc4j-memory-" + NAMES.incrementAndGet());
    ATTACHED.put(endpoint, socket);
    try {
      return Ipc.connectMessages(endpoint, IpcOptions.of(StandardIpcOptions.PROVIDER, NAME));
    } finally {
      ATTACHED.remove(endpoint, socket);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("unix");
  }

  /** Below every real transport: chosen only when {@code PROVIDER} names it. */
  @Override
  public int priority() {
    return Integer.MIN_VALUE;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public Optional<Throwable> unavailabilityCause() {
    return Optional.empty();
  }

  @Override
  public Set<Capability> capabilities(String scheme) {
    return schemes().contains(scheme)
        ? EnumSet.of(Capability.RELIABLE, Capability.ORDERED, Capability.ABSTRACT_NAMESPACE)
        : Set.of();
  }

  @Override
  public StreamSocket connect(Endpoint endpoint, IpcOptions options) throws IOException {
    StreamSocket socket = ATTACHED.remove(endpoint);
    if (socket == null) {
      throw new ConnectException("no in-memory socket attached to " + endpoint);
    }
    return socket;
  }

  @Override
  public StreamAcceptor listen(Endpoint endpoint, IpcOptions options) throws IOException {
    throw new UnsupportedOperationException("the memory transport only connects: " + endpoint);
  }
}
