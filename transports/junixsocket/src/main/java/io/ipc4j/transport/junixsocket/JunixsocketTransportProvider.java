package io.ipc4j.transport.junixsocket;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.TransportUnavailableException;
import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import io.ipc4j.spi.TransportProvider;
import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unix sockets through <a href="https://kohlschutter.github.io/junixsocket/">junixsocket</a>'s
 * native library: what the JDK lacks, namely Linux abstract names ({@code unix:@name}), the peer's
 * process id, datagrams ({@code unixgram}), SOCK_SEQPACKET ({@code unixpacket}) and file descriptor
 * passing.
 *
 * <p>Its {@linkplain #priority() priority} is below the JDK transport's, so socket paths of {@code
 * unix} are served by the JDK unless {@link StandardIpcOptions#PROVIDER} is {@code "junixsocket"},
 * while abstract names, {@code unixgram} and {@code unixpacket}, which the JDK cannot serve, come
 * here automatically:
 *
 * <pre>{@code
 * try (Listener<StreamConnection> listener = Ipc.listen("unix:@my-service");
 *     StreamConnection client = Ipc.connect("unix:@my-service");
 *     StreamConnection server = listener.accept()) {
 *   long pid = server.peerCredentials().orElseThrow().pid().orElseThrow();
 * }
 * }</pre>
 *
 * <p>Peer credentials carry the numeric user id, groups and process id ({@link
 * io.ipc4j.PeerCredentials#ofIds(long, long[], long)}). Socket files are created and deleted by
 * {@link UnixSocketFile}, never by junixsocket: a listener never replaces a live socket nor a file
 * that is not a socket. Stream and packet sockets pass file descriptors ({@link
 * io.ipc4j.spi.DescriptorChannel}, at most {@value PassedDescriptors#MAX_PER_WRITE} per message).
 *
 * <p>What junixsocket cannot do, and how it shows: an empty {@code unixpacket} message cannot be
 * told from the end of the connection, so none is sent and one received ends it ({@link
 * JunixsocketPacketSocket}); an empty {@code unixgram} datagram cannot be sent, and the sender of
 * one received is unknown ({@link JunixsocketDatagramSocket}); a datagram client cannot ask Linux
 * to autobind it, so it binds a fresh abstract name of its own ({@code @ipc4j-gram-PID-N-R}, as
 * long as an endpoint allows, see {@link #connectDatagram}). The largest packet or datagram is
 * SO_SNDBUF less 32 bytes (208 KiB with Linux defaults).
 *
 * <p>Blocking calls of junixsocket are not claimed safe on virtual threads ({@link
 * Capability#VIRTUAL_THREADS}): servers run their handlers on platform threads.
 *
 * <p>Constructing the provider never fails: when the native library cannot be loaded, {@link
 * #isAvailable()} is false and {@link #unavailabilityCause()} says why. Thread-safe.
 */
public final class JunixsocketTransportProvider implements TransportProvider {
  private static final Logger log = LoggerFactory.getLogger(JunixsocketTransportProvider.class);
  private static final String UNIX = "unix";
  private static final String UNIXGRAM = "unixgram";
  private static final String UNIXPACKET = "unixpacket";
  private static final Set<String> SCHEMES = Set.of(UNIX, UNIXGRAM, UNIXPACKET);
  private static final AtomicLong clientNames = new AtomicLong();
  private static final SecureRandom random = new SecureRandom();
  private static final MethodHandle IS_VIRTUAL = findIsVirtual();

  /**
   * Called by {@link java.util.ServiceLoader}. Loads no native code: that happens when this
   * provider is first asked whether it is available, so that a program that never uses it never
   * loads junixsocket (nor sees the JDK's native-access warning).
   */
  public JunixsocketTransportProvider() {}

  /** What junixsocket can do here, per scheme; touching it loads the native library. */
  private static final class UnixCapabilities {
    static final Set<Capability> STREAM =
        probe(
            true,
            Capability.RELIABLE,
            Capability.ORDERED,
            Capability.HALF_CLOSE,
            Capability.SOCKET_FILE_PERMISSIONS);
    static final Set<Capability> DATAGRAM =
        NativeSupport.UNIX_DATAGRAMS
            ? probe(false, Capability.MESSAGE_BOUNDARIES, Capability.SOCKET_FILE_PERMISSIONS)
            : Set.of();
    static final Set<Capability> PACKET =
        NativeSupport.SEQPACKET
            ? probe(
                true,
                Capability.RELIABLE,
                Capability.ORDERED,
                Capability.MESSAGE_BOUNDARIES,
                Capability.HALF_CLOSE,
                Capability.SOCKET_FILE_PERMISSIONS)
            : Set.of();

    /**
     * @param connected whether the sockets are connected, and so have peer credentials and pass
     *     descriptors (datagrams could pass descriptors, but the SPI has no way for them)
     */
    private static Set<Capability> probe(boolean connected, Capability first, Capability... rest) {
      Set<Capability> c = EnumSet.of(first, rest);
      if (connected && NativeSupport.PEER_CREDENTIALS) {
        c.add(Capability.PEER_CREDENTIALS);
        c.add(Capability.PEER_PID);
      }
      if (connected && NativeSupport.FILE_DESCRIPTORS) {
        c.add(Capability.FILE_DESCRIPTORS);
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

  /**
   * {@code unix}: reliable, ordered, half-close, socket file permissions, peer credentials with the
   * process id, file descriptors, abstract names. {@code unixpacket}: the same with message
   * boundaries. {@code unixgram}: message boundaries, socket file permissions and abstract names
   * (no peer credentials: a datagram socket has none). Each only as far as junixsocket reports it
   * here.
   */
  @Override
  public Set<Capability> capabilities(String scheme) {
    switch (scheme) {
      case UNIX:
        return UnixCapabilities.STREAM;
      case UNIXGRAM:
        return UnixCapabilities.DATAGRAM;
      case UNIXPACKET:
        return UnixCapabilities.PACKET;
      default:
        return Set.of();
    }
  }

  /**
   * Socket paths, and abstract names where the platform has them (Linux); not unnamed ones; {@code
   * unixgram} and {@code unixpacket} where junixsocket can open such sockets.
   */
  @Override
  public boolean supports(Endpoint endpoint) {
    String scheme = endpoint.scheme();
    return SCHEMES.contains(scheme)
        && !endpoint.isUnnamed()
        && (!endpoint.isAbstract() || NativeSupport.ABSTRACT_NAMESPACE)
        && (!scheme.equals(UNIXGRAM) || NativeSupport.UNIX_DATAGRAMS)
        && (!scheme.equals(UNIXPACKET) || NativeSupport.SEQPACKET);
  }

  @Override
  public StreamSocket connect(Endpoint endpoint, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(endpoint);
    requireServed(endpoint, UNIX);
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
          endpoint,
          options.get(StandardIpcOptions.RECEIVE_DESCRIPTORS));
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
    TransportProvider.requireNoParameters(endpoint);
    requireServed(endpoint, UNIX);
    int backlog = options.get(StandardIpcOptions.BACKLOG);
    boolean receiveDescriptors = options.get(StandardIpcOptions.RECEIVE_DESCRIPTORS);
    AFUNIXSocketAddress abstractAddress = endpoint.isAbstract() ? UnixAddresses.of(endpoint) : null;
    AFUNIXServerSocketChannel bound = openServerChannel();
    try {
      if (abstractAddress != null) {
        bindAbstract(bound, endpoint, abstractAddress, backlog);
        return new JunixsocketStreamAcceptor(bound, null, endpoint, null, receiveDescriptors);
      }
      UnixSocketFile file =
          UnixSocketFile.bind(
              endpoint,
              options.get(StandardIpcOptions.SOCKET_FILE_PERMISSIONS),
              path -> bindPath(bound, endpoint, path, backlog),
              bound::isOpen);
      try {
        return new JunixsocketStreamAcceptor(
            acceptingChannel(bound), bound, endpoint, file, receiveDescriptors);
      } catch (IOException | RuntimeException e) {
        releaseAfterFailure(file::deleteIfOwned, e);
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

  /**
   * Binds a {@code unixgram} socket to a path (through {@link UnixSocketFile}, with {@link
   * StandardIpcOptions#SOCKET_FILE_PERMISSIONS}: senders need write permission) or abstract name.
   * Datagrams from a path-bound socket carry the private name it was bound at, which is kept linked
   * to it so that peers can answer ({@link AnswerableName}).
   */
  @Override
  public DatagramSocket bindDatagram(Endpoint local, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(local);
    requireServed(local, UNIXGRAM);
    AFUNIXDatagramChannel channel = openDatagramChannel();
    try {
      if (local.isAbstract()) {
        bindAbstract(channel.socket(), local, UnixAddresses.of(local));
        return new JunixsocketDatagramSocket(channel, local, null, null, sendTimeout(options));
      }
      Set<PosixFilePermission> permissions =
          options.get(StandardIpcOptions.SOCKET_FILE_PERMISSIONS);
      UnixSocketFile file =
          UnixSocketFile.bind(
              local,
              permissions,
              path -> bindPath(channel.socket(), local, path, -1),
              channel::isOpen,
              true);
      Closeable answerable;
      try {
        answerable = AnswerableName.keep(file, permissions);
      } catch (IOException | RuntimeException e) {
        // Peers could not answer it: no socket rather than one that cannot hear back.
        releaseAfterFailure(file::deleteIfOwned, e);
        throw e;
      }
      Closeable cleanup =
          () -> {
            try {
              if (answerable != null) {
                answerable.close();
              }
            } finally {
              file.deleteIfOwned();
            }
          };
      try {
        return new JunixsocketDatagramSocket(channel, local, null, cleanup, sendTimeout(options));
      } catch (IOException | RuntimeException e) {
        releaseAfterFailure(cleanup, e);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Opens a {@code unixgram} socket connected to {@code remote}. So that the peer can answer, it is
   * bound first: to a fresh abstract name ({@code @ipc4j-gram-PID-N-R}, R random base-36 digits up
   * to {@link Endpoint#maxUnixPathBytes()}), since junixsocket cannot ask Linux to autobind one (it
   * binds with address length 0, which Linux refuses); where there are no abstract names, to {@code
   * c} in a fresh owner-only temporary directory, deleted on close. The name is long because a
   * junixsocket receiver, ipc4j's included, pads a sender's abstract name with NULs to the whole of
   * {@code sun_path} and, when that pads more than some 40 bytes, spells the address out one byte
   * at a time with {@code String.format}: five times the cost of receiving from a long name.
   *
   * @throws ConnectException if nobody is bound at {@code remote}
   */
  @Override
  public DatagramSocket connectDatagram(Endpoint remote, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(remote);
    requireServed(remote, UNIXGRAM);
    Path dir = null;
    AFUNIXDatagramChannel channel;
    Endpoint local;
    if (NativeSupport.ABSTRACT_NAMESPACE) {
      channel = bindFreshAbstractName();
      local = boundEndpoint(channel);
    } else {
      dir =
          Files.createTempDirectory(
              "ipc4j-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      local = Endpoint.unix(dir.resolve("c")).withScheme(UNIXGRAM);
      channel = openDatagramChannel();
      try {
        channel.bind(AFUNIXSocketAddress.of(local.path()));
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(dir);
        throw e;
      }
    }
    Closeable cleanup =
        dir == null ? null : JunixsocketDatagramSocket.deletingDirectory(dir, local.path());
    try {
      try {
        channel.connect(UnixAddresses.of(remote));
      } catch (IOException e) {
        ConnectException failure = new ConnectException(remote + ": " + describe(e));
        failure.initCause(e);
        throw failure;
      }
      return new JunixsocketDatagramSocket(channel, local, remote, cleanup, sendTimeout(options));
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (cleanup != null) {
        releaseAfterFailure(cleanup, e);
      }
      throw e;
    }
  }

  /**
   * How long a {@code unixgram} send may wait for room at its receiver, in milliseconds (0: for
   * ever): {@link StandardIpcOptions#WRITE_TIMEOUT}, which the kernel enforces (see {@link
   * JunixsocketDatagramSocket}).
   */
  private static int sendTimeout(IpcOptions options) {
    return millis(options.get(StandardIpcOptions.WRITE_TIMEOUT));
  }

  /** A datagram channel bound to a fresh abstract name, retrying the unlikely name taken. */
  private static AFUNIXDatagramChannel bindFreshAbstractName() throws IOException {
    for (int attempt = 0; ; attempt++) {
      StringBuilder name =
          new StringBuilder("ipc4j-gram-")
              .append(ProcessHandle.current().pid())
              .append('-')
              .append(clientNames.incrementAndGet())
              .append('-');
      while (name.length() < Endpoint.maxUnixPathBytes()) {
        name.append(Character.forDigit(random.nextInt(36), 36));
      }
      // A fresh channel per attempt: junixsocket's failed bind may leave it connected.
      AFUNIXDatagramChannel channel = openDatagramChannel();
      try {
        channel.bind(AFUNIXSocketAddress.inAbstractNamespace(name.toString()));
        return channel;
      } catch (IOException e) {
        channel.close();
        if (!(e instanceof AddressAlreadyInUseSocketException) || attempt >= 7) {
          throw e;
        }
      } catch (RuntimeException e) {
        channel.close();
        throw e;
      }
    }
  }

  /** The endpoint {@code channel} was bound to. */
  private static Endpoint boundEndpoint(AFUNIXDatagramChannel channel) throws IOException {
    AFUNIXSocketAddress address = channel.getLocalAddress();
    if (address == null) {
      throw new IOException("no local address after binding " + channel);
    }
    return UnixAddresses.endpointOf(UNIXGRAM, address);
  }

  private static AFUNIXDatagramChannel openDatagramChannel() throws IOException {
    AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
    // On by default: it would delete whatever is at the bound path on close.
    channel.socket().setDeleteOnClose(false);
    return channel;
  }

  /**
   * Binds a {@code unixpacket} listener to a path (through {@link UnixSocketFile}, as for {@code
   * unix}) or abstract name.
   */
  @Override
  public PacketAcceptor listenPacket(Endpoint local, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(local);
    requireServed(local, UNIXPACKET);
    int backlog = options.get(StandardIpcOptions.BACKLOG);
    boolean receiveDescriptors = options.get(StandardIpcOptions.RECEIVE_DESCRIPTORS);
    AFUNIXDatagramSocket socket = openPacketSocket();
    try {
      if (local.isAbstract()) {
        bindAbstract(socket, local, UnixAddresses.of(local));
        socket.listen(backlog);
        return new JunixsocketPacketAcceptor(socket, local, null, receiveDescriptors);
      }
      UnixSocketFile file =
          UnixSocketFile.bind(
              local,
              options.get(StandardIpcOptions.SOCKET_FILE_PERMISSIONS),
              path -> bindPath(socket, local, path, backlog),
              () -> !socket.isClosed());
      try {
        return new JunixsocketPacketAcceptor(socket, local, file, receiveDescriptors);
      } catch (RuntimeException e) {
        releaseAfterFailure(file::deleteIfOwned, e);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Connects a {@code unixpacket} socket, bounded by {@code CONNECT_TIMEOUT} when the listener's
   * backlog is full (SO_SNDTIMEO, which junixsocket sets with the socket timeout; unlike for
   * streams, its blocking connect behaves the same on virtual threads, and fails at once where
   * nobody listens).
   */
  @Override
  public PacketSocket connectPacket(Endpoint remote, IpcOptions options) throws IOException {
    TransportProvider.requireNoParameters(remote);
    requireServed(remote, UNIXPACKET);
    int timeoutMillis = millis(options.get(StandardIpcOptions.CONNECT_TIMEOUT));
    AFUNIXDatagramSocket socket = openPacketSocket();
    try {
      try {
        if (timeoutMillis > 0) {
          socket.setSoTimeout(timeoutMillis);
        }
        socket.connect(UnixAddresses.of(remote));
        socket.setSoTimeout(0);
      } catch (IOException e) {
        if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
          SocketTimeoutException timeout =
              new SocketTimeoutException(
                  "connect timed out after " + timeoutMillis + " ms (connectTimeout): " + remote);
          timeout.initCause(e);
          throw timeout;
        }
        ConnectException failure = new ConnectException(remote + ": " + describe(e));
        failure.initCause(e);
        throw failure;
      }
      return new JunixsocketPacketSocket(
          socket,
          UnixAddresses.endpointOf(UNIXPACKET, socket.getLocalSocketAddress()),
          remote,
          options.get(StandardIpcOptions.RECEIVE_DESCRIPTORS));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static AFUNIXDatagramSocket openPacketSocket() throws IOException {
    AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance(AFSocketType.SOCK_SEQPACKET);
    // On by default: it would delete whatever is at the bound path on close.
    socket.setDeleteOnClose(false);
    return socket;
  }

  /** Binds a datagram or packet socket to an abstract name. */
  private static void bindAbstract(
      AFDatagramSocket<AFUNIXSocketAddress> socket, Endpoint endpoint, AFUNIXSocketAddress address)
      throws IOException {
    try {
      socket.bind(address);
    } catch (AddressAlreadyInUseSocketException | BindException e) {
      throw inUseByName(endpoint, e);
    } catch (SocketException e) {
      // junixsocket reports EADDRINUSE of a datagram bind as a plain socket exception.
      if (e.getCause() instanceof AddressAlreadyInUseSocketException) {
        throw inUseByName(endpoint, e);
      }
      throw e;
    }
  }

  private static AddressInUseException inUseByName(Endpoint endpoint, IOException e) {
    AddressInUseException inUse =
        new AddressInUseException(
            endpoint, endpoint + ": address in use: a live socket holds the abstract name", true);
    inUse.initCause(e);
    return inUse;
  }

  /**
   * Binds a datagram or packet socket at {@code path}, vetted (or made fresh) by {@link
   * UnixSocketFile}, and listens if {@code backlog} is not negative.
   */
  private static void bindPath(
      AFDatagramSocket<AFUNIXSocketAddress> socket, Endpoint endpoint, Path path, int backlog)
      throws IOException {
    // As for streams: junixsocket's bind would unlink a file that refuses a connection.
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new AddressInUseException(
          endpoint,
          endpoint + ": address in use: " + path + " appeared while binding; not replacing it",
          UnixSocketFile.isLive(path));
    }
    try {
      socket.bind(AFUNIXSocketAddress.of(path));
    } catch (AddressAlreadyInUseSocketException | BindException e) {
      AddressInUseException inUse =
          new AddressInUseException(
              endpoint, endpoint + ": address in use: a live socket listens at " + path, true);
      inUse.initCause(e);
      throw inUse;
    }
    if (backlog >= 0) {
      socket.listen(backlog);
    }
  }

  /** Releases {@code resource} (a socket file, say) after {@code failure}, which keeps its own. */
  private static void releaseAfterFailure(Closeable resource, Exception failure) {
    try {
      resource.close();
    } catch (IOException secondary) {
      failure.addSuppressed(secondary);
    }
  }

  private void requireServed(Endpoint endpoint, String scheme)
      throws TransportUnavailableException {
    if (!isAvailable()) {
      throw new TransportUnavailableException(
          endpoint.scheme(),
          "provider \"junixsocket\" is unavailable ("
              + NativeSupport.UNAVAILABLE
              + "): "
              + endpoint,
          NativeSupport.UNAVAILABLE);
    }
    if (!endpoint.scheme().equals(scheme)) {
      throw new IllegalArgumentException(
          "scheme \""
              + endpoint.scheme()
              + "\" not served (expected: "
              + scheme
              + "): "
              + endpoint);
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
    boolean sockets =
        scheme.equals(UNIXGRAM)
            ? NativeSupport.UNIX_DATAGRAMS
            : !scheme.equals(UNIXPACKET) || NativeSupport.SEQPACKET;
    if (!sockets) {
      throw new TransportUnavailableException(
          scheme,
          "junixsocket cannot open "
              + scheme
              + " sockets on "
              + System.getProperty("os.name")
              + ": "
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
