package io.ipc4j.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcEventListener;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import io.ipc4j.MessageHandler;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import io.ipc4j.StreamHandler;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link IpcServer} on a transport: many concurrent clients, stream and message
 * handlers, failures confined to their connection, the connection limit, graceful and forced
 * shutdown, and the threads handlers run on.
 */
@Timeout(30)
public abstract class ServerContract extends TransportContract {
  /** Echoes every message until the end of the conversation. */
  protected static final MessageHandler ECHO =
      c -> {
        for (ByteBuffer m; (m = c.receive()) != null; ) {
          c.send(m);
        }
      };

  /** Records the events of a server. */
  protected static final class Events implements IpcEventListener {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Endpoint> refusedPeers = new ConcurrentLinkedQueue<>();

    @Override
    public void connectionOpened(Endpoint server, Endpoint peer) {
      opened.incrementAndGet();
    }

    @Override
    public void connectionRefused(Endpoint server, Endpoint peer, String reason) {
      refusedPeers.add(peer);
      refusals.add(reason);
    }

    @Override
    public void handlerFailed(Endpoint server, Endpoint peer, Throwable failure) {
      failures.add(failure);
    }

    @Override
    public void connectionClosed(Endpoint server, Endpoint peer) {
      closed.incrementAndGet();
    }
  }

  protected final IpcServer serveMessages(IpcOptions options, Events events, MessageHandler h)
      throws IOException {
    return closeAfter(
        IpcServer.builder(newEndpoint())
            .options(options)
            .eventListener(events)
            .messageHandler(h)
            .start());
  }

  protected final IpcServer serveStreams(IpcOptions options, Events events, StreamHandler h)
      throws IOException {
    return closeAfter(
        IpcServer.builder(newEndpoint())
            .options(options)
            .eventListener(events)
            .streamHandler(h)
            .start());
  }

  private MessageConnection client(IpcServer server) throws IOException {
    return closeAfter(Ipc.connectMessages(server.endpoint(), options()));
  }

  private static void assertEchoes(MessageConnection c, String text) throws IOException {
    c.send(ByteBuffer.wrap(text.getBytes(US_ASCII)));
    ByteBuffer reply = c.receive();
    assertTrue(reply != null, "expected the echo of " + text + ", got the end");
    assertEquals(text, US_ASCII.decode(reply).toString());
  }

  /** Expects the server to end the conversation: null, or a clean end failure. */
  private static void assertEnded(MessageConnection c) {
    try {
      assertNull(c.receive(), "the server should have closed the connection");
    } catch (IOException e) {
      assertCleanEnd(e);
    }
  }

  @Test
  @Timeout(60)
  void echoServerServesHundredConcurrentClientsByteForByte() throws Exception {
    int clients = 100;
    int messages = 1000;
    Events events = new Events();
    IpcServer server = serveMessages(options(), events, ECHO);
    if (server.endpoint().isInet()) {
      assertNotEquals(0, server.endpoint().port(), "the server reports the port it bound");
    }
    AtomicLong sent = new AtomicLong();
    AtomicLong received = new AtomicLong();
    List<Call<Void>> calls = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      long seed = i;
      calls.add(
          start(
              "client-" + i,
              () -> {
                Random random = new Random(seed);
                ByteBuffer in = ByteBuffer.allocate(4096);
                try (MessageConnection c = Ipc.connectMessages(server.endpoint(), options())) {
                  for (int m = 0; m < messages; m++) {
                    byte[] payload = new byte[1 + random.nextInt(4096)];
                    random.nextBytes(payload);
                    c.send(ByteBuffer.wrap(payload));
                    sent.addAndGet(payload.length);
                    in.clear();
                    int n = c.receive(in);
                    received.addAndGet(n);
                    assertEquals(payload.length, n, "reply length");
                    assertBytesEqual(payload, bytesOf(in.flip()), "reply");
                  }
                }
                return null;
              }));
    }
    for (Call<Void> call : calls) {
      call.get(Duration.ofSeconds(50));
    }
    assertEquals(sent.get(), received.get(), "bytes echoed");
    assertTrue(sent.get() > clients * messages, "every message carried at least one byte");
    awaitCondition(STEP, "every connection to be closed", () -> server.connectionCount() == 0);
    assertEquals(clients, events.opened.get());
    awaitCondition(STEP, "every close to be reported", () -> events.closed.get() == clients);
    assertTrue(events.failures.isEmpty(), "no handler failed: " + events.failures);
  }

  @Test
  void streamHandlerServerEchoesBytes() throws Exception {
    StreamHandler echo =
        c -> {
          c.inputStream().transferTo(c.outputStream());
          c.shutdownOutput();
        };
    IpcServer server = serveStreams(options(), new Events(), echo);
    List<Call<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] payload = randomBytes(100_000 + i, i);
      calls.add(
          start(
              "client-" + i,
              () -> {
                try (StreamConnection c = Ipc.connect(server.endpoint(), options())) {
                  Call<Void> write =
                      start(
                          "write",
                          () -> {
                            c.outputStream().write(payload);
                            c.shutdownOutput();
                            return null;
                          });
                  byte[] echoed = c.inputStream().readAllBytes();
                  write.get(STEP);
                  assertBytesEqual(payload, echoed, "echoed bytes");
                }
                return null;
              }));
    }
    for (Call<Void> call : calls) {
      call.get(STEP);
    }
  }

  @Test
  void failingHandlerCostsOnlyItsOwnConnection() throws Exception {
    Events events = new Events();
    MessageHandler handler =
        c -> {
          for (ByteBuffer m; (m = c.receive()) != null; ) {
            if (US_ASCII.decode(m.duplicate()).toString().equals("boom")) {
              throw new IllegalStateException("boom");
            }
            c.send(m);
          }
        };
    IpcServer server = serveMessages(options(), events, handler);
    MessageConnection good = client(server);
    MessageConnection bad = client(server);
    assertEchoes(good, "hello");
    assertEchoes(bad, "fine so far");

    bad.send(ByteBuffer.wrap("boom".getBytes(US_ASCII)));
    assertEnded(bad);
    awaitCondition(STEP, "handlerFailed to be reported", () -> !events.failures.isEmpty());

    assertEchoes(good, "still here");
    MessageConnection later = client(server);
    assertEchoes(later, "new client");
    awaitCondition(
        STEP, "the failed connection to be released", () -> server.connectionCount() == 2);
    assertEquals(1, events.failures.size(), "handlerFailed called once: " + events.failures);
    Throwable failure = events.failures.peek();
    assertInstanceOf(IllegalStateException.class, failure);
    assertEquals("boom", failure.getMessage());
  }

  @Test
  void refusesConnectionsOverMaximumAndServesAgainOnceOneCloses() throws Exception {
    Events events = new Events();
    IpcServer server =
        serveMessages(options().with(StandardIpcOptions.MAX_CONNECTIONS, 2), events, ECHO);
    MessageConnection first = client(server);
    MessageConnection second = client(server);
    assertEchoes(first, "one");
    assertEchoes(second, "two");
    assertEquals(2, server.connectionCount());

    MessageConnection third = client(server);
    assertEnded(third);
    awaitCondition(STEP, "connectionRefused to be reported", () -> !events.refusals.isEmpty());
    String reason = events.refusals.peek();
    assertTrue(reason.contains("maxConnections"), "reason names the limit: " + reason);
    assertTrue(reason.contains("2"), "reason names the value: " + reason);
    assertEquals(third.localEndpoint(), events.refusedPeers.peek(), "the refused peer");

    assertEchoes(first, "one again");
    assertEchoes(second, "two again");

    first.close();
    awaitCondition(STEP, "the server to release a connection", () -> server.connectionCount() == 1);
    MessageConnection fourth = client(server);
    assertEchoes(fourth, "four");
    assertEchoes(second, "two still");
    assertEquals(
        1, events.refusals.size(), "only the third client was refused: " + events.refusals);
    assertEquals(3, events.opened.get(), "three connections served");
  }

  @Test
  void closeWhileClientsAreActiveEndsEveryConversationCleanlyAndPromptly() throws Exception {
    Duration grace = Duration.ofSeconds(1);
    Events events = new Events();
    IpcServer server =
        serveMessages(options().with(StandardIpcOptions.SHUTDOWN_GRACE, grace), events, ECHO);
    int clients = 20;
    CountDownLatch warmedUp = new CountDownLatch(clients);
    List<Call<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      long seed = i;
      calls.add(
          start(
              "client-" + i,
              () -> {
                Random random = new Random(seed);
                int replies = 0;
                try (MessageConnection c = Ipc.connectMessages(server.endpoint(), options())) {
                  while (true) {
                    byte[] payload = new byte[1 + random.nextInt(seed % 2 == 0 ? 64 : 8192)];
                    random.nextBytes(payload);
                    ByteBuffer reply;
                    try {
                      c.send(ByteBuffer.wrap(payload));
                      reply = c.receive();
                    } catch (IOException e) {
                      assertCleanEnd(e);
                      return replies;
                    }
                    if (reply == null) {
                      return replies;
                    }
                    assertBytesEqual(payload, bytesOf(reply), "a reply before the end");
                    if (++replies == 10) {
                      warmedUp.countDown();
                    }
                  }
                }
              }));
    }
    assertTrue(warmedUp.await(STEP.toMillis(), TimeUnit.MILLISECONDS), "clients talking");

    long start = System.nanoTime();
    server.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(grace.plusSeconds(2)) < 0, "close took " + took.toMillis() + " ms");
    for (Call<Integer> call : calls) {
      assertTrue(call.get(STEP) >= 10);
    }
    assertEquals(0, server.connectionCount());
    // Every echo handler ends by itself at a message boundary: none may fail, for example by
    // finding its connection closed under it after it received a request.
    assertTrue(events.failures.isEmpty(), "handlers failed during close: " + events.failures);
  }

  @Test
  void closeEndsIdleReceiveLoopHandlersWithoutWaitingForGrace() throws Exception {
    Events events = new Events();
    AtomicInteger returned = new AtomicInteger();
    MessageHandler handler =
        c -> {
          ECHO.handle(c);
          returned.incrementAndGet();
        };
    // The default grace (5 s) applies; idle loops must not wait for it.
    IpcServer server = serveMessages(options(), events, handler);
    List<MessageConnection> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MessageConnection c = client(server);
      assertEchoes(c, "idle " + i);
      clients.add(c);
    }
    long start = System.nanoTime();
    server.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "close took " + took.toMillis() + " ms");
    assertEquals(3, returned.get(), "every handler's receive loop ended by itself");
    assertTrue(events.failures.isEmpty(), "no handler failed: " + events.failures);
    assertEquals(0, server.connectionCount());
    for (MessageConnection c : clients) {
      assertEnded(c);
    }
    server.close();
  }

  @Test
  void closeCompletesAndAnswersRequestBeingReceived() throws Exception {
    IpcServer server = serveMessages(options(), new Events(), ECHO);
    byte[] request = randomBytes(100, 7);
    try (StreamConnection raw = Ipc.connect(server.endpoint(), options())) {
      ByteBuffer head = ByteBuffer.allocate(4 + 50).putInt(100).put(request, 0, 50).flip();
      raw.write(head);
      awaitCondition(
          STEP, "the server to count the connection", () -> server.connectionCount() == 1);

      Call<Void> close =
          start(
              "close",
              () -> {
                server.close();
                return null;
              });
      // Let close() reach its wait for handlers (it has stopped accepting by then).
      awaitCondition(
          STEP,
          "close() to wait for handlers",
          () -> close.future().isDone() || close.thread.getState() == Thread.State.TIMED_WAITING);
      raw.write(ByteBuffer.wrap(request, 50, 50));

      ByteBuffer reply = ByteBuffer.wrap(readExactly(raw, 4 + 100));
      assertEquals(100, reply.getInt(), "the reply's length");
      assertBytesEqual(request, bytesOf(reply), "the request is answered");
      assertEquals(-1, raw.read(ByteBuffer.allocate(1)), "then the conversation ends");
      close.get(Duration.ofSeconds(2));
      assertEquals(0, server.connectionCount());
    }
  }

  @Test
  void closesConnectionsIdleLongerThanReadTimeout() throws Exception {
    Events events = new Events();
    IpcServer server =
        serveMessages(
            options().with(StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(200)), events, ECHO);
    MessageConnection idle = client(server);
    assertEchoes(idle, "then silence");
    long start = System.nanoTime();
    assertEnded(idle);
    long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(tookMillis < 5000, "idle connection closed after " + tookMillis + " ms");
    awaitCondition(STEP, "the idle connection to be released", () -> server.connectionCount() == 0);
    MessageConnection fresh = client(server);
    assertEchoes(fresh, "the server still serves");
  }

  @Test
  void closeForcesHandlerBlockedInStreamReadAfterGrace() throws Exception {
    Duration grace = Duration.ofMillis(200);
    CountDownLatch reading = new CountDownLatch(1);
    CompletableFuture<Throwable> readOutcome = new CompletableFuture<>();
    StreamHandler handler =
        c -> {
          reading.countDown();
          try {
            int n = c.read(ByteBuffer.allocate(16));
            readOutcome.complete(new AssertionError("read returned " + n));
          } catch (IOException e) {
            readOutcome.complete(e);
            throw e;
          }
        };
    IpcServer server =
        serveStreams(
            options().with(StandardIpcOptions.SHUTDOWN_GRACE, grace), new Events(), handler);
    StreamConnection client = closeAfter(Ipc.connect(server.endpoint(), options()));
    assertTrue(reading.await(STEP.toMillis(), TimeUnit.MILLISECONDS), "handler started");

    long start = System.nanoTime();
    server.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(grace) >= 0, "closed before the grace: " + took.toMillis() + " ms");
    assertTrue(took.compareTo(grace.plusSeconds(2)) < 0, "close took " + took.toMillis() + " ms");
    assertInstanceOf(
        ClosedChannelException.class,
        readOutcome.get(STEP.toMillis(), TimeUnit.MILLISECONDS),
        "the blocked read fails because its connection was closed");
    assertEquals(0, server.connectionCount());
    try {
      assertEquals(-1, client.read(ByteBuffer.allocate(1)), "the client sees the end");
    } catch (IOException e) {
      assertCleanEnd(e);
    }
  }

  /** What a handler saw of its thread. */
  private record HandlerThread(String name, boolean daemon, boolean isVirtual) {}

  private HandlerThread handlerThread(IpcOptions options) throws Exception {
    CompletableFuture<HandlerThread> seen = new CompletableFuture<>();
    MessageHandler handler =
        c -> {
          Thread t = Thread.currentThread();
          seen.complete(new HandlerThread(t.getName(), t.isDaemon(), isVirtual(t)));
          ECHO.handle(c);
        };
    IpcServer server = serveMessages(options, new Events(), handler);
    assertEchoes(client(server), "which thread?");
    HandlerThread t = seen.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(
        t.name().contains(server.endpoint().toString()),
        "thread name names the server endpoint " + server.endpoint() + ": " + t.name());
    return t;
  }

  private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
    Method isVirtual;
    try {
      isVirtual = Thread.class.getMethod("isVirtual");
    } catch (NoSuchMethodException before19) {
      return false;
    }
    return (Boolean) isVirtual.invoke(t);
  }

  @Test
  void runsAFirstConnectionOnAPlatformDaemonThreadNamedAfterTheEndpoint() throws Exception {
    HandlerThread t = handlerThread(options());
    assertFalse(t.isVirtual(), "Java " + Runtime.version() + ": platform thread " + t.name());
    assertTrue(t.daemon(), "platform handler threads are daemons");
  }

  @Test
  void runsFirstConnectionsOnPlatformThreadsAndTheRestOnVirtualWhereJvmAndTransportAllow()
      throws Exception {
    boolean virtualAllowed =
        Runtime.version().feature() >= 21 && capabilities().contains(Capability.VIRTUAL_THREADS);
    LinkedBlockingQueue<HandlerThread> threads = new LinkedBlockingQueue<>();
    MessageHandler handler =
        c -> {
          Thread t = Thread.currentThread();
          threads.add(new HandlerThread(t.getName(), t.isDaemon(), isVirtual(t)));
          for (ByteBuffer m; (m = c.receive()) != null; ) {
            if (US_ASCII.decode(m.duplicate()).toString().equals("bye")) {
              return; // Ends this conversation: its thread is released.
            }
            c.send(m);
          }
        };
    IpcServer server =
        serveMessages(
            options().with(StandardIpcOptions.PLATFORM_THREADS, 2), new Events(), handler);
    List<MessageConnection> clients = new ArrayList<>();
    List<HandlerThread> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MessageConnection c = client(server);
      assertEchoes(c, "client " + i);
      clients.add(c);
      seen.add(threads.poll(STEP.toMillis(), TimeUnit.MILLISECONDS));
    }
    assertFalse(seen.get(0).isVirtual(), "first connection: platform thread " + seen);
    assertFalse(seen.get(1).isVirtual(), "second connection: platform thread " + seen);
    assertTrue(seen.get(0).daemon() && seen.get(1).daemon(), "platform threads are daemons");
    assertEquals(
        virtualAllowed,
        seen.get(2).isVirtual(),
        "Java " + Runtime.version() + ", " + capabilities() + ": third connection " + seen);

    clients.get(0).send(ByteBuffer.wrap("bye".getBytes(US_ASCII)));
    awaitCondition(STEP, "the first conversation to end", () -> server.connectionCount() == 2);
    MessageConnection fourth = client(server);
    assertEchoes(fourth, "four");
    HandlerThread reused = threads.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
    assertFalse(reused.isVirtual(), "a freed platform slot is used again: " + reused);
    assertEchoes(clients.get(2), "third still served");
  }

  /**
   * Whether {@code t}, a platform thread of the server's, waits for its next connection: in the
   * server's pool ({@code awaitJob}) and then parked with a timeout (its keep-alive), which it is
   * only once it is listed there; with no other connection open it cannot have left the pool in
   * between. Waiting workers keep their last connection's name, so the name cannot tell.
   */
  private static boolean waitsForWork(Thread t) {
    return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitJob"))
        && t.getState() == Thread.State.TIMED_WAITING;
  }

  @Test
  void reusesAPlatformThreadForTheNextConnection() throws Exception {
    LinkedBlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> names = new LinkedBlockingQueue<>();
    MessageHandler handler =
        c -> {
          threads.add(Thread.currentThread());
          names.add(Thread.currentThread().getName());
          for (ByteBuffer m; (m = c.receive()) != null; ) {
            c.send(m);
          }
        };
    IpcServer server = serveMessages(options(), new Events(), handler);
    try (MessageConnection first = client(server)) {
      assertEchoes(first, "first");
    }
    Thread firstThread = threads.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
    awaitCondition(
        STEP,
        "the first connection's thread to wait for the next",
        () -> waitsForWork(firstThread));
    try (MessageConnection second = client(server)) {
      assertEchoes(second, "second");
    }
    assertSame(firstThread, threads.poll(STEP.toMillis(), TimeUnit.MILLISECONDS));
    String firstName = names.poll();
    String secondName = names.poll();
    assertNotEquals(firstName, secondName, "each connection names the thread anew");
    assertTrue(
        secondName.contains(server.endpoint().toString()),
        "named after the endpoint: " + secondName);
  }

  @Test
  void runsEveryConnectionOnVirtualThreadsWithNoPlatformThreadsWhereJvmAndTransportAllow()
      throws Exception {
    HandlerThread t = handlerThread(options().with(StandardIpcOptions.PLATFORM_THREADS, 0));
    boolean virtualAllowed =
        Runtime.version().feature() >= 21 && capabilities().contains(Capability.VIRTUAL_THREADS);
    assertEquals(virtualAllowed, t.isVirtual(), "Java " + Runtime.version() + ": " + t.name());
  }

  @Test
  void runsHandlersOnPlatformDaemonThreadsWhenVirtualThreadsDisabled() throws Exception {
    HandlerThread t = handlerThread(options().with(StandardIpcOptions.VIRTUAL_THREADS, false));
    assertFalse(t.isVirtual(), "platform thread expected: " + t.name());
    assertTrue(t.daemon(), "platform handler threads are daemons");
  }
}
