package io.ipc4j;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The address of an inter-process communication endpoint: a scheme, a location and optional
 * parameters, written as one string for every transport.
 *
 * <pre>{@code
 * Endpoint server = Endpoint.parse("unix:///run/app.sock");
 * Endpoint group = Endpoint.parse("udp://[ff02::1:3]:5355?interface=eth0");
 * group.host();                  // "ff02::1:3"
 * group.parameter("interface");  // Optional[eth0]
 * Endpoint.parse("tcp://[2001:db8::1]:7000").withScheme("udp"); // udp://[2001:db8::1]:7000
 * Endpoint.tcp("LocalHost", 80); // tcp://localhost:80
 * }</pre>
 *
 * <h2>Grammar</h2>
 *
 * <p>Scheme names follow the network names of Go's {@code net} package. Schemes are
 * case-insensitive on input and always lowercase in {@link #toString()}.
 *
 * <table>
 *   <caption>Schemes</caption>
 *   <tr><th>scheme</th><th>{@link Kind}</th><th>location</th></tr>
 *   <tr><td>{@code tcp}, {@code tcp4}, {@code tcp6}</td><td>{@link Kind#STREAM STREAM}</td>
 *       <td>{@code //host:port}</td></tr>
 *   <tr><td>{@code udp}, {@code udp4}, {@code udp6}</td><td>{@link Kind#DATAGRAM DATAGRAM}</td>
 *       <td>{@code //host:port}</td></tr>
 *   <tr><td>{@code unix}</td><td>{@link Kind#STREAM STREAM}</td>
 *       <td>{@code ///abs/path}, {@code /abs/path}, {@code rel/path}, {@code @name}, empty
 *       </td></tr>
 *   <tr><td>{@code unixgram}</td><td>{@link Kind#DATAGRAM DATAGRAM}</td>
 *       <td>as {@code unix}</td></tr>
 *   <tr><td>{@code unixpacket}</td><td>{@link Kind#SEQPACKET SEQPACKET}</td>
 *       <td>as {@code unix}</td></tr>
 * </table>
 *
 * <ul>
 *   <li><b>Inet hosts</b> are DNS names (letters, digits and hyphens in dot-separated labels of 1
 *       to 63 characters, at most 253 characters; stored lowercase without a trailing dot), strict
 *       dotted-quad IPv4 literals ({@code 127.0.0.1}; no leading zeros, so {@code 010.0.0.1} is
 *       rejected) or bracketed IPv6 literals ({@code [::1]}, {@code [::ffff:10.0.0.1]}) with an
 *       optional RFC 6874 zone ({@code [fe80::1%25eth0]}). IPv6 literals are rewritten in RFC 5952
 *       form; IPv4-mapped addresses keep their dotted tail ({@code ::ffff:10.0.0.1}). The port is
 *       required and lies in [0, 65535]; 0 asks for an ephemeral port when binding. {@code tcp4}
 *       and {@code udp4} reject IPv6 literals, {@code tcp6} and {@code udp6} reject IPv4 literals;
 *       names are accepted by all.
 *   <li><b>Unix paths</b> are absolute ({@code unix:///run/app.sock}, also accepted as {@code
 *       unix:/run/app.sock}) or relative ({@code unix:run/app.sock}); {@code unix:@name} names a
 *       socket in the Linux abstract namespace and {@code unix:} is the unnamed address (the peer
 *       of an accepted connection from an unbound client). Paths and abstract names are
 *       percent-decoded as UTF-8 ({@code %20} is a space, {@code %00} a NUL, which only abstract
 *       names may contain). A path must not end with {@code /}, and neither a path nor an abstract
 *       name may exceed {@link #maxUnixPathBytes()} bytes in UTF-8. A non-empty authority ({@code
 *       unix://host/path}) is an error.
 *   <li><b>Parameters</b> follow a {@code ?}: {@code key=value} pairs separated by {@code &}. Keys
 *       consist of letters, digits, {@code .}, {@code _} and {@code -}; values are percent-decoded
 *       and may be empty; {@code +} is a plus sign, not a space. A key may appear only once.
 *       Parameters are transport hints (such as {@code interface=lo} for multicast); an endpoint
 *       only stores them.
 *   <li>A {@code #fragment} is an error. Leading and trailing whitespace is an error.
 * </ul>
 *
 * <p>Characters that need no encoding may be written raw on input, including spaces and non-ASCII
 * letters. The canonical form percent-encodes (with upper-case hex digits) every UTF-8 byte outside
 * {@code A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = : @ /}, and in parameter values also {@code &},
 * {@code =} and {@code +}. A relative path that starts with {@code @} is written {@code %40...} so
 * that it does not read as an abstract name.
 *
 * <h2>Values</h2>
 *
 * <p>Endpoints are immutable and safe to share between threads. {@link #toString()} returns the
 * canonical form, two endpoints are {@linkplain #equals(Object) equal} exactly when their canonical
 * forms are, and {@code Endpoint.parse(e.toString()).equals(e)} holds for every endpoint. Equality
 * is textual: {@code tcp://localhost:80} and {@code tcp://127.0.0.1:80} differ, and so do {@code
 * unix:///a/b} and {@code unix:///a//b}. Parsing never touches the network, the file system or the
 * network interfaces; only {@link #toSocketAddress()} may resolve names.
 *
 * <p>Malformed input is rejected with an {@link IllegalArgumentException} whose message states what
 * is wrong and what was expected, then quotes the input, for example {@code port out of range [0,
 * 65535]: tcp://host:99999}.
 */
public final class Endpoint {

  /** The communication semantics that a scheme provides. */
  public enum Kind {
    /**
     * A connected, ordered, reliable byte stream: {@code tcp}, {@code tcp4}, {@code tcp6}, {@code
     * unix}.
     */
    STREAM,
    /**
     * Individually addressed datagrams, each delivered whole or not at all: {@code udp}, {@code
     * udp4}, {@code udp6}, {@code unixgram}. Over UDP, datagrams may be lost, duplicated or
     * reordered.
     */
    DATAGRAM,
    /**
     * A connected, ordered, reliable sequence of messages whose boundaries are preserved ({@code
     * SOCK_SEQPACKET}): {@code unixpacket}.
     */
    SEQPACKET
  }

  private enum Scheme {
    TCP("tcp", Kind.STREAM, 0),
    TCP4("tcp4", Kind.STREAM, 4),
    TCP6("tcp6", Kind.STREAM, 6),
    UDP("udp", Kind.DATAGRAM, 0),
    UDP4("udp4", Kind.DATAGRAM, 4),
    UDP6("udp6", Kind.DATAGRAM, 6),
    UNIX("unix", Kind.STREAM, -1),
    UNIXGRAM("unixgram", Kind.DATAGRAM, -1),
    UNIXPACKET("unixpacket", Kind.SEQPACKET, -1);

    final String text;
    final Kind kind;

    /** 4 or 6 for a version-restricted inet scheme, 0 for either, -1 for unix. */
    final int ipVersion;

    Scheme(String text, Kind kind, int ipVersion) {
      this.text = text;
      this.kind = kind;
      this.ipVersion = ipVersion;
    }

    boolean inet() {
      return ipVersion >= 0;
    }

    /** Returns the scheme for ASCII text in any case, or null. */
    static Scheme lookup(String name) {
      if (!isSchemeSyntax(name)) {
        return null;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      for (Scheme s : values()) {
        if (s.text.equals(lower)) {
          return s;
        }
      }
      return null;
    }
  }

  private static final String FORM =
      "scheme:address such as tcp://127.0.0.1:7000 or unix:///run/app.sock";
  private static final String SCHEMES =
      "tcp, tcp4, tcp6, udp, udp4, udp6, unix, unixgram, unixpacket";
  private static final String INET_SCHEMES = "tcp, tcp4, tcp6, udp, udp4 or udp6";
  private static final String UNIX_SCHEMES = "unix, unixgram or unixpacket";
  private static final String HOST_NAME_RULE =
      "letters, digits and hyphens in dot-separated labels of 1 to 63 characters,"
          + " not starting or ending with a hyphen";
  private static final String ZONE_RULE =
      "letters, digits, '.', '_', '~' or '-' after \"%25\", as in [fe80::1%25eth0]";
  private static final String IPV6_RULE =
      "eight groups of 1 to 4 hex digits separated by ':', or fewer around one \"::\"";
  private static final int MAX_HOST_NAME_LENGTH = 253;
  private static final int MAX_UNIX_PATH_BYTES = computeMaxUnixPathBytes();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final SortedMap<String, String> NO_PARAMETERS = Collections.emptySortedMap();

  private final Scheme scheme;
  // Inet: canonical host (lowercase name, dotted quad or RFC 5952 text with "%zone"), the literal's
  // 4 or 16 address bytes (null for names) and the port; port is -1 for unix.
  private final String host;
  private final byte[] literal;
  private final int port;
  // Unix: at most one of these is set; neither means the unnamed address.
  private final String path;
  private final String abstractName;
  private final SortedMap<String, String> parameters;
  private final String canonical;

  private Endpoint(
      Scheme scheme,
      String host,
      byte[] literal,
      int port,
      String path,
      String abstractName,
      SortedMap<String, String> parameters) {
    this.scheme = scheme;
    this.host = host;
    this.literal = literal;
    this.port = port;
    this.path = path;
    this.abstractName = abstractName;
    this.parameters = parameters;
    this.canonical = format();
  }

  private static Endpoint inet(
      Scheme scheme, Host host, int port, SortedMap<String, String> params) {
    return new Endpoint(scheme, host.text, host.literal, port, null, null, params);
  }

  private static Endpoint unix(
      Scheme scheme, String path, String abstractName, SortedMap<String, String> params) {
    return new Endpoint(scheme, null, null, -1, path, abstractName, params);
  }

  // ---------------------------------------------------------------------------------------------
  // Factories

  /**
   * Parses an endpoint from its string form, as described in the {@linkplain Endpoint class
   * documentation}. Lenient inputs (upper-case schemes, {@code unix:/abs/path}, raw spaces or
   * non-ASCII characters in paths, non-canonical IPv6 text, leading zeros in the port) are
   * accepted; {@link #toString()} returns the canonical form. No name resolution or other I/O takes
   * place.
   *
   * @param text the endpoint, such as {@code tcp://127.0.0.1:7000} or {@code unix:///run/app.sock}
   * @return the endpoint
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is not a valid endpoint; the message says what
   *     is wrong and what was expected, and ends with the input
   */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("empty endpoint (expected: " + FORM + ")");
    }
    if (Character.isWhitespace(text.charAt(0))
        || Character.isWhitespace(text.charAt(text.length() - 1))) {
      throw bad("leading or trailing whitespace", "none; write a space in a path as %20", text);
    }
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    Scheme scheme = Scheme.lookup(name);
    if (scheme == null) {
      // "localhost:7000" has the syntax of a scheme, but is a host and a port.
      if (colon < 0 || !isSchemeSyntax(name) || isDigits(text, colon + 1, text.length())) {
        throw bad("missing scheme", FORM, text);
      }
      throw bad("unknown scheme \"" + name + "\"", SCHEMES, text);
    }
    if (colon < 0) {
      String form = scheme.inet() ? scheme.text + "://host:port" : scheme.text + ":///path";
      throw bad("missing address", form, text);
    }
    if (text.indexOf('#') >= 0) {
      throw bad("fragment not allowed", "no '#'; write it as %23 in a path or value", text);
    }
    int query = text.indexOf('?');
    int end = query < 0 ? text.length() : query;
    return scheme.inet()
        ? parseInet(scheme, text, colon + 1, end, query)
        : parseUnix(scheme, text, colon + 1, end, query);
  }

  /**
   * Returns the endpoint of a JDK socket address.
   *
   * <p>A resolved {@link InetSocketAddress} yields its IP address (not the host name it was
   * resolved from), with the interface name or scope id of an IPv6 address as its zone. An
   * unresolved one yields its host name, which must be valid as in {@link #tcp(String, int)}. A
   * {@link UnixDomainSocketAddress} yields its path; its empty path, which the JDK uses for the
   * unnamed address, yields the unnamed endpoint ({@code unix:}).
   *
   * @param scheme any scheme of the address's family, in any case, such as {@code "udp"} for an
   *     {@code InetSocketAddress} or {@code "unixgram"} for a {@code UnixDomainSocketAddress}
   * @param address an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
   * @return an endpoint without parameters
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the scheme is unknown, if it does not fit the type of the
   *     address, if a {@code tcp4}/{@code udp4} scheme meets an IPv6 address or a {@code
   *     tcp6}/{@code udp6} scheme an IPv4 address, if an unresolved host name is invalid, if a path
   *     is too long or ends with {@code /}, or if the address is of another type
   */
  public static Endpoint of(String scheme, SocketAddress address) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(address, "address");
    Scheme s = Scheme.lookup(scheme);
    if (s == null) {
      throw bad("unknown scheme \"" + scheme + "\"", SCHEMES, scheme);
    }
    if (address instanceof InetSocketAddress inet) {
      if (!s.inet()) {
        throw bad(
            "inet address for scheme \"" + s.text + "\"",
            "a java.net.UnixDomainSocketAddress",
            address.toString());
      }
      Host host =
          inet.isUnresolved()
              ? javaHost(inet.getHostString(), inet.getHostString())
              : Host.of(inet.getAddress());
      checkIpVersion(s, host, address.toString());
      return inet(s, host, inet.getPort(), NO_PARAMETERS);
    }
    if (address instanceof UnixDomainSocketAddress unix) {
      if (s.inet()) {
        throw bad(
            "unix address for scheme \"" + s.text + "\"",
            "a java.net.InetSocketAddress",
            address.toString());
      }
      String p = unix.getPath().toString();
      if (p.isEmpty()) {
        // The usual peer of a Unix server: one endpoint per scheme, not one per connection.
        return Unnamed.BY_SCHEME.get(s);
      }
      return unix(s, checkPath(p, p), null, NO_PARAMETERS);
    }
    throw bad(
        "unsupported socket address type " + address.getClass().getName(),
        "java.net.InetSocketAddress or java.net.UnixDomainSocketAddress",
        address.toString());
  }

  /**
   * Returns a {@code tcp} endpoint. The host is validated as by {@link #parse(String)}; IPv6
   * literals may be given with or without brackets, and a zone is written after a plain {@code %},
   * as {@link #host()} returns it: {@code tcp("fe80::1%eth0", 7000)}.
   *
   * @param host a DNS name, an IPv4 literal or an IPv6 literal
   * @param port a port in [0, 65535]; 0 asks for an ephemeral port when binding
   * @return the endpoint, such as {@code tcp://127.0.0.1:7000}
   * @throws NullPointerException if {@code host} is null
   * @throws IllegalArgumentException if the host is empty or invalid, or if the port is out of
   *     range
   */
  public static Endpoint tcp(String host, int port) {
    Objects.requireNonNull(host, "host");
    Host h = javaHost(host, host);
    return inet(Scheme.TCP, h, checkPort(port), NO_PARAMETERS);
  }

  /**
   * Returns a {@code unix} stream endpoint for a socket file. The path is kept as given, absolute
   * or relative; a relative path is resolved by the operating system against the working directory
   * of the process that binds or connects.
   *
   * @param path the socket file, on the default file system
   * @return the endpoint, such as {@code unix:///run/app.sock}
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if the path is empty, is on another file system, or is longer
   *     than {@link #maxUnixPathBytes()} bytes in UTF-8
   */
  public static Endpoint unix(Path path) {
    Objects.requireNonNull(path, "path");
    String p = path.toString();
    if (path.getFileSystem() != FileSystems.getDefault()) {
      throw bad("path on another file system", "a path on the default file system", p);
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException(
          "empty unix socket path (expected: a file name such as /run/app.sock)");
    }
    return unix(Scheme.UNIX, checkPath(p, p), null, NO_PARAMETERS);
  }

  /**
   * Returns the {@code unix} endpoint of a Linux abstract socket name, given without the leading
   * {@code @} or NUL, such as a name a transport reads back from the kernel. Use {@link
   * #withScheme} for {@code unixgram} or {@code unixpacket}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is empty, holds an unpaired surrogate (which
   *     has no UTF-8 form), or is longer than {@link #maxUnixPathBytes()} bytes in UTF-8
   */
  public static Endpoint unixAbstract(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty abstract unix socket name (expected: unix:@name)");
    }
    // As parse() does: an unpaired surrogate would be encoded as '?', another name.
    requireWellFormed(name, name);
    int bytes = utf8Length(name);
    if (bytes > MAX_UNIX_PATH_BYTES) {
      throw bad(
          "abstract unix socket name too long: " + bytes + " bytes",
          "at most " + MAX_UNIX_PATH_BYTES + " bytes",
          name);
    }
    return unix(Scheme.UNIX, null, name, NO_PARAMETERS);
  }

  /**
   * Returns the longest Unix socket path or abstract name, in bytes of UTF-8, that every transport
   * on this platform can bind and connect: 106 on Linux and 102 on macOS and the BSDs, two less
   * than {@code sockaddr_un.sun_path} (108 and 104 bytes), because the JDK's channels keep room for
   * a terminating NUL and refuse one byte more than the kernel would. Longer paths are rejected
   * when an endpoint is created, before any system call could fail on them.
   *
   * @return the limit in bytes
   */
  public static int maxUnixPathBytes() {
    return MAX_UNIX_PATH_BYTES;
  }

  // ---------------------------------------------------------------------------------------------
  // Accessors

  /**
   * Returns the scheme in lowercase: one of {@code tcp}, {@code tcp4}, {@code tcp6}, {@code udp},
   * {@code udp4}, {@code udp6}, {@code unix}, {@code unixgram} and {@code unixpacket}.
   *
   * @return the scheme
   */
  public String scheme() {
    return scheme.text;
  }

  /**
   * Returns the communication semantics of the scheme: {@link Kind#STREAM} for {@code tcp*} and
   * {@code unix}, {@link Kind#DATAGRAM} for {@code udp*} and {@code unixgram}, {@link
   * Kind#SEQPACKET} for {@code unixpacket}.
   *
   * @return the kind
   */
  public Kind kind() {
    return scheme.kind;
  }

  /**
   * Returns whether this is an internet endpoint ({@code tcp*} or {@code udp*}) with a {@link
   * #host()} and a {@link #port()}.
   *
   * @return true for {@code tcp}, {@code tcp4}, {@code tcp6}, {@code udp}, {@code udp4}, {@code
   *     udp6}
   */
  public boolean isInet() {
    return scheme.inet();
  }

  /**
   * Returns whether this is a Unix domain endpoint, which has either a {@link #path()}, an {@link
   * #abstractName()}, or {@linkplain #isUnnamed() no name}.
   *
   * @return true for {@code unix}, {@code unixgram}, {@code unixpacket}
   */
  public boolean isUnix() {
    return !scheme.inet();
  }

  /**
   * Returns the host of an internet endpoint: a lowercase DNS name without a trailing dot, a
   * dotted-quad IPv4 literal, or an IPv6 literal in RFC 5952 form without brackets, followed by
   * {@code %} and the zone if it has one ({@code fe80::1%eth0}).
   *
   * @return the host
   * @throws IllegalStateException if this is not an internet endpoint
   */
  public String host() {
    requireInet("host()");
    return host;
  }

  /**
   * Returns the port of an internet endpoint.
   *
   * @return the port in [0, 65535]; 0 stands for an ephemeral port
   * @throws IllegalStateException if this is not an internet endpoint
   */
  public int port() {
    requireInet("port()");
    return port;
  }

  /**
   * Returns the socket file of a Unix endpoint, absolute or relative as it was given.
   *
   * @return the path
   * @throws IllegalStateException if this endpoint has no file system path: an internet, abstract
   *     or unnamed endpoint
   * @throws java.nio.file.InvalidPathException if the path cannot be represented on this platform's
   *     default file system
   */
  public Path path() {
    if (path == null) {
      throw new IllegalStateException(
          "no file system path in endpoint (expected: a unix endpoint such as"
              + " unix:///run/app.sock for path()): "
              + canonical);
    }
    return Path.of(path);
  }

  /**
   * Returns whether this is a Unix endpoint in the Linux abstract namespace ({@code unix:@name}),
   * which has no file in the file system.
   *
   * @return true for an abstract endpoint
   */
  public boolean isAbstract() {
    return abstractName != null;
  }

  /**
   * Returns the name of an abstract Unix endpoint, without the {@code @} and percent-decoded; it
   * may contain any character, including NUL.
   *
   * @return the abstract name, never empty
   * @throws IllegalStateException if this is not an abstract endpoint
   */
  public String abstractName() {
    if (abstractName == null) {
      throw new IllegalStateException(
          "not an abstract endpoint (expected: unix:@name for abstractName()): " + canonical);
    }
    return abstractName;
  }

  /**
   * Returns whether this is the unnamed Unix address ({@code unix:}, {@code unixgram:} or {@code
   * unixpacket:}), which is what an accepted connection reports for a client that did not bind. It
   * can be neither bound nor connected to.
   *
   * @return true for the unnamed address
   */
  public boolean isUnnamed() {
    return isUnix() && path == null && abstractName == null;
  }

  /**
   * Returns the parameters, percent-decoded.
   *
   * @return an unmodifiable map sorted by key; empty if there are none
   */
  public Map<String, String> parameters() {
    return parameters;
  }

  /**
   * Returns the value of one parameter.
   *
   * @param key the parameter's key, case-sensitive
   * @return the percent-decoded value, possibly empty, or an empty optional if the key is absent
   * @throws NullPointerException if {@code key} is null
   */
  public Optional<String> parameter(String key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(parameters.get(key));
  }

  // ---------------------------------------------------------------------------------------------
  // Derived endpoints and conversion

  /**
   * Returns this internet endpoint with another port, keeping scheme, host and parameters.
   *
   * @param port a port in [0, 65535]
   * @return the endpoint with the port
   * @throws IllegalStateException if this is not an internet endpoint
   * @throws IllegalArgumentException if the port is out of range
   */
  public Endpoint withPort(int port) {
    requireInet("withPort(int)");
    checkPort(port);
    return port == this.port
        ? this
        : new Endpoint(scheme, host, literal, port, null, null, parameters);
  }

  /**
   * Returns this endpoint with another scheme of the same family, keeping location and parameters:
   * {@code tcp://h:1} becomes {@code udp://h:1}, {@code unix:@name} becomes {@code unixgram:@name}.
   *
   * @param scheme the new scheme, in any case
   * @return the endpoint with the scheme
   * @throws NullPointerException if {@code scheme} is null
   * @throws IllegalArgumentException if the scheme is unknown, is of the other family (inet versus
   *     unix), or is {@code tcp4}/{@code udp4} for an IPv6 literal or {@code tcp6}/{@code udp6} for
   *     an IPv4 literal
   */
  public Endpoint withScheme(String scheme) {
    Objects.requireNonNull(scheme, "scheme");
    Scheme s = Scheme.lookup(scheme);
    if (s == null) {
      throw bad("unknown scheme \"" + scheme + "\"", SCHEMES, scheme);
    }
    if (s.inet() != this.scheme.inet()) {
      throw bad(
          "cannot change the scheme of " + canonical + " to another address family",
          this.scheme.inet() ? INET_SCHEMES : UNIX_SCHEMES,
          scheme);
    }
    if (s == this.scheme) {
      return this;
    }
    if (s.inet()) {
      checkIpVersion(s, new Host(host, literal), canonical);
    }
    return new Endpoint(s, host, literal, port, path, abstractName, parameters);
  }

  /**
   * Returns the JDK socket address of this endpoint.
   *
   * <p>For an internet endpoint this is an {@link InetSocketAddress}. An IP literal is converted
   * without any lookup; an IPv4-mapped IPv6 literal becomes an IPv4 address, as in the JDK, except
   * under {@code tcp6} and {@code udp6}, where it stays an {@link Inet6Address} (the address such a
   * socket talks to an IPv4 peer by, and the one a dual-stack server names that peer by). A zone
   * that names a network interface is looked up and becomes its scope id; if there is no such
   * interface, the address is returned unresolved. A DNS name is resolved, as by {@link
   * InetSocketAddress#InetSocketAddress(String, int)}, which may block, and is returned unresolved
   * if that fails.
   *
   * <p>For a Unix endpoint with a path this is a {@link UnixDomainSocketAddress}.
   *
   * @return the socket address
   * @throws UnsupportedOperationException for an abstract endpoint, which the JDK cannot represent
   *     (the junixsocket transport can), or for the unnamed address, which cannot be bound or
   *     connected to
   * @throws java.nio.file.InvalidPathException if the path cannot be represented on this platform's
   *     default file system
   */
  public SocketAddress toSocketAddress() {
    if (scheme.inet()) {
      return inetSocketAddress();
    }
    if (path != null) {
      return UnixDomainSocketAddress.of(path);
    }
    if (abstractName != null) {
      throw new UnsupportedOperationException(
          "the JDK cannot represent an abstract unix socket address (expected: a path, or the"
              + " junixsocket transport for abstract names): "
              + canonical);
    }
    throw new UnsupportedOperationException(
        "the unnamed unix socket address cannot be bound or connected to (expected: a path): "
            + canonical);
  }

  private InetSocketAddress inetSocketAddress() {
    if (literal == null) {
      return new InetSocketAddress(host, port);
    }
    try {
      int percent = host.indexOf('%');
      if (percent < 0) {
        // Under tcp6 and udp6 an IPv4-mapped literal stays the IPv6 address it is there (which
        // InetAddress.getByAddress would turn into an IPv4 one, which those sockets refuse).
        return new InetSocketAddress(
            scheme.ipVersion == 6
                ? Inet6Address.getByAddress(null, literal, -1)
                : InetAddress.getByAddress(literal),
            port);
      }
      String zone = host.substring(percent + 1);
      if (isDigits(zone, 0, zone.length()) && zone.length() <= 9) {
        return new InetSocketAddress(
            Inet6Address.getByAddress(null, literal, Integer.parseInt(zone)), port);
      }
      // The index, not Inet6Address.getByAddress(String, byte[], NetworkInterface): that one
      // fails for an interface without an IPv6 address of the same scope.
      NetworkInterface nif = NetworkInterface.getByName(zone);
      if (nif != null && nif.getIndex() > 0) {
        return new InetSocketAddress(
            Inet6Address.getByAddress(null, literal, nif.getIndex()), port);
      }
    } catch (UnknownHostException | SocketException e) {
      // Fall through: unresolved, as the JDK does for a literal with an unknown zone.
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  // ---------------------------------------------------------------------------------------------
  // Object

  /**
   * Returns whether {@code o} is an endpoint with the same canonical form, which is to say the same
   * scheme, the same location and the same parameters.
   */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Endpoint other && canonical.equals(other.canonical));
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /**
   * Returns the canonical form, which {@link #parse(String)} turns back into an equal endpoint:
   * lowercase scheme, {@code //} before an absolute path, hosts and IPv6 literals as described for
   * {@link #host()}, the port without leading zeros, only necessary percent escapes, and parameters
   * sorted by key.
   */
  @Override
  public String toString() {
    return canonical;
  }

  private String format() {
    StringBuilder b = new StringBuilder(scheme.text).append(':');
    if (scheme.inet()) {
      b.append("//");
      if (literal != null && literal.length == 16) {
        int percent = host.indexOf('%');
        if (percent < 0) {
          b.append('[').append(host).append(']');
        } else {
          b.append('[')
              .append(host, 0, percent)
              .append("%25")
              .append(host, percent + 1, host.length())
              .append(']');
        }
      } else {
        b.append(host);
      }
      b.append(':').append(port);
    } else if (abstractName != null) {
      b.append('@');
      encode(b, abstractName, false);
    } else if (path != null) {
      if (path.startsWith("/")) {
        b.append("//");
      } else if (path.startsWith("@")) {
        b.append("%40");
      }
      encode(b, path.startsWith("@") ? path.substring(1) : path, false);
    }
    char separator = '?';
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      b.append(separator).append(p.getKey()).append('=');
      encode(b, p.getValue(), true);
      separator = '&';
    }
    return b.toString();
  }

  private void requireInet(String method) {
    if (!scheme.inet()) {
      throw new IllegalStateException(
          "not an inet endpoint (expected: " + INET_SCHEMES + " for " + method + "): " + canonical);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing: inet

  private static Endpoint parseInet(Scheme scheme, String text, int start, int end, int query) {
    String name = scheme.text;
    if (!text.startsWith("//", start)) {
      throw bad("missing \"//\"", name + "://host:port", text);
    }
    int from = start + 2;
    int slash = text.indexOf('/', from);
    int to = slash < 0 || slash > end ? end : slash;
    if (to < end) {
      throw bad(
          "unexpected path \"" + text.substring(to, end) + "\"",
          "nothing after host:port but ?parameters",
          text);
    }
    String authority = text.substring(from, to);
    Host host;
    String portText;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw bad("missing \"]\" after IPv6 address", "[address]:port", text);
      }
      host = bracketedIpv6(authority.substring(1, close), text);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ':') {
        throw bad("unexpected \"" + rest + "\" after \"]\"", "[address]:port", text);
      }
      portText = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = authority.indexOf(':');
      if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
        throw bad("IPv6 address must be in brackets", name + "://[::1]:port", text);
      }
      String hostText = colon < 0 ? authority : authority.substring(0, colon);
      if (hostText.isEmpty()) {
        throw bad("missing host", "host:port", text);
      }
      host = nameOrIpv4(hostText, text);
      portText = colon < 0 ? "" : authority.substring(colon + 1);
    }
    if (portText.isEmpty()) {
      throw bad("missing port", "host:port", text);
    }
    int port = parsePort(portText, text);
    checkIpVersion(scheme, host, text);
    return inet(scheme, host, port, parseParameters(text, query));
  }

  private static int parsePort(String s, String text) {
    if (!isDigits(s, 0, s.length())) {
      throw bad("invalid port \"" + s + "\"", "a decimal number in [0, 65535]", text);
    }
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    if (s.length() - i > 5 || Integer.parseInt(s.substring(i)) > 65535) {
      throw new IllegalArgumentException("port out of range [0, 65535]: " + text);
    }
    return Integer.parseInt(s.substring(i));
  }

  private static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range [0, 65535]: " + port);
    }
    return port;
  }

  private static void checkIpVersion(Scheme scheme, Host host, String value) {
    int version = host.literal == null ? 0 : host.literal.length == 4 ? 4 : 6;
    if (scheme.ipVersion == 4 && version == 6) {
      throw bad(
          "IPv6 address not allowed with scheme \"" + scheme.text + "\"",
          "an IPv4 address or a host name",
          value);
    }
    if (scheme.ipVersion == 6 && version == 4) {
      throw bad(
          "IPv4 address not allowed with scheme \"" + scheme.text + "\"",
          "an IPv6 address or a host name",
          value);
    }
  }

  /** A validated host: canonical text and, for literals, the address bytes. */
  /** The unnamed endpoint of each Unix scheme, made once this class is initialized. */
  private static final class Unnamed {
    static final Map<Scheme, Endpoint> BY_SCHEME = new EnumMap<>(Scheme.class);

    static {
      for (Scheme s : Scheme.values()) {
        if (!s.inet()) {
          BY_SCHEME.put(s, unix(s, null, null, NO_PARAMETERS));
        }
      }
    }
  }

  private static final class Host {
    final String text;
    final byte[] literal;

    Host(String text, byte[] literal) {
      this.text = text;
      this.literal = literal;
    }

    static Host of(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (address instanceof Inet4Address) {
        return new Host(formatIpv4(bytes, 0), bytes);
      }
      Inet6Address v6 = (Inet6Address) address;
      String zone = null;
      NetworkInterface nif = v6.getScopedInterface();
      if (nif != null && isZone(nif.getName())) {
        zone = nif.getName();
      } else if (v6.getScopeId() > 0) {
        zone = Integer.toString(v6.getScopeId());
      }
      return new Host(zone == null ? formatIpv6(bytes) : formatIpv6(bytes) + '%' + zone, bytes);
    }
  }

  /** Validates a host as the JDK writes it: IPv6 with optional brackets and a raw "%zone". */
  private static Host javaHost(String host, String value) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException(
          "empty host (expected: a host name or an IP address such as 127.0.0.1)");
    }
    String h = host;
    if (h.length() >= 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') < 0) {
      return nameOrIpv4(h, value);
    }
    int percent = h.indexOf('%');
    String address = percent < 0 ? h : h.substring(0, percent);
    byte[] bytes = parseIpv6(address);
    if (bytes == null) {
      throw bad("invalid IPv6 address \"" + address + "\"", IPV6_RULE, value);
    }
    if (percent < 0) {
      return new Host(formatIpv6(bytes), bytes);
    }
    String zone = h.substring(percent + 1);
    if (!isZone(zone)) {
      throw bad(
          "invalid IPv6 zone \"" + zone + "\"",
          "letters, digits, '.', '_', '~' or '-' after '%', as in fe80::1%eth0",
          value);
    }
    return new Host(formatIpv6(bytes) + '%' + zone, bytes);
  }

  /** Parses the text between '[' and ']' of a URI authority: an address and an RFC 6874 zone. */
  private static Host bracketedIpv6(String s, String text) {
    int percent = s.indexOf('%');
    String address = percent < 0 ? s : s.substring(0, percent);
    byte[] bytes = parseIpv6(address);
    if (bytes == null) {
      throw bad("invalid IPv6 address \"" + address + "\"", IPV6_RULE, text);
    }
    if (percent < 0) {
      return new Host(formatIpv6(bytes), bytes);
    }
    String zoneText = s.substring(percent);
    if (!zoneText.startsWith("%25") || zoneText.length() == 3) {
      throw bad("invalid IPv6 zone \"" + zoneText + "\"", ZONE_RULE, text);
    }
    String zone = decode(text, s, percent + 3, s.length());
    if (!isZone(zone)) {
      throw bad("invalid IPv6 zone \"" + zoneText + "\"", ZONE_RULE, text);
    }
    return new Host(formatIpv6(bytes) + '%' + zone, bytes);
  }

  private static boolean isZone(String zone) {
    if (zone.isEmpty()) {
      return false;
    }
    for (int i = 0; i < zone.length(); i++) {
      char c = zone.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '~' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static Host nameOrIpv4(String s, String value) {
    boolean digitsAndDots = true;
    for (int i = 0; i < s.length() && digitsAndDots; i++) {
      char c = s.charAt(i);
      digitsAndDots = (c >= '0' && c <= '9') || c == '.';
    }
    // All-numeric hosts are never names: the JDK would read "1.2.3" as 1.2.0.3 and "123" as
    // 0.0.0.123, so anything but a strict dotted quad is rejected.
    if (digitsAndDots) {
      byte[] bytes = parseIpv4(s);
      if (bytes == null) {
        throw bad(
            "invalid IPv4 address \"" + s + "\"",
            "four decimal numbers in [0, 255] without leading zeros",
            value);
      }
      return new Host(formatIpv4(bytes, 0), bytes);
    }
    String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (name.length() > MAX_HOST_NAME_LENGTH) {
      throw bad(
          "host name too long: " + name.length() + " characters",
          "at most " + MAX_HOST_NAME_LENGTH,
          value);
    }
    if (!isHostName(name)) {
      throw bad("invalid host name \"" + s + "\"", HOST_NAME_RULE, value);
    }
    return new Host(name.toLowerCase(Locale.ROOT), null);
  }

  private static boolean isHostName(String name) {
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      char c = i < name.length() ? name.charAt(i) : '.';
      if (c == '.') {
        int length = i - labelStart;
        if (length < 1
            || length > 63
            || name.charAt(labelStart) == '-'
            || name.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else if (!isAlphanumeric(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** Returns the 4 bytes of a strict dotted quad, or null. */
  private static byte[] parseIpv4(String s) {
    byte[] bytes = new byte[4];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i < s.length() && s.charAt(i) != '.') {
        char c = s.charAt(i);
        if (c < '0' || c > '9' || i - start >= 3) {
          return null;
        }
        continue;
      }
      int length = i - start;
      if (part == 4 || length == 0 || (length > 1 && s.charAt(start) == '0')) {
        return null;
      }
      int value = Integer.parseInt(s.substring(start, i));
      if (value > 255) {
        return null;
      }
      bytes[part++] = (byte) value;
      start = i + 1;
    }
    return part == 4 ? bytes : null;
  }

  /**
   * Returns the 16 bytes of an IPv6 address in RFC 4291 text form (full, "::"-compressed, or with a
   * trailing dotted quad), or null.
   */
  private static byte[] parseIpv6(String s) {
    int compression = s.indexOf("::");
    if (compression >= 0 && s.indexOf("::", compression + 1) >= 0) {
      return null;
    }
    int[] head;
    int[] tail;
    if (compression < 0) {
      head = ipv6Groups(s, true);
      tail = new int[0];
      if (head == null || head.length != 8) {
        return null;
      }
    } else {
      head = ipv6Groups(s.substring(0, compression), false);
      tail = ipv6Groups(s.substring(compression + 2), true);
      if (head == null || tail == null || head.length + tail.length > 7) {
        return null;
      }
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) {
      bytes[2 * i] = (byte) (head[i] >> 8);
      bytes[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tail.length; i++) {
      int g = 8 - tail.length + i;
      bytes[2 * g] = (byte) (tail[i] >> 8);
      bytes[2 * g + 1] = (byte) tail[i];
    }
    return bytes;
  }

  /** Returns the 16-bit groups of a ':'-separated part, a dotted quad counting as two; or null. */
  private static int[] ipv6Groups(String part, boolean last) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] tokens = part.split(":", -1);
    int[] groups = new int[tokens.length + 1];
    int n = 0;
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.indexOf('.') >= 0) {
        byte[] v4 = last && i == tokens.length - 1 ? parseIpv4(t) : null;
        if (v4 == null) {
          return null;
        }
        groups[n++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
        groups[n++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
        continue;
      }
      if (t.isEmpty() || t.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < t.length(); j++) {
        int digit = hexValue(t.charAt(j));
        if (digit < 0) {
          return null;
        }
        value = value << 4 | digit;
      }
      groups[n++] = value;
    }
    if (n > 8) {
      return null;
    }
    int[] result = new int[n];
    System.arraycopy(groups, 0, result, 0, n);
    return result;
  }

  private static String formatIpv4(byte[] b, int offset) {
    return (b[offset] & 0xff)
        + "."
        + (b[offset + 1] & 0xff)
        + "."
        + (b[offset + 2] & 0xff)
        + "."
        + (b[offset + 3] & 0xff);
  }

  /** Formats as RFC 5952 recommends, with a dotted tail for IPv4-mapped addresses (section 5). */
  private static String formatIpv6(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:" + formatIpv4(b, 12);
    }
    // The longest run of two or more zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing: unix and parameters

  private static Endpoint parseUnix(Scheme scheme, String text, int start, int end, int query) {
    String path = null;
    String abstractName = null;
    if (text.startsWith("//", start)) {
      int from = start + 2;
      int slash = text.indexOf('/', from);
      int to = slash < 0 || slash > end ? end : slash;
      if (to > from) {
        throw bad(
            "unexpected authority \"" + text.substring(from, to) + "\"",
            scheme.text
                + ":///absolute/path, "
                + scheme.text
                + ":relative/path or "
                + scheme.text
                + ":@abstract",
            text);
      }
      if (to == end) {
        throw bad("missing path", scheme.text + ":///path", text);
      }
      path = checkPath(decode(text, text, to, end), text);
    } else if (start < end && text.charAt(start) == '@') {
      if (start + 1 == end) {
        throw bad("missing abstract name after \"@\"", scheme.text + ":@name", text);
      }
      abstractName = decode(text, text, start + 1, end);
      int bytes = utf8Length(abstractName);
      if (bytes > MAX_UNIX_PATH_BYTES) {
        throw bad(
            "abstract unix socket name too long: " + bytes + " bytes",
            "at most " + MAX_UNIX_PATH_BYTES + " bytes",
            text);
      }
    } else if (start < end) {
      path = checkPath(decode(text, text, start, end), text);
    }
    return unix(scheme, path, abstractName, parseParameters(text, query));
  }

  private static String checkPath(String path, String value) {
    if (path.indexOf('\0') >= 0) {
      throw bad(
          "NUL character in unix socket path",
          "no %00 in a path; only abstract names may contain NUL",
          value);
    }
    if (path.endsWith("/")) {
      throw bad("unix socket path ends with \"/\"", "a socket file name after the last '/'", value);
    }
    int bytes = utf8Length(path);
    if (bytes > MAX_UNIX_PATH_BYTES) {
      throw bad(
          "unix socket path too long: " + bytes + " bytes",
          "at most " + MAX_UNIX_PATH_BYTES + " bytes",
          value);
    }
    return path;
  }

  private static SortedMap<String, String> parseParameters(String text, int query) {
    if (query < 0) {
      return NO_PARAMETERS;
    }
    SortedMap<String, String> parameters = new TreeMap<>();
    int from = query + 1;
    while (true) {
      int amp = text.indexOf('&', from);
      int to = amp < 0 ? text.length() : amp;
      if (to == from) {
        throw bad("empty parameter", "key=value", text);
      }
      int eq = text.indexOf('=', from);
      if (eq < 0 || eq > to) {
        throw bad(
            "missing '=' in parameter \"" + text.substring(from, to) + "\"", "key=value", text);
      }
      String key = text.substring(from, eq);
      if (!isParameterKey(key)) {
        throw bad(
            "invalid parameter name \"" + key + "\"",
            "letters, digits, '.', '_' or '-' before '='",
            text);
      }
      if (parameters.put(key, decode(text, text, eq + 1, to)) != null) {
        throw bad("duplicate parameter \"" + key + "\"", "each key at most once", text);
      }
      if (amp < 0) {
        return Collections.unmodifiableSortedMap(parameters);
      }
      from = amp + 1;
    }
  }

  private static boolean isParameterKey(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Percent-encoding

  /**
   * Percent-decodes {@code s[from, to)} as UTF-8. Raw characters stand for their own UTF-8
   * encoding; errors quote {@code text}.
   */
  private static String decode(String text, String s, int from, int to) {
    if (s.indexOf('%', from) < 0 || s.indexOf('%', from) >= to) {
      return requireWellFormed(s.substring(from, to), text);
    }
    ByteBuffer bytes = ByteBuffer.allocate(4 * (to - from));
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < to ? hexValue(s.charAt(i + 1)) : -1;
        int lo = i + 2 < to ? hexValue(s.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          throw bad(
              "invalid percent escape \"" + s.substring(i, Math.min(i + 3, to)) + "\"",
              "'%' followed by two hex digits; write '%' itself as %25",
              text);
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else {
        int next = i + 1;
        while (next < to && s.charAt(next) != '%') {
          next++;
        }
        bytes.put(requireWellFormed(s.substring(i, next), text).getBytes(StandardCharsets.UTF_8));
        i = next - 1;
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("invalid UTF-8 in percent escapes", "percent-encoded UTF-8", text);
    }
  }

  private static String requireWellFormed(String s, String text) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw bad(
            String.format("unpaired surrogate U+%04X", (int) c), "well-formed UTF-16 text", text);
      }
    }
    return s;
  }

  private static void encode(StringBuilder b, String s, boolean value) {
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (isAlphanumeric(c)
          || "-._~!$'()*,;:@/".indexOf(c) >= 0
          || (!value && (c == '&' || c == '=' || c == '+'))) {
        b.append(c);
      } else {
        b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static IllegalArgumentException bad(String what, String expected, String value) {
    return new IllegalArgumentException(what + " (expected: " + expected + "): " + value);
  }

  private static boolean isSchemeSyntax(String s) {
    if (s.isEmpty() || !isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlphanumeric(c) && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlphanumeric(char c) {
    return isLetter(c) || (c >= '0' && c <= '9');
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int computeMaxUnixPathBytes() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    // sun_path is 104 bytes on macOS and the BSDs and 108 elsewhere; JDK channels accept two less.
    if (os.contains("mac") || os.contains("darwin") || os.contains("bsd")) {
      return 102;
    }
    return 106;
  }
}
