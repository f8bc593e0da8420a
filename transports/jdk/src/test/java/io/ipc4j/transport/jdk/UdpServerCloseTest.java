package io.ipc4j.transport.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A datagram server's peers share its socket: closing the server must leave it open until their
 * handlers have answered what they received, as a stream server's connections are answered.
 */
@Timeout(30)
class UdpServerCloseTest {
  private static final IpcOptions JDK = IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");

  @Test
  void aRequestReceivedBeforeCloseIsAnswered() throws Exception {
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
      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  server.close();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      assertEquals("request", US_ASCII.decode(client.receive()).toString(), "the answer");
      closing.get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
    synchronized (failures) {
      assertEquals(List.of(), failures, "no handler failed");
    }
  }
}
