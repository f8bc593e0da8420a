package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.spi.DatagramSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write timeout of an endpoint from {@link Ipc#bind}, against a scripted {@link DatagramSocket}
 * whose sends to one target block until it is closed and whose other sends return at once.
 */
@Timeout(10)
class SocketDatagramEndpointTest {
  private static final Endpoint LOCAL = Endpoint.parse("udp://127.0.0.1:7001");
  private static final Endpoint STUCK = Endpoint.parse("udp://127.0.0.1:7002");
  private static final Endpoint QUICK = Endpoint.parse("udp://127.0.0.1:7003");

  @Test
  void aSendThatEndsLeavesTheDeadlineOfOneStillBlocked() throws Exception {
    ScriptedSocket socket = new ScriptedSocket();
    SocketDatagramEndpoint endpoint =
        new SocketDatagramEndpoint(
            socket,
            IpcOptions.DEFAULTS.with(StandardIpcOptions.WRITE_TIMEOUT, Duration.ofMillis(500)));
    CompletableFuture<Throwable> stuck = sendAsync(endpoint, STUCK);
    assertTrue(socket.blocked.await(5, TimeUnit.SECONDS), "the first send blocks");
    CompletableFuture<Throwable> quick = sendAsync(endpoint, QUICK);

    Throwable timeout = stuck.get(5, TimeUnit.SECONDS);
    assertInstanceOf(SocketTimeoutException.class, timeout, "the blocked send timed out");
    assertEquals(
        "write timed out after 500 ms (writeTimeout), endpoint closed: " + LOCAL,
        timeout.getMessage());
    // The other send waited for the blocked one (one deadline at a time), and found the endpoint
    // closed by its timeout.
    assertInstanceOf(ClosedChannelException.class, quick.get(5, TimeUnit.SECONDS));
    assertFalse(endpoint.isOpen());
  }

  /** Sends one byte to {@code target} on a new thread; completes with the failure, or null. */
  private static CompletableFuture<Throwable> sendAsync(
      DatagramEndpoint endpoint, Endpoint target) {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                endpoint.send(target, ByteBuffer.wrap(new byte[] {1}));
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            },
            "send to " + target);
    t.setDaemon(true);
    t.start();
    return outcome;
  }

  private static final class ScriptedSocket implements DatagramSocket {
    final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Endpoint localEndpoint() {
      return LOCAL;
    }

    @Override
    public Optional<Endpoint> remoteEndpoint() {
      return Optional.empty();
    }

    @Override
    public int maxDatagramSize() {
      return 65_507;
    }

    @Override
    public void send(ByteBuffer src, Endpoint target) throws IOException {
      if (closed.getCount() == 0) {
        throw new ClosedChannelException();
      }
      if (target.equals(STUCK)) {
        blocked.countDown();
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new AsynchronousCloseException();
      }
      src.position(src.limit());
    }

    @Override
    public Endpoint receive(ByteBuffer dst) {
      throw new UnsupportedOperationException("only sends are scripted");
    }

    @Override
    public boolean isOpen() {
      return closed.getCount() != 0;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
