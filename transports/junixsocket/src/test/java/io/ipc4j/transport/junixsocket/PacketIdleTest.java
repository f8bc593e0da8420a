package io.ipc4j.transport.junixsocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.DescriptorPassing;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageHandler;
import io.ipc4j.MessageTooLargeException;
import io.ipc4j.StandardIpcOptions;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code unixpacket} connections that wait idle, holding no receive buffer ({@link
 * JunixsocketPacketSocket#awaitPacket}), behave as busy ones do: every packet whole, the maximum
 * enforced, timeouts, the peer's close and the server's close all seen, and a send blocked longer
 * than the idle time not lost. Each test waits until the receives it watches are in {@code
 * awaitPacket}, which they reach after the connection's idle time.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PacketIdleTest {
  private static final int MAX = 12_345;
  private static final IpcOptions OPTIONS = IpcOptions.of(StandardIpcOptions.MAX_MESSAGE_SIZE, MAX);

  private static Endpoint newEndpoint() {
    return TestEndpoints.newAbstractEndpoint().withScheme("unixpacket");
  }

  /** An echo server's handler that records the threads it runs on. */
  private static MessageHandler echo(Queue<Thread> threads) {
    return c -> {
      threads.add(Thread.currentThread());
      for (ByteBuffer m; (m = c.receive()) != null; ) {
        c.send(m);
      }
    };
  }

  /** One receive on a thread of its own, which a test can watch. */
  private static final class Receive {
    final CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
    final Thread thread;

    Receive(MessageConnection c) {
      thread =
          new Thread(
              () -> {
                try {
                  result.complete(c.receive());
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                }
              },
              "receive from " + c);
      thread.setDaemon(true);
      thread.start();
    }

    ByteBuffer get() throws Exception {
      return result.get(10, TimeUnit.SECONDS);
    }

    Throwable failure() throws Exception {
      ExecutionException e = assertThrows(ExecutionException.class, this::get);
      return e.getCause();
    }
  }

  /** Whether {@code thread} waits for a packet holding no buffer. */
  private static boolean waitsIdle(Thread thread) {
    return waitsIn(thread, "awaitPacket");
  }

  /** Whether {@code thread} is in {@code method} of {@link JunixsocketPacketSocket}. */
  private static boolean waitsIn(Thread thread, String method) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(JunixsocketPacketSocket.class.getName())
          && frame.getMethodName().equals(method)) {
        return true;
      }
    }
    return false;
  }

  private static void awaitIdle(Thread... threads) {
    awaitIdle(List.of(threads));
  }

  private static void awaitIdle(Iterable<Thread> threads) {
    for (Thread t : threads) {
      awaitCondition(t.getName() + " to wait idle", () -> waitsIdle(t));
    }
  }

  @Test
  void theLargestMessageArrivesWholeAfterIdling() throws Exception {
    int clients = 4;
    Queue<Thread> handlers = new ConcurrentLinkedQueue<>();
    List<MessageConnection> connections = new ArrayList<>();
    try (IpcServer server =
        IpcServer.builder(newEndpoint()).options(OPTIONS).messageHandler(echo(handlers)).start()) {
      try {
        List<Receive> echoes = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          MessageConnection c = Ipc.connectMessages(server.endpoint(), OPTIONS);
          connections.add(c);
          c.send(ByteBuffer.wrap(new byte[] {(byte) i}));
          assertEquals(ByteBuffer.wrap(new byte[] {(byte) i}), c.receive());
          echoes.add(new Receive(c));
        }
        awaitIdle(handlers);
        byte[] largest = new byte[MAX];
        new Random(MAX).nextBytes(largest);
        for (MessageConnection c : connections) {
          c.send(ByteBuffer.wrap(largest));
        }
        for (Receive r : echoes) {
          ByteBuffer echoed = r.get();
          assertNotNull(echoed, "the largest message echoed after idling");
          assertArrayEquals(largest, bytesOf(echoed));
        }
      } finally {
        for (MessageConnection c : connections) {
          c.close();
        }
      }
    }
  }

  @Test
  void aPacketOverTheMaximumIsStillRefusedAfterIdling() throws Exception {
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), OPTIONS);
        MessageConnection client = Ipc.connectMessages(listener.endpoint());
        MessageConnection server = listener.accept()) {
      client.send(ByteBuffer.wrap(new byte[] {1}));
      assertEquals(ByteBuffer.wrap(new byte[] {1}), server.receive());
      Receive receive = new Receive(server);
      awaitIdle(receive.thread);
      client.send(ByteBuffer.allocate(MAX + 1)); // The client allows the default maximum.
      Throwable e = receive.failure();
      assertInstanceOf(MessageTooLargeException.class, e);
      assertTrue(e.getMessage().contains(String.valueOf(MAX)), e.getMessage());
    }
  }

  @Test
  void theEndIsSeenWhileIdle() throws Exception {
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), OPTIONS);
        MessageConnection client = Ipc.connectMessages(listener.endpoint(), OPTIONS);
        MessageConnection server = listener.accept()) {
      client.send(ByteBuffer.wrap(new byte[] {1}));
      assertEquals(ByteBuffer.wrap(new byte[] {1}), server.receive());
      Receive receive = new Receive(server);
      awaitIdle(receive.thread);
      client.close();
      assertNull(receive.get(), "the end, not a packet nor a failure");
      assertNull(server.receive(), "and the end again");
    }
  }

  @Test
  void closingTheConnectionEndsAnIdleReceive() throws Exception {
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), OPTIONS);
        MessageConnection client = Ipc.connectMessages(listener.endpoint(), OPTIONS);
        MessageConnection server = listener.accept()) {
      Receive receive = new Receive(server);
      awaitIdle(receive.thread);
      server.close();
      assertInstanceOf(ClosedChannelException.class, receive.failure());
      assertNull(client.receive(), "the peer sees the end");
    }
  }

  @Test
  void aReadTimeoutLongerThanTheIdleTimeStillTimesOut() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    try (Listener<MessageConnection> listener =
            Ipc.listenMessages(
                newEndpoint(), OPTIONS.with(StandardIpcOptions.READ_TIMEOUT, timeout));
        MessageConnection client = Ipc.connectMessages(listener.endpoint(), OPTIONS);
        MessageConnection server = listener.accept()) {
      long start = System.nanoTime();
      Receive receive = new Receive(server);
      awaitIdle(receive.thread);
      Throwable e = receive.failure();
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(SocketTimeoutException.class, e);
      assertTrue(elapsed >= timeout.toMillis(), "timed out early, after " + elapsed + " ms");
      assertTrue(e.getMessage().contains("1 s (readTimeout)"), e.getMessage());
      assertFalse(server.isOpen(), "a timed-out connection is closed");
      assertNull(client.receive(), "the peer sees the end");
    }
  }

  /**
   * A client waits with its buffer: its peer, the server, is named, and junixsocket would decode
   * that name with each peek (the class comment of {@link JunixsocketPacketSocket}).
   */
  @Test
  void aClientWaitsWithItsBuffer() throws Exception {
    try (Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), OPTIONS);
        MessageConnection client = Ipc.connectMessages(listener.endpoint(), OPTIONS);
        MessageConnection server = listener.accept()) {
      Receive receive = new Receive(client);
      awaitCondition("the client to wait in a receive", () -> waitsIn(receive.thread, "receive"));
      assertFalse(waitsIdle(receive.thread), "the client does not peek");
      server.send(ByteBuffer.wrap(new byte[] {5}));
      assertEquals(ByteBuffer.wrap(new byte[] {5}), receive.get());
    }
  }

  @Test
  void closingTheServerEndsIdleConversationsPromptly() throws Exception {
    Queue<Thread> handlers = new ConcurrentLinkedQueue<>();
    AtomicInteger ended = new AtomicInteger();
    MessageHandler echo = echo(handlers);
    IpcServer server =
        IpcServer.builder(newEndpoint())
            .options(OPTIONS)
            .messageHandler(
                c -> {
                  echo.handle(c);
                  ended.incrementAndGet();
                })
            .start();
    try (MessageConnection client = Ipc.connectMessages(server.endpoint(), OPTIONS)) {
      client.send(ByteBuffer.wrap(new byte[] {7}));
      assertEquals(ByteBuffer.wrap(new byte[] {7}), client.receive());
      Receive end = new Receive(client);
      awaitIdle(handlers);
      long start = System.nanoTime();
      server.close();
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(1, ended.get(), "the handler saw the end of its conversation");
      assertTrue(elapsed < 2_000, "close waited " + elapsed + " ms for an idle conversation");
      assertNull(end.get(), "the client sees the end");
    } finally {
      server.close();
    }
  }

  /**
   * A send that blocks on a peer that does not read, for longer than the idle time, still goes
   * whole and in order once the peer reads. (junixsocket arms the idle time as SO_SNDTIMEO too; a
   * send that timed out used to be dropped without a word.)
   */
  @Test
  void aSendBlockedLongerThanTheIdleTimeIsNotLost() throws Exception {
    sendToAPeerThatDoesNotRead(false);
  }

  /** The same with a descriptor on each message: junixsocket lets go of them before each try. */
  @Test
  void aSendBlockedLongerThanTheIdleTimeKeepsItsDescriptors() throws Exception {
    sendToAPeerThatDoesNotRead(true);
  }

  private void sendToAPeerThatDoesNotRead(boolean withDescriptor) throws Exception {
    int count = 64; // 512 KiB: more than the socket buffers hold.
    int size = 8_192;
    AtomicInteger sent = new AtomicInteger();
    Path file = Files.createTempFile("ipc4j-idle-", ".txt");
    try (FileInputStream passed = new FileInputStream(file.toFile());
        Listener<MessageConnection> listener = Ipc.listenMessages(newEndpoint(), OPTIONS);
        MessageConnection client =
            Ipc.connectMessages(
                listener.endpoint(),
                OPTIONS
                    .with(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(5))
                    .with(StandardIpcOptions.RECEIVE_DESCRIPTORS, true));
        MessageConnection server = listener.accept()) {
      client.send(ByteBuffer.wrap(new byte[] {1}));
      assertEquals(ByteBuffer.wrap(new byte[] {1}), server.receive()); // Arms the idle time.
      DescriptorPassing serverFds = server.unwrap(DescriptorPassing.class).orElseThrow();
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < count; i++) {
                    ByteBuffer m = ByteBuffer.allocate(size);
                    m.putInt(0, i);
                    if (withDescriptor) {
                      serverFds.send(m, passed.getFD());
                    } else {
                      server.send(m);
                    }
                    sent.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Until the sender has been stuck on one send for 1 s (the idle time is 250 ms).
      long stuckFor = TimeUnit.MILLISECONDS.toNanos(1_000);
      long[] since = {System.nanoTime(), sent.get()};
      awaitCondition(
          "the sender to block",
          () -> {
            if (sent.get() != since[1]) {
              since[0] = System.nanoTime();
              since[1] = sent.get();
            }
            return sending.isDone() || System.nanoTime() - since[0] > stuckFor;
          });
      assertFalse(sending.isDone(), "the sender blocked, at message " + sent.get());
      DescriptorPassing clientFds = client.unwrap(DescriptorPassing.class).orElseThrow();
      for (int i = 0; i < count; i++) {
        ByteBuffer m = client.receive();
        assertNotNull(m, "message " + i);
        assertEquals(size, m.remaining(), "message " + i + "'s size");
        assertEquals(i, m.getInt(0), "the messages in order");
        List<FileDescriptor> fds = clientFds.receivedDescriptors();
        assertEquals(withDescriptor ? 1 : 0, fds.size(), "descriptors with message " + i);
        for (FileDescriptor fd : fds) {
          new FileInputStream(fd).close();
        }
      }
      sending.get(10, TimeUnit.SECONDS);
    } finally {
      Files.delete(file);
    }
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after 10 s waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
