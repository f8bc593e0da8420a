package io.ipc4j;

import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import java.io.IOException;
import java.util.function.Function;

/** A {@link Listener} over a provider's acceptor, yielding byte streams or framed messages. */
final class StreamListener<C> implements Listener<C> {
  private final StreamAcceptor acceptor;
  private final IpcOptions options;
  private final Function<SocketConnection, C> wrap;

  StreamListener(StreamAcceptor acceptor, IpcOptions options, Function<SocketConnection, C> wrap) {
    this.acceptor = acceptor;
    this.options = options;
    this.wrap = wrap;
  }

  @Override
  public C accept() throws IOException {
    StreamSocket socket = acceptor.accept();
    return wrap.apply(new SocketConnection(socket, acceptor.endpoint(), options));
  }

  @Override
  public Endpoint endpoint() {
    return acceptor.endpoint();
  }

  @Override
  public boolean isOpen() {
    return acceptor.isOpen();
  }

  @Override
  public void close() throws IOException {
    acceptor.close();
  }

  @Override
  public String toString() {
    return "Listener[" + acceptor.endpoint() + "]";
  }
}
