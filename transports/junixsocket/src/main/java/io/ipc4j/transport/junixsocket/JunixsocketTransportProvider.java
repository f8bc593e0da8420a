package io.ipc4j.transport.junixsocket;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.TransportUnavailableException;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.TransportProvider;
import io.ipc4j.spi.UnixSocketFile;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unix stream sockets ({@code unix}) through <a
 * href="https://kohlschutter.github.io/junixsocket/">junixsocket</a>'s native library: what the JDK
 * lacks, namely Linux abstract names ({@code unix:@name}) and the peer's process id.
 *
 * <p>Its {@linkplain #priority() priority} is below the JDK transport's, so socket paths are served
 * by the JDK unless {@link StandardIpcOptions#PROVIDER} is {@code "junixsocket"}, while abstract
 * names, which the JDK cannot bind, come here automatically:
 *
 * <pre>{@code
 * try (Listener<StreamConnection> listener = Ipc.listen("unix:@my-service");
 *     StreamConnection client = Ipc.connect("unix:@my-service");
 *     StreamConnection server = listener.accept()) {
 *   long pid = server.peerCredentials().orElseThrow().pid().orElseThrow();
 * }
 * }</pre>
 *
 * <p>Peer credentials carry the numeric user id, group id and process id ({@link
 * io.ipc4j.PeerCredentials#ofIds}). Socket files are created and deleted by {@link UnixSocketFile},
 * never by junixsocket: a listener never replaces a live socket nor a file that is not a socket. A
 * connection {@linkplain StreamSocket#unwrap unwraps} to its {@link AFUNIXSocketChannel}.
 *
 * <p>Constructing the provider never fails: when the native library cannot be loaded, {@link
 * #isAvailable()} is false and {@link #unavailabilityCause()} says why. Thread-safe.
 */
public final class JunixsocketTransportProvider implements TransportProvider {
  private static final Logger log = LoggerFactory.getLogger(JunixsocketTransportProvider.class);
  private static final Set<String> SCHEMES = Set.of("unix");
  private static final MethodHandle IS_VIRTUAL = findIsVirtual();

  /**
   * Called by {@link java.util.ServiceLoader}. Loads no native code: that happens when this
   * provider is first asked whether it is available, so that a program that never uses it never
   * loads junixsocket (nor sees the JDK's native-access warning).
   */
  public JunixsocketTransportProvider() {}

  /** What junixsocket can do here; touching it loads the native library. */
  private static final class UnixCapabilities {
    static final Set<Capability> SET = probe();

    private static Set<Capability> probe() {
      Set<Capability> c =
          EnumSet.of(
              Capability.RELIABLE,
              Capability.ORDERED,
              Capability.HALF_CLOSE,
              Capability.SOCKET_FILE_PERMISSIONS);
      if (NativeSupport.PEER_CREDENTIALS) {
        c.add(Capability.PEER_CREDENTIALS);
        c.add(Capability.PEER_PID);
      }
      if (NativeSupport.ABSTRACT_NAMESPACE) {
        c.add(Capability.ABSTRACT_NAMESPACE);
      }
      return Collections.unmodifiableSet(c);
    }
  }

  @Override
  public String name() {
    return "junixsocket";
  }

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }

  /** -10: below the JDK transport (0), which serves socket paths without native code. */
  @Override
  public int priority() {
    return -10;
  }

  @Override
  public boolean isAvailable() {
    return NativeSupport.UNAVAILABLE == null;
  }

  @Override
  public Optional<Throwable> unavailabilityCause() {
    return Optional.ofNullable(NativeSupport.UNAVAILABLE);
  }

  @Override
  public Set<Capability> capabilities(String scheme) {
    return SCHEMES.contains(scheme) ? UnixCapabilities.SET : Set.of();
  }

  /** Socket paths, and abstract names where the platform has them (Linux); not unnamed ones. */
  @Override
  public boolean supports(Endpoint endpoint) {
    return SCHEMES.contains(endpoint.scheme())
        && !endpoint.isUnnamed()
        && (!endpoint.isAbstract() || NativeSupport.ABSTRACT_NAMESPACE);
  }

  @Override
  public StreamSocket connect(Endpoint endpoint, IpcOptions options) throws IOException {
    requireServed(endpoint);
    AFUNIXSocketAddress address = UnixAddresses.of(endpoint);
    int timeoutMillis = millis(options.get(StandardIpcOptions.CONNECT_TIMEOUT));
    AFUNIXSocketChannel channel;
    try {
      channel = connect(endpoint, address, timeoutMillis);
    } catch (SocketTimeoutException e) {
      SocketTimeoutException timeout =
          new SocketTimeoutException(
              "connect timed out after " + timeoutMillis + " ms (connectTimeout): " + endpoint);
      timeout.initCause(e);
      throw timeout;
    } catch (IOException e) {
      ConnectException failure = new ConnectException(endpoint + ": " + describe(e));
      failure.initCause(e);
      throw failure;
    }
    try {
      return new JunixsocketStreamSocket(
          channel,
          UnixAddresses.endpointOf(endpoint.scheme(), channel.getLocalAddress()),
          endpoint);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Connects a blocking channel. A first, non-blocking attempt fails at once where nobody listens
   * (junixsocket's blocking connect on a virtual thread retries a refused connection until its
   * timeout, or forever without one). It only falls short when the listener's backlog is full
   * (EAGAIN): then a fresh socket waits in a blocking connect, bounded on a platform thread by
   * SO_SNDTIMEO (how Linux bounds a Unix connect) and on a virtual thread by junixsocket's own
   * timeout.
   */
  private static AFUNIXSocketChannel connect(
      Endpoint endpoint, AFUNIXSocketAddress address, int timeoutMillis) throws IOException {
    AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
    try {
      channel.configureBlocking(false);
      if (channel.connect(address)) {
        channel.configureBlocking(true);
        return channel;
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    channel.close();
    log.debug("{}: backlog full, waiting up to {} ms (0: no limit)", endpoint, timeoutMillis);
    channel = AFUNIXSocketChannel.open();
    try {
      if (timeoutMillis > 0) {
        channel.socket().setSoTimeout(timeoutMillis);
      }
      if (isVirtualThread()) {
        channel.socket().connect(address, timeoutMillis);
      } else {
        // Not socket().connect(address, timeout): junixsocket retries after a timeout expires,
        // and SO_SNDTIMEO already bounds this call.
        channel.connect(address);
      }
      channel.socket().setSoTimeout(0);
      return channel;
    } catch (IllegalArgumentException e) {
      channel.close();
      // junixsocket 2.11 fails with "Self-suppression not permitted" when its connect timeout
      // expires twice on a virtual thread: that is a timeout.
      if (timeoutMillis > 0 && String.valueOf(e.getMessage()).startsWith("Self-suppression")) {
        SocketTimeoutException timeout = new SocketTimeoutException("connect timed out");
        timeout.initCause(e);
        throw timeout;
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public StreamAcceptor listen(Endpoint endpoint, IpcOptions options) throws IOException {
    requireServed(endpoint);
    int backlog = options.get(StandardIpcOptions.BACKLOG);
    AFUNIXSocketAddress abstractAddress = endpoint.isAbstract() ? UnixAddresses.of(endpoint) : null;
    AFUNIXServerSocketChannel bound = openServerChannel();
    try {
      if (abstractAddress != null) {
        bindAbstract(bound, endpoint, abstractAddress, backlog);
        return new JunixsocketStreamAcceptor(bound, null, endpoint, null);
      }
      UnixSocketFile file =
          UnixSocketFile.bind(
              endpoint,
              options.get(StandardIpcOptions.SOCKET_FILE_PERMISSIONS),
              path -> bindPath(bound, endpoint, path, backlog));
      try {
        return new JunixsocketStreamAcceptor(acceptingChannel(bound), bound, endpoint, file);
      } catch (IOException | RuntimeException e) {
        try {
          file.deleteIfOwned();
        } catch (IOException secondary) {
          e.addSuppressed(secondary);
        }
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      bound.close();
      throw e;
    }
  }

  /**
   * A new channel that takes over a duplicate of {@code bound}'s descriptor. junixsocket's accept
   * checks that the path a socket was bound at still names the socket's file, and closes the
   * listener if it does not ("Software caused connection abort"); but {@link UnixSocketFile} binds
   * at a temporary name, which is gone by now. A socket taken over from a descriptor has no path of
   * its own to check.
   */
  private static AFUNIXServerSocketChannel acceptingChannel(AFUNIXServerSocketChannel bound)
      throws IOException {
    AFUNIXServerSocketChannel channel =
        FileDescriptorCast.duplicating(bound.getFileDescriptor())
            .as(AFUNIXServerSocket.class)
            .getChannel();
    try {
      disableTakeover(channel);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static AFUNIXServerSocketChannel openServerChannel() throws IOException {
    AFUNIXServerSocketChannel channel = AFUNIXServerSocketChannel.open();
    try {
      disableTakeover(channel);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Turns off junixsocket's defaults that would take an address from its holder: with SO_REUSEADDR
   * (on by default) bind renames a live socket's file away and binds in its place, and
   * deleteOnClose (on by default) deletes whatever file is at the path on close. {@link
   * UnixSocketFile} owns the socket file instead.
   */
  private static void disableTakeover(AFUNIXServerSocketChannel channel) throws IOException {
    channel.socket().setReuseAddress(false);
    channel.setDeleteOnClose(false);
  }

  private static void bindAbstract(
      AFUNIXServerSocketChannel channel,
      Endpoint endpoint,
      AFUNIXSocketAddress address,
      int backlog)
      throws IOException {
    try {
      channel.bind(address, backlog);
    } catch (AddressAlreadyInUseSocketException | BindException e) {
      AddressInUseException inUse =
          new AddressInUseException(
              endpoint, endpoint + ": address in use: a live socket holds the abstract name", true);
      inUse.initCause(e);
      throw inUse;
    }
  }

  private static void bindPath(
      AFUNIXServerSocketChannel channel, Endpoint endpoint, Path path, int backlog)
      throws IOException {
    // Even without SO_REUSEADDR, junixsocket's bind unlinks whatever refuses a connection at the
    // path: a stale socket, but also a regular file. UnixSocketFile has vetted the path (or made
    // a fresh one), so anything there now appeared meanwhile and is not ours to delete.
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new AddressInUseException(
          endpoint,
          endpoint + ": address in use: " + path + " appeared while binding; not replacing it",
          UnixSocketFile.isLive(path));
    }
    try {
      channel.bind(AFUNIXSocketAddress.of(path), backlog);
    } catch (AddressAlreadyInUseSocketException | BindException e) {
      AddressInUseException inUse =
          new AddressInUseException(
              endpoint, endpoint + ": address in use: a live socket listens at " + path, true);
      inUse.initCause(e);
      throw inUse;
    }
  }

  private void requireServed(Endpoint endpoint) throws TransportUnavailableException {
    if (!isAvailable()) {
      throw new TransportUnavailableException(
          endpoint.scheme(),
          "provider \"junixsocket\" is unavailable ("
              + NativeSupport.UNAVAILABLE
              + "): "
              + endpoint,
          NativeSupport.UNAVAILABLE);
    }
    if (!SCHEMES.contains(endpoint.scheme())) {
      throw new IllegalArgumentException(
          "scheme \"" + endpoint.scheme() + "\" not served (expected: unix): " + endpoint);
    }
    if (endpoint.isUnnamed()) {
      throw new IllegalArgumentException(
          "unnamed endpoint (expected: a socket path or an abstract @name): " + endpoint);
    }
    if (endpoint.isAbstract() && !NativeSupport.ABSTRACT_NAMESPACE) {
      throw new TransportUnavailableException(
          endpoint.scheme(),
          "abstract names are not supported on "
              + System.getProperty("os.name")
              + " (expected: a socket path): "
              + endpoint,
          null);
    }
  }

  /** A timeout in whole milliseconds, at least 1 unless zero, at most {@code Integer.MAX_VALUE}. */
  private static int millis(Duration timeout) {
    if (timeout.isZero()) {
      return 0;
    }
    if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
      return Integer.MAX_VALUE;
    }
    long millis = timeout.toMillis();
    if (Duration.ofMillis(millis).compareTo(timeout) < 0) {
      millis++;
    }
    return (int) Math.max(1, millis);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
  }

  private static boolean isVirtualThread() {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
    } catch (Throwable unexpected) {
      return false;
    }
  }

  /** {@code Thread.isVirtual()}, which exists from Java 21; this library is compiled for 17. */
  private static MethodHandle findIsVirtual() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "JunixsocketTransportProvider" + SCHEMES;
  }
}
