package io.ipc4j.transport.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcEventListener;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link IpcServer#close()} promises beyond the transport contracts. */
@Timeout(30)
class ServerCloseTest {
  private static final IpcOptions JDK = IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");

  /**
   * A datagram server's peers share its socket: closing the server leaves it open until their
   * handlers have answered what they received, as a stream server's connections are answered.
   */
  @Test
  void aDatagramRequestReceivedBeforeCloseIsAnswered() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    List<Throwable> failures = new ArrayList<>();
    IpcServer server =
        IpcServer.builder("udp://127.0.0.1:0")
            .options(JDK)
            .eventListener(
                new IpcEventListener() {
                  @Override
                  public void handlerFailed(Endpoint s, Endpoint peer, Throwable failure) {
                    synchronized (failures) {
                      failures.add(failure);
                    }
                  }
                })
            .messageHandler(
                c -> {
                  ByteBuffer request = c.receive();
                  received.countDown();
                  // The conversation ends when close() drains it; the answer goes after that.
                  while (c.receive() != null) {
                    // Nothing else is sent.
                  }
                  c.send(request);
                })
            .start();
    try (MessageConnection client =
        Ipc.connectMessages(
            server.endpoint(), JDK.with(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(10)))) {
      client.send(ByteBuffer.wrap("request".getBytes(US_ASCII)));
      assertTrue(received.await(10, TimeUnit.SECONDS), "the handler received the request");
      CompletableFuture<Void> closing = closeInBackground(server);
      assertEquals("request", US_ASCII.decode(client.receive()).toString(), "the answer");
      closing.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
    synchronized (failures) {
      assertEquals(List.of(), failures, "no handler failed");
    }
  }

  /** A second close() returns when the first is done, however long that takes. */
  @Test
  void aSecondCloseReturnsWhenTheFirstIsDone() throws Exception {
    CountDownLatch authorizing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IpcServer server =
        IpcServer.builder("tcp://127.0.0.1:0")
            .options(JDK)
            .authorizer(
                (peer, credentials) -> {
                  // Holds the accepting thread, which the first close() waits for.
                  authorizing.countDown();
                  try {
                    return release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                  }
                })
            .messageHandler(c -> {})
            .start();
    try (MessageConnection client = Ipc.connectMessages(server.endpoint(), JDK)) {
      assertTrue(authorizing.await(10, TimeUnit.SECONDS), "the authorizer was asked");
      CompletableFuture<Void> first = closeInBackground(server);
      awaitRefused(server.endpoint()); // the first close() has begun: it stopped accepting
      CompletableFuture<Void> second = closeInBackground(server);
      assertThrows(
          TimeoutException.class,
          () -> second.get(500, TimeUnit.MILLISECONDS),
          "the second close() returned while the first was still waiting");
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
    }
  }

  private static CompletableFuture<Void> closeInBackground(IpcServer server) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            server.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Waits until connecting to {@code endpoint} fails: its listening socket is closed. */
  private static void awaitRefused(Endpoint endpoint) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", endpoint.port());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (SocketChannel probe = SocketChannel.open(address)) {
        assertTrue(System.nanoTime() < deadline, "still accepting connections: " + endpoint);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      } catch (SocketException refusedOrReset) {
        // Refused, or reset while it waited in the backlog of the socket being closed.
        return;
      }
    }
  }
}
