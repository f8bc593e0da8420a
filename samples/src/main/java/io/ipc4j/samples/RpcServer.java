package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Answers requests over a {@link MessageConnection}, on any endpoint (frames over {@code tcp} and
 * {@code unix}, packets over {@code unixpacket}, datagrams over {@code udp} and {@code unixgram}).
 *
 * <p>The protocol is one UTF-8 message per request and per reply:
 *
 * <pre>
 * request:  ID METHOD[ ARGS]        e.g.  7 add 2 3      8 echo hello world      9 sleep 300
 * reply:    ID ok RESULT                  7 ok 5         8 ok hello world        9 ok slept 300 ms
 *           ID error MESSAGE              7 error add: not an integer: "x"
 * </pre>
 *
 * ID is the client's (1 to 32 letters, digits, {@code .-_}) and comes back with the reply, so a
 * client may have many requests in flight on one connection and match replies that arrive out of
 * order: {@code sleep} runs on a thread of its own, at most {@value #MAX_IN_FLIGHT} at once per
 * connection (a client that sends more waits; if no thread can be started, the call gets an error
 * reply; on shutdown, calls in flight end at once with the error reply {@code ID error interrupted:
 * the server is shutting down}). Methods: {@code add A B} (64-bit integers), {@code time}
 * (ISO-8601, UTC), {@code echo TEXT} (verbatim), {@code sleep MS} (0 to 60000). A malformed request
 * gets an error reply, with ID {@code -} if it has none, and the connection stays open.
 *
 * <p>Over {@code tcp} and {@code unix} each message is framed as a 4-byte big-endian length and the
 * payload, so any language can be a client; in Python: {@code s.sendall(struct.pack(">I", len(m)) +
 * m)}.
 */
@Command(
    name = "rpc-server",
    mixinStandardHelpOptions = true,
    description = {
      "Answer requests 'ID METHOD [ARGS]' with 'ID ok RESULT' or 'ID error MESSAGE'.",
      "Methods: add A B, time, echo TEXT, sleep MS."
    })
final class RpcServer implements Callable<Integer> {
  static final int MAX_IN_FLIGHT = 64;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. unix:///tmp/rpc.sock or tcp://127.0.0.1:7001")
  Endpoint endpoint;

  @Mixin IdleTimeout idleTimeout;

  @Override
  public Integer call() throws Exception {
    Calls calls = new Calls();
    IpcServer server =
        IpcServer.builder(endpoint)
            .options(idleTimeout.options())
            .messageHandler(c -> serve(c, Threads::start, calls))
            .start();
    // Calls first: a sleep in flight ends at once with its error reply, where the server's close
    // would wait for it through the whole shutdown grace and then close its connection unanswered.
    return Shutdown.serve("rpc-server", server.endpoint(), calls, server);
  }

  /**
   * The blocking calls running on the threads of their own, which a shutdown interrupts so that
   * they end at once, each with its error reply; a call that starts after that is interrupted as it
   * starts.
   */
  static final class Calls implements Closeable {
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Runs {@code call} on the current thread, as one that a shutdown interrupts. */
    void run(Runnable call) {
      Thread self = Thread.currentThread();
      running.add(self);
      try {
        if (stopping) { // after add: close() either finds this thread or is seen stopping here
          self.interrupt();
        }
        call.run();
      } finally {
        running.remove(self);
        Thread.interrupted(); // a shutdown's interrupt that came after the call
      }
    }

    @Override
    public void close() {
      stopping = true;
      running.forEach(Thread::interrupt);
    }
  }

  /**
   * Serves {@code c}, running blocking calls on threads started with {@code threads} (a test's
   * seam) and registered with {@code calls}.
   */
  static void serve(MessageConnection c, BiConsumer<String, Runnable> threads, Calls calls)
      throws IOException, InterruptedException {
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    try {
      for (ByteBuffer m; (m = c.receive()) != null; ) {
        RpcRequest request = RpcRequest.parse(m);
        RpcMethods method = request.malformed == null ? RpcMethods.named(request.method) : null;
        if (method != null && method.blocking) {
          inFlight.acquire();
          try {
            threads.accept(
                "rpc " + request.id + " " + c.remoteEndpoint(),
                () -> {
                  try {
                    calls.run(() -> reply(c, request, method));
                  } finally {
                    inFlight.release();
                  }
                });
          } catch (OutOfMemoryError | RuntimeException e) {
            // No thread (out of memory or of a process limit): none will release the permit,
            // and the end of this connection would wait for it for ever.
            inFlight.release();
            send(
                c,
                request.id
                    + " error "
                    + request.method
                    + ": cannot start a thread for it: "
                    + e.getMessage());
          }
        } else {
          reply(c, request, method);
        }
      }
    } finally {
      // Answer what is in flight before the connection is closed under it.
      inFlight.acquire(MAX_IN_FLIGHT);
    }
  }

  private static void reply(MessageConnection c, RpcRequest request, RpcMethods method) {
    String reply;
    if (request.malformed != null) {
      reply = request.id + " error " + request.malformed;
    } else if (method == null) {
      reply =
          request.id
              + " error unknown method "
              + RpcRequest.quote(request.method)
              + " (expected: "
              + RpcMethods.names()
              + ")";
    } else {
      try {
        reply = request.id + " ok " + method.call(request.arguments);
      } catch (IllegalArgumentException e) {
        reply = request.id + " error " + e.getMessage();
      } catch (InterruptedException e) {
        reply = request.id + " error interrupted: the server is shutting down";
      }
    }
    send(c, reply);
  }

  private static void send(MessageConnection c, String reply) {
    try {
      c.send(StandardCharsets.UTF_8.encode(reply));
    } catch (IOException e) {
      // The client left before its reply: nobody is there to tell.
    }
  }
}
