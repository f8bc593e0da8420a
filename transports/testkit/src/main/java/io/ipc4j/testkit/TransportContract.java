package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.TransportProvider;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * What every contract of the suite shares: the endpoint and options a transport supplies, per-test
 * temporary directories for Unix sockets, threads that are joined after each test, and waiting for
 * conditions without sleeping.
 *
 * <p>A transport runs a contract with a three-line subclass:
 *
 * <pre>{@code
 * class TcpStreamConnectionTest extends StreamConnectionContract {
 *   protected Endpoint newEndpoint() { return Endpoint.parse("tcp://127.0.0.1:0"); }
 *   protected IpcOptions options() { return IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk"); }
 * }
 * }</pre>
 */
public abstract class TransportContract {
  /** How long a step that should be quick may take before the test fails instead of hanging. */
  protected static final Duration STEP = Duration.ofSeconds(10);

  private final List<Path> temporaryDirectories = new ArrayList<>();
  private int transportMax;
  private final List<Call<?>> calls = new ArrayList<>();
  private final Deque<Closeable> resources = new ArrayDeque<>();

  /** A fresh endpoint to listen on, for one test (port 0 for TCP, a new path for Unix). */
  protected abstract Endpoint newEndpoint();

  /**
   * The options every listener, connection and server of the suite starts from; a subclass forces
   * its provider here ({@code StandardIpcOptions.PROVIDER}).
   */
  protected IpcOptions options() {
    return IpcOptions.DEFAULTS;
  }

  /**
   * The provider under test: the one {@code StandardIpcOptions.PROVIDER} in {@link #options()}
   * names, or else the available provider of highest priority that supports {@link #newEndpoint()},
   * as {@link Ipc} would choose.
   */
  protected TransportProvider provider() {
    String forced = options().get(StandardIpcOptions.PROVIDER);
    Endpoint endpoint = newEndpoint();
    return Ipc.providers().stream()
        .filter(
            p ->
                forced.isEmpty()
                    ? p.isAvailable()
                        && p.schemes().contains(endpoint.scheme())
                        && p.supports(endpoint)
                    : p.name().equals(forced))
        .max(Comparator.comparingInt(TransportProvider::priority))
        .orElseThrow(() -> new AssertionError("no provider for " + endpoint + ": " + forced));
  }

  /**
   * What the transport under test can do for {@link #newEndpoint()}'s scheme; tests that need a
   * capability are skipped, with the reason, when it is missing. By default, what {@link
   * #provider()} declares; a subclass may state it instead.
   */
  protected Set<Capability> capabilities() {
    return provider().capabilities(newEndpoint().scheme());
  }

  /**
   * The largest message the transport itself carries: for a transport with {@link
   * Capability#MESSAGE_BOUNDARIES}, its largest datagram or packet; for a byte stream, whose frames
   * have no limit of their own, {@link Integer#MAX_VALUE}. By default, asks the {@link #provider()}
   * through a socket bound to (or connected to a listener on) {@link #newEndpoint()}; a subclass
   * may state it instead.
   */
  protected int transportMaxMessageSize() throws IOException {
    if (transportMax == 0) {
      transportMax = probeTransportMax();
    }
    return transportMax;
  }

  private int probeTransportMax() throws IOException {
    if (!capabilities().contains(Capability.MESSAGE_BOUNDARIES)) {
      return Integer.MAX_VALUE;
    }
    TransportProvider p = provider();
    Endpoint endpoint = newEndpoint();
    switch (endpoint.kind()) {
      case DATAGRAM:
        try (DatagramSocket socket = p.bindDatagram(endpoint, options())) {
          return socket.maxDatagramSize();
        }
      case SEQPACKET:
        try (PacketAcceptor acceptor = p.listenPacket(endpoint, options());
            PacketSocket socket = p.connectPacket(acceptor.endpoint(), options())) {
          return socket.maxPacketSize();
        }
      default:
        throw new AssertionError(
            "a stream endpoint with MESSAGE_BOUNDARIES: " + endpoint + " " + capabilities());
    }
  }

  /**
   * A Unix endpoint {@code unix:///tmp/ipc4j-.../s.sock} in a new short directory that is deleted
   * after the test, for subclasses whose {@link #newEndpoint()} is a Unix socket path.
   */
  protected final Endpoint newUnixEndpoint() {
    return Endpoint.parse("unix://" + newTemporaryDirectory().resolve("s.sock"));
  }

  /** A new empty directory with a short path, deleted with its contents after the test. */
  protected final Path newTemporaryDirectory() {
    try {
      Path root = Path.of("/tmp");
      if (!Files.isDirectory(root) || !Files.isWritable(root)) {
        root = Path.of(System.getProperty("java.io.tmpdir"));
      }
      Path dir = Files.createTempDirectory(root, "ipc4j-");
      temporaryDirectories.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers {@code resource} to be closed after the test (last registered, first closed). */
  protected final <T extends Closeable> T closeAfter(T resource) {
    resources.push(resource);
    return resource;
  }

  /**
   * Runs {@code body} on a new platform thread that the test can watch and that is joined after.
   */
  protected final <T> Call<T> start(String name, Callable<T> body) {
    Call<T> call = new Call<>(name, body);
    calls.add(call);
    call.thread.start();
    return call;
  }

  @AfterEach
  final void releaseContractResources() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (IOException | RuntimeException e) {
        failures.add(e);
      }
    }
    for (Call<?> call : calls) {
      if (call.thread.isAlive()) {
        call.thread.interrupt();
      }
      call.thread.join(STEP.toMillis());
      if (call.thread.isAlive()) {
        failures.add(new AssertionError("thread " + call.thread.getName() + " still running"));
      }
    }
    calls.clear();
    for (Path dir : temporaryDirectories) {
      deleteRecursively(dir);
    }
    temporaryDirectories.clear();
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError("cleaning up after the test failed");
      failures.forEach(error::addSuppressed);
      throw error;
    }
  }

  /**
   * Deletes {@code dir} and what is in it, tolerating files that vanish meanwhile: a connection
   * closed by a timeout deletes its socket file on the watchdog's thread, possibly mid-walk.
   */
  private static void deleteRecursively(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Waits until {@code condition} holds, polling, and fails naming {@code what} at the deadline.
   */
  protected static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** {@code n} pseudo-random bytes, the same for the same seed. */
  protected static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The remaining bytes of {@code buffer}, without moving it. */
  protected static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  /** Reads exactly {@code n} bytes, failing if the stream ends first. */
  protected static byte[] readExactly(ReadableByteChannel channel, int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("stream ended after " + buffer.position() + " of " + n + " bytes");
      }
    }
    return buffer.array();
  }

  protected static void assertBytesEqual(byte[] expected, byte[] actual, String what) {
    assertArrayEquals(expected, actual, what);
  }

  /**
   * Asserts that a failure is a clean end of a conversation: end of stream, a closed channel, or a
   * connection reset by the peer (a socket closed with unread data, or written after the peer
   * closed). A clean end is never a hang nor an unrelated error.
   */
  protected static void assertCleanEnd(Throwable failure) {
    if (failure instanceof EOFException || failure instanceof ClosedChannelException) {
      return;
    }
    if (failure instanceof IOException) {
      String m = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("reset") || m.contains("broken pipe")) {
        return;
      }
    }
    throw new AssertionError("expected a clean end of the conversation, got " + failure, failure);
  }

  /**
   * Asserts that {@code message}, with the endpoints in {@code strip} removed, mentions each of
   * {@code numbers} as a whole number.
   */
  protected static void assertMentionsNumbers(String message, Object[] strip, long... numbers) {
    assertTrue(message != null, "the exception has no message");
    String rest = message;
    for (Object s : strip) {
      rest = rest.replace(String.valueOf(s), " ");
    }
    List<Long> found = new ArrayList<>();
    Matcher m = Pattern.compile("\\d+").matcher(rest);
    while (m.find()) {
      try {
        found.add(Long.parseLong(m.group()));
      } catch (NumberFormatException tooLong) {
        // not one of ours
      }
    }
    for (long n : numbers) {
      assertTrue(found.contains(n), "message should name " + n + ": " + message);
    }
  }

  /** A call that is expected to fail. */
  @FunctionalInterface
  protected interface IoCall {
    Object call() throws IOException;
  }

  /**
   * Asserts that {@code call} fails with {@link ClosedChannelException} (the connection is closed),
   * saying what happened instead if it does not.
   */
  protected static ClosedChannelException assertClosedChannel(String what, IoCall call) {
    Object result;
    try {
      result = call.call();
    } catch (ClosedChannelException expected) {
      return expected;
    } catch (IOException | RuntimeException other) {
      throw new AssertionError(
          what + ": expected ClosedChannelException (the connection is closed), got " + other,
          other);
    }
    throw new AssertionError(
        what
            + ": expected ClosedChannelException (the connection is closed), but it returned "
            + describe(result));
  }

  private static String describe(Object result) {
    if (result instanceof ByteBuffer) {
      ByteBuffer b = (ByteBuffer) result;
      return "a message of " + b.remaining() + " bytes " + java.util.Arrays.toString(bytesOf(b));
    }
    return String.valueOf(result);
  }

  /** The cause of a failed call, unwrapped from {@link ExecutionException}. */
  protected static Throwable failureOf(CompletableFuture<?> future, Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      Object value = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected the call to fail, but it returned " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /**
   * A call running on its own platform thread, so that a test can wait until it blocks, unblock it
   * from another thread and collect the outcome with a timeout.
   *
   * @param <T> the result type
   */
  public static final class Call<T> {
    final Thread thread;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile boolean started;

    Call(String name, Callable<T> body) {
      thread =
          new Thread(
              () -> {
                started = true;
                try {
                  result.complete(body.call());
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              },
              "contract-" + name);
      thread.setDaemon(true);
    }

    /** The outcome, as a future. */
    public CompletableFuture<T> future() {
      return result;
    }

    /** The result, failing the test if it takes longer than {@code timeout}. */
    public T get(Duration timeout) throws Exception {
      try {
        return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            thread.getName() + " did not finish within " + timeout.toMillis() + " ms", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception) {
          throw (Exception) cause;
        }
        throw e;
      }
    }

    /** The failure, failing the test if the call returns or takes longer than {@code timeout}. */
    public Throwable failure(Duration timeout) throws Exception {
      try {
        return failureOf(result, timeout);
      } catch (TimeoutException e) {
        throw new AssertionError(
            thread.getName() + " did not finish within " + timeout.toMillis() + " ms", e);
      }
    }

    /**
     * Waits until the thread is blocked in socket I/O: inside a native method of a socket class (a
     * blocking system call), or parked or waiting below one (a virtual thread waiting for its
     * socket). Returns whether it was seen blocked before {@code timeout}; a call that finished
     * already also counts as not blocked. Any other native method or wait does not count: a receive
     * allocating its buffer in {@code Unsafe.allocateMemory} is not blocked yet, and closing it
     * then rightly fails it with a plain {@code ClosedChannelException}.
     */
    public boolean awaitBlocked(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() - deadline < 0 && !result.isDone()) {
        if (started && SocketWaits.isBlocked(thread)) {
          return true;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      return false;
    }
  }
}
