package io.ipc4j;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * The options every transport understands, with their defaults. This class is the one place where
 * ipc4j's defaults are written down.
 */
public final class StandardIpcOptions {
  /**
   * The longest duration an option takes: about 292 years, what a count of nanoseconds holds. A
   * longer one (ChronoUnit.FOREVER's, say) overflowed when it was used, after the socket was open.
   * Declared before the options, whose checks it is part of.
   */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  private StandardIpcOptions() {}

  /** The largest Java array a message can be copied into. */
  static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

  /**
   * How long a connect may take before it fails with {@link java.net.SocketTimeoutException}. Zero
   * means no limit. The JDK's provider connects in blocking mode and lets the {@link
   * io.ipc4j.spi.Watchdog} end a connect past its deadline, which it does at most an eighth of the
   * timeout late (between 5 and 100 ms). Default: 10 seconds.
   */
  public static final IpcOption<Duration> CONNECT_TIMEOUT =
      nonNegative("connectTimeout", Duration.ofSeconds(10));

  /**
   * How long one read (or one {@code receive}) may block. When it expires the call fails with
   * {@link java.net.SocketTimeoutException} and the connection is closed, since a stream cut
   * mid-message cannot be resumed. Zero means no limit. Default: no limit. On an {@link IpcServer}
   * this is the idle timeout of its connections.
   */
  public static final IpcOption<Duration> READ_TIMEOUT = nonNegative("readTimeout", Duration.ZERO);

  /**
   * How long one write (or one {@code send}) may block on a peer that does not read. Expiry closes
   * the connection as for {@link #READ_TIMEOUT}; on a datagram server ({@code unixgram}, where an
   * answer waits while the peer's queue or the server's send buffer is full), only the conversation
   * whose answer waited. Zero means no limit. Default: no limit.
   */
  public static final IpcOption<Duration> WRITE_TIMEOUT =
      nonNegative("writeTimeout", Duration.ZERO);

  /**
   * The largest message a {@link MessageConnection} sends or accepts, in bytes. A peer that
   * announces a larger one loses its connection. Default: 4 MiB.
   */
  public static final IpcOption<Integer> MAX_MESSAGE_SIZE =
      IpcOption.of(
          "maxMessageSize",
          Integer.class,
          4 << 20,
          n -> n >= 1 && n <= MAX_ARRAY_SIZE,
          "1 to " + MAX_ARRAY_SIZE);

  /**
   * The permissions of a Unix socket file that a listener creates. They are in place before the
   * file appears under its name, so there is no moment at which others could connect. Connecting
   * needs write permission. Default: {@code rw-------} (owner only).
   */
  public static final IpcOption<Set<PosixFilePermission>> SOCKET_FILE_PERMISSIONS =
      IpcOption.ofCopied(
          "socketFilePermissions",
          Set.class,
          PosixFilePermissions.fromString("rw-------"),
          p -> p.stream().allMatch(PosixFilePermission.class::isInstance),
          "a set of PosixFilePermission such as PosixFilePermissions.fromString(\"rw-------\")",
          Set::copyOf);

  /** The length of a listener's queue of connections not yet accepted. Default: 128. */
  public static final IpcOption<Integer> BACKLOG =
      IpcOption.of("backlog", Integer.class, 128, n -> n >= 1 && n <= 65535, "1 to 65535");

  /** Whether TCP connections send small writes at once (TCP_NODELAY). Default: true. */
  public static final IpcOption<Boolean> TCP_NODELAY =
      IpcOption.of("tcpNoDelay", Boolean.class, true, b -> true, "true or false");

  /**
   * Whether connections receive the file descriptors their peer passes (SCM_RIGHTS), to be taken
   * with {@link DescriptorPassing#receivedDescriptors()}. Off, a receive is a plain one and the
   * kernel closes every descriptor a peer sends, so that no peer can put open files into this
   * process unasked; on, each receive leaves room for descriptors ({@code recvmsg} with a control
   * buffer, about 0.3 µs more per message on {@code unixpacket}). For a listener or server, it
   * applies to every connection accepted.
   *
   * <p>On, it also picks a provider that can pass descriptors ({@link
   * Capability#FILE_DESCRIPTORS}): junixsocket for a {@code unix} path, which the JDK's provider
   * serves by default (peer credentials then carry uid, gids and pid rather than user and group
   * names, see {@link PeerCredentials}). Where none can ({@code tcp}, {@code udp}, {@code
   * unixgram}), connecting, listening or binding fails with {@link TransportUnavailableException}.
   * Sending descriptors needs only such a provider, not this option: over a {@code unix} path,
   * {@link #PROVIDER} {@code junixsocket}. Default: false.
   */
  public static final IpcOption<Boolean> RECEIVE_DESCRIPTORS =
      IpcOption.of("receiveDescriptors", Boolean.class, false, b -> true, "true or false");

  /**
   * The name of the transport provider to use, overriding the automatic choice (see {@link
   * Ipc#providers()}). Empty means automatic. Default: empty.
   */
  public static final IpcOption<String> PROVIDER =
      IpcOption.of("provider", String.class, "", s -> s.equals(s.strip()), "a provider name");

  /**
   * The most connections an {@link IpcServer} serves at once; one more is accepted and closed at
   * once, and reported to the server's {@link IpcEventListener}. Default: 1024.
   */
  public static final IpcOption<Integer> MAX_CONNECTIONS =
      IpcOption.of("maxConnections", Integer.class, 1024, n -> n >= 1, ">= 1");

  /**
   * How long {@link IpcServer#close()} lets handlers finish before it closes their connections.
   * Default: 5 seconds.
   */
  public static final IpcOption<Duration> SHUTDOWN_GRACE =
      nonNegative("shutdownGrace", Duration.ofSeconds(5));

  /**
   * How long a datagram peer ({@code udp}, {@code unixgram}) of a message listener or {@link
   * IpcServer} may stay silent before its conversation ends ({@code receive()} returns null).
   * Datagrams have no connection to close, so this is how a server forgets peers. Zero means never.
   * Default: 60 seconds.
   */
  public static final IpcOption<Duration> SESSION_IDLE_TIMEOUT =
      nonNegative("sessionIdleTimeout", Duration.ofSeconds(60));

  /**
   * Whether an {@link IpcServer} runs connections on virtual threads when the JVM has them (Java 21
   * and later) and the transport supports them ({@link Capability#VIRTUAL_THREADS}), once its
   * {@link #PLATFORM_THREADS} are taken. Platform threads are used otherwise. Default: true.
   */
  public static final IpcOption<Boolean> VIRTUAL_THREADS =
      IpcOption.of("virtualThreads", Boolean.class, true, b -> true, "true or false");

  /**
   * How many of an {@link IpcServer}'s connections run on platform threads at a time even where
   * {@link #VIRTUAL_THREADS} are in effect; later connections run on virtual threads until one of
   * these closes. A read blocked on a platform thread is woken by the kernel directly; a virtual
   * thread is woken through the JDK's poller and scheduler, which on a busy machine doubles a small
   * request's round trip (measured on Java 25 with both processes on one CPU: 18 µs instead of 9).
   * A few platform threads cost little memory and keep the common case (a handful of clients) as
   * fast as a hand-written thread-per-connection server; virtual threads let the same server hold
   * tens of thousands of idle connections. 0 puts every connection on a virtual thread. It is also
   * how many platform threads the server keeps waiting, for up to a minute, to serve new
   * connections without creating a thread. Default: 16.
   */
  public static final IpcOption<Integer> PLATFORM_THREADS =
      IpcOption.of("platformThreads", Integer.class, 16, n -> n >= 0, ">= 0");

  private static IpcOption<Duration> nonNegative(String name, Duration defaultValue) {
    return IpcOption.of(
        name,
        Duration.class,
        defaultValue,
        d -> !d.isNegative() && d.compareTo(LONGEST) <= 0,
        ">= 0s and at most " + LONGEST + " (about 292 years); 0 means no limit");
  }
}
