package io.ipc4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class EndpointTest {

  private static final int MAX = Endpoint.maxUnixPathBytes();
  private static final String FORM =
      "scheme:address such as tcp://127.0.0.1:7000 or unix:///run/app.sock";
  private static final String SCHEMES =
      "tcp, tcp4, tcp6, udp, udp4, udp6, unix, unixgram, unixpacket";
  private static final String HOST_RULE =
      "letters, digits and hyphens in dot-separated labels of 1 to 63 characters,"
          + " not starting or ending with a hyphen";
  private static final String IPV4_RULE = "four decimal numbers in [0, 255] without leading zeros";
  private static final String IPV6_RULE =
      "eight groups of 1 to 4 hex digits separated by ':', or fewer around one \"::\"";
  private static final String ZONE_RULE =
      "letters, digits, '.', '_', '~' or '-' after \"%25\", as in [fe80::1%25eth0]";
  private static final String ESCAPE_RULE =
      "'%' followed by two hex digits; write '%' itself as %25";
  private static final String INET_SCHEMES = "tcp, tcp4, tcp6, udp, udp4 or udp6";

  // ---------------------------------------------------------------------------------------------
  // Valid input and canonical form

  static Stream<Arguments> validInputs() {
    return Stream.of(
        // IPv4 and names
        arguments("tcp://127.0.0.1:7000", "tcp://127.0.0.1:7000"),
        arguments("TCP://127.0.0.1:7000", "tcp://127.0.0.1:7000"),
        arguments("tcp://0.0.0.0:0", "tcp://0.0.0.0:0"),
        arguments("tcp://255.255.255.255:65535", "tcp://255.255.255.255:65535"),
        arguments("tcp://localhost:00080", "tcp://localhost:80"),
        arguments("tcp://h:000065535", "tcp://h:65535"),
        arguments("tcp://Example.ORG:443", "tcp://example.org:443"),
        arguments("tcp://example.org.:443", "tcp://example.org:443"),
        arguments("tcp://a-b.c-9.x1:1", "tcp://a-b.c-9.x1:1"),
        arguments("tcp://1-2.3:1", "tcp://1-2.3:1"),
        arguments("tcp4://10.0.0.1:1", "tcp4://10.0.0.1:1"),
        arguments("tcp4://localhost:1", "tcp4://localhost:1"),
        arguments("tcp6://localhost:1", "tcp6://localhost:1"),
        arguments("udp://239.1.2.3:5000?interface=lo", "udp://239.1.2.3:5000?interface=lo"),
        arguments("UdP4://1.2.3.4:9", "udp4://1.2.3.4:9"),
        // IPv6
        arguments("tcp6://[::1]:1", "tcp6://[::1]:1"),
        arguments("udp6://[::1]:9", "udp6://[::1]:9"),
        arguments("tcp://[0:0:0:0:0:0:0:1]:7000", "tcp://[::1]:7000"),
        arguments("tcp://[::]:0", "tcp://[::]:0"),
        arguments("tcp://[0000:0000:0000:0000:0000:0000:0000:0000]:0", "tcp://[::]:0"),
        arguments("tcp://[2001:DB8::1]:1", "tcp://[2001:db8::1]:1"),
        arguments("tcp://[2001:0db8:0000:0000:0000:0000:0002:0001]:1", "tcp://[2001:db8::2:1]:1"),
        arguments("tcp://[2001:db8:0:1:1:1:1:1]:1", "tcp://[2001:db8:0:1:1:1:1:1]:1"),
        arguments("tcp://[2001:0:0:1:0:0:0:1]:1", "tcp://[2001:0:0:1::1]:1"),
        arguments("tcp://[2001:db8:0:0:1:0:0:1]:1", "tcp://[2001:db8::1:0:0:1]:1"),
        arguments("tcp://[1:2:3:4:5:6:7::]:1", "tcp://[1:2:3:4:5:6:7:0]:1"),
        arguments("tcp://[::2:3:4:5:6:7:8]:1", "tcp://[0:2:3:4:5:6:7:8]:1"),
        arguments("tcp://[1::]:1", "tcp://[1::]:1"),
        arguments("tcp://[1:0:0:0:0:0:0:0]:1", "tcp://[1::]:1"),
        arguments("tcp://[::ffff:1.2.3.4]:1", "tcp://[::ffff:1.2.3.4]:1"),
        arguments("tcp://[::FFFF:0102:0304]:1", "tcp://[::ffff:1.2.3.4]:1"),
        arguments("tcp://[::1.2.3.4]:1", "tcp://[::102:304]:1"),
        arguments("tcp://[64:ff9b::192.0.2.33]:1", "tcp://[64:ff9b::c000:221]:1"),
        arguments("tcp://[1:2:3:4:5:6:1.2.3.4]:1", "tcp://[1:2:3:4:5:6:102:304]:1"),
        arguments("tcp://[fe80::1%25eth0]:1", "tcp://[fe80::1%25eth0]:1"),
        arguments("tcp://[FE80:0::1%25en%30]:1", "tcp://[fe80::1%25en0]:1"),
        arguments("udp6://[fe80::1%253]:1", "udp6://[fe80::1%253]:1"),
        // parameters
        arguments("tcp://h:1?b=2&a=1", "tcp://h:1?a=1&b=2"),
        arguments("tcp://h:1?a=", "tcp://h:1?a="),
        arguments("tcp://h:1?K.e_y-1=v", "tcp://h:1?K.e_y-1=v"),
        arguments("tcp://h:1?v=a%26b%3Dc%2Bd", "tcp://h:1?v=a%26b%3Dc%2Bd"),
        arguments("tcp://h:1?v=a+b", "tcp://h:1?v=a%2Bb"),
        arguments("tcp://h:1?v=x=y", "tcp://h:1?v=x%3Dy"),
        arguments("tcp://h:1?v=%7e%41", "tcp://h:1?v=~A"),
        arguments("tcp://h:1?v=a b?c/d:e@f", "tcp://h:1?v=a%20b%3Fc/d:e@f"),
        arguments("tcp://h:1?v=\u00e9&w=%c3%a9", "tcp://h:1?v=%C3%A9&w=%C3%A9"),
        // unix paths
        arguments("unix:///run/app.sock", "unix:///run/app.sock"),
        arguments("unix:/run/app.sock", "unix:///run/app.sock"),
        arguments("UNIX:///run/app.sock", "unix:///run/app.sock"),
        arguments("unix:rel/app.sock", "unix:rel/app.sock"),
        arguments("unix:app.sock", "unix:app.sock"),
        arguments("unix:../x/./app.sock", "unix:../x/./app.sock"),
        arguments("unix:///a//b.sock", "unix:///a//b.sock"),
        arguments("unix:////tmp/a.sock", "unix:////tmp/a.sock"),
        arguments("unix:///tmp/my%20app.sock", "unix:///tmp/my%20app.sock"),
        arguments("unix:///tmp/my app.sock", "unix:///tmp/my%20app.sock"),
        arguments("unix:///tmp/%41%2f%7E.sock", "unix:///tmp/A/~.sock"),
        arguments("unix:///tmp/100%25.sock", "unix:///tmp/100%25.sock"),
        arguments("unix:///tmp/a%3Fb%23c.sock", "unix:///tmp/a%3Fb%23c.sock"),
        arguments("unix:///tmp/\u00fcn\u00ef.sock", "unix:///tmp/%C3%BCn%C3%AF.sock"),
        arguments("unix:///tmp/%e2%82%ac\uD83D\uDE00", "unix:///tmp/%E2%82%AC%F0%9F%98%80"),
        arguments("unix:///tmp/a%09b%7F", "unix:///tmp/a%09b%7F"),
        arguments("unix:///tmp/a!$&'()*+,;=:@b.sock", "unix:///tmp/a!$&'()*+,;=:@b.sock"),
        arguments("unix:///tmp/@a.sock", "unix:///tmp/@a.sock"),
        arguments("unix:%40rel.sock", "unix:%40rel.sock"),
        arguments("unix:%2Ftmp%2Fa.sock", "unix:///tmp/a.sock"),
        arguments("unixgram:///tmp/sensor.sock", "unixgram:///tmp/sensor.sock"),
        arguments("unixpacket:///tmp/ctl.sock", "unixpacket:///tmp/ctl.sock"),
        arguments(
            "unix:///tmp/a.sock?mode=0600&backlog=50", "unix:///tmp/a.sock?backlog=50&mode=0600"),
        // abstract and unnamed
        arguments("unix:@name", "unix:@name"),
        arguments("unix:@my%20name", "unix:@my%20name"),
        arguments("unix:@a%00b", "unix:@a%00b"),
        arguments("unix:@/x/@y", "unix:@/x/@y"),
        arguments("unixgram:@sensor", "unixgram:@sensor"),
        arguments("unixpacket:@ctl?x=1", "unixpacket:@ctl?x=1"),
        arguments("unix:", "unix:"),
        arguments("unixgram:", "unixgram:"),
        arguments("UnixPacket:", "unixpacket:"),
        arguments("unix:?a=b", "unix:?a=b"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("validInputs")
  void parsesToCanonicalForm(String input, String canonical) {
    Endpoint e = Endpoint.parse(input);
    assertEquals(canonical, e.toString());
    Endpoint again = Endpoint.parse(canonical);
    assertEquals(e, again);
    assertEquals(e.hashCode(), again.hashCode());
    assertEquals(canonical, again.toString());
  }

  @Test
  void exposesTheDecodedParts() {
    Endpoint v6 = Endpoint.parse("TCP://[FE80::0:1%25eth0]:0070?b=x%20y&a=");
    assertEquals("tcp", v6.scheme());
    assertEquals("fe80::1%eth0", v6.host());
    assertEquals(70, v6.port());
    assertEquals(List.of("a", "b"), List.copyOf(v6.parameters().keySet()));
    assertEquals(Map.of("a", "", "b", "x y"), v6.parameters());
    assertEquals(Optional.of("x y"), v6.parameter("b"));
    assertEquals(Optional.of(""), v6.parameter("a"));
    assertEquals(Optional.empty(), v6.parameter("B"));
    assertThrows(UnsupportedOperationException.class, () -> v6.parameters().put("c", "d"));
    assertThrows(NullPointerException.class, () -> v6.parameter(null));

    Endpoint path = Endpoint.parse("unix:/tmp/my%20app%2B.sock");
    assertEquals(Path.of("/tmp/my app+.sock"), path.path());
    assertEquals(Map.of(), path.parameters());
    assertFalse(path.isAbstract());
    assertFalse(path.isUnnamed());

    Endpoint relative = Endpoint.parse("unix:%40rel/a.sock");
    assertEquals(Path.of("@rel/a.sock"), relative.path());
    assertFalse(relative.isAbstract());

    Endpoint abstractName = Endpoint.parse("unixgram:@a%00b%20c");
    assertTrue(abstractName.isAbstract());
    assertEquals("a\0b c", abstractName.abstractName());
    assertFalse(abstractName.isUnnamed());

    Endpoint unnamed = Endpoint.parse("unixpacket:");
    assertTrue(unnamed.isUnnamed());
    assertFalse(unnamed.isAbstract());
    assertTrue(unnamed.isUnix());
  }

  @Test
  void equalityFollowsTheCanonicalForm() {
    Endpoint a = Endpoint.parse("TCP://LocalHost.:080?b=1&a=%32");
    Endpoint b = Endpoint.parse("tcp://localhost:80?a=2&b=1");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(b, Endpoint.parse("udp://localhost:80?a=2&b=1"));
    assertNotEquals(b, Endpoint.parse("tcp://localhost:80?a=2"));
    assertNotEquals(b, Endpoint.parse("tcp://127.0.0.1:80?a=2&b=1"));
    assertNotEquals(Endpoint.parse("unix:a.sock"), Endpoint.parse("unix:///a.sock"));
    assertNotEquals(Endpoint.parse("unix:@a.sock"), Endpoint.parse("unix:%40a.sock"));
    assertNotEquals(Endpoint.parse("unix:"), Endpoint.parse("unixgram:"));
    assertNotEquals(Endpoint.parse("unix:"), (Object) "unix:");
  }

  // ---------------------------------------------------------------------------------------------
  // Invalid input and messages

  static Stream<Arguments> invalidInputs() {
    String longPath = "/" + "p".repeat(119);
    String longName = "n".repeat(MAX + 1);
    String label64 = "a".repeat(64);
    String name254 = ("a".repeat(49) + ".").repeat(5) + "abcd";
    return Stream.of(
        // scheme and overall shape
        arguments(" ", "empty endpoint (expected: " + FORM + ")"),
        arguments(
            " tcp://h:1",
            "leading or trailing whitespace (expected: none; write a space in a path as %20):"
                + "  tcp://h:1"),
        arguments("127.0.0.1:7000", "missing scheme (expected: " + FORM + "): 127.0.0.1:7000"),
        arguments("localhost:7000", "missing scheme (expected: " + FORM + "): localhost:7000"),
        arguments("[::1]:7000", "missing scheme (expected: " + FORM + "): [::1]:7000"),
        arguments("/run/app.sock", "missing scheme (expected: " + FORM + "): /run/app.sock"),
        arguments("foo://x:1", "unknown scheme \"foo\" (expected: " + SCHEMES + "): foo://x:1"),
        arguments("tcp", "missing address (expected: tcp://host:port): tcp"),
        arguments("unixgram", "missing address (expected: unixgram:///path): unixgram"),
        arguments(
            "unix:///tmp/a#b",
            "fragment not allowed (expected: no '#'; write it as %23 in a path or value):"
                + " unix:///tmp/a#b"),
        // inet
        arguments("tcp://host:99999", "port out of range [0, 65535]: tcp://host:99999"),
        arguments("tcp://h:65536", "port out of range [0, 65535]: tcp://h:65536"),
        arguments(
            "tcp://h:100000000000000000000",
            "port out of range [0, 65535]: tcp://h:100000000000000000000"),
        arguments("tcp://127.0.0.1", "missing port (expected: host:port): tcp://127.0.0.1"),
        arguments("udp://h:", "missing port (expected: host:port): udp://h:"),
        arguments("tcp://[::1]", "missing port (expected: host:port): tcp://[::1]"),
        arguments(
            "tcp://h:7x",
            "invalid port \"7x\" (expected: a decimal number in [0, 65535]): tcp://h:7x"),
        arguments(
            "tcp://h:-1",
            "invalid port \"-1\" (expected: a decimal number in [0, 65535]): tcp://h:-1"),
        arguments("tcp://:7000", "missing host (expected: host:port): tcp://:7000"),
        arguments("tcp://", "missing host (expected: host:port): tcp://"),
        arguments(
            "tcp://::1:7000",
            "IPv6 address must be in brackets (expected: tcp://[::1]:port): tcp://::1:7000"),
        arguments(
            "UDP6://::1:7000",
            "IPv6 address must be in brackets (expected: udp6://[::1]:port): UDP6://::1:7000"),
        arguments(
            "tcp:127.0.0.1:7000", "missing \"//\" (expected: tcp://host:port): tcp:127.0.0.1:7000"),
        arguments(
            "tcp://h:1/x",
            "unexpected path \"/x\" (expected: nothing after host:port but ?parameters):"
                + " tcp://h:1/x"),
        arguments(
            "tcp://1.2.3:1",
            "invalid IPv4 address \"1.2.3\" (expected: " + IPV4_RULE + "): tcp://1.2.3:1"),
        arguments(
            "tcp://010.0.0.1:1",
            "invalid IPv4 address \"010.0.0.1\" (expected: " + IPV4_RULE + "): tcp://010.0.0.1:1"),
        arguments(
            "tcp://256.0.0.1:1",
            "invalid IPv4 address \"256.0.0.1\" (expected: " + IPV4_RULE + "): tcp://256.0.0.1:1"),
        arguments(
            "tcp://[1::2::3]:1",
            "invalid IPv6 address \"1::2::3\" (expected: " + IPV6_RULE + "): tcp://[1::2::3]:1"),
        arguments(
            "tcp://[1:2:3:4:5:6:7]:1",
            "invalid IPv6 address \"1:2:3:4:5:6:7\" (expected: "
                + IPV6_RULE
                + "): tcp://[1:2:3:4:5:6:7]:1"),
        arguments(
            "tcp://[12345::]:1",
            "invalid IPv6 address \"12345::\" (expected: " + IPV6_RULE + "): tcp://[12345::]:1"),
        arguments(
            "tcp://[:1::2]:1",
            "invalid IPv6 address \":1::2\" (expected: " + IPV6_RULE + "): tcp://[:1::2]:1"),
        arguments(
            "tcp://[1.2.3.4]:1",
            "invalid IPv6 address \"1.2.3.4\" (expected: " + IPV6_RULE + "): tcp://[1.2.3.4]:1"),
        arguments(
            "tcp://[fe80::1%eth0]:1",
            "invalid IPv6 zone \"%eth0\" (expected: " + ZONE_RULE + "): tcp://[fe80::1%eth0]:1"),
        arguments(
            "tcp://[fe80::1%25]:1",
            "invalid IPv6 zone \"%25\" (expected: " + ZONE_RULE + "): tcp://[fe80::1%25]:1"),
        arguments(
            "tcp://[::1:7000",
            "missing \"]\" after IPv6 address (expected: [address]:port): tcp://[::1:7000"),
        arguments(
            "tcp://[::1]x:1",
            "unexpected \"x:1\" after \"]\" (expected: [address]:port): tcp://[::1]x:1"),
        arguments(
            "tcp://a_b:1", "invalid host name \"a_b\" (expected: " + HOST_RULE + "): tcp://a_b:1"),
        arguments(
            "tcp://-a.b:1",
            "invalid host name \"-a.b\" (expected: " + HOST_RULE + "): tcp://-a.b:1"),
        arguments(
            "tcp://a..b:1",
            "invalid host name \"a..b\" (expected: " + HOST_RULE + "): tcp://a..b:1"),
        arguments(
            "tcp://" + label64 + ":1",
            "invalid host name \""
                + label64
                + "\" (expected: "
                + HOST_RULE
                + "): tcp://"
                + label64
                + ":1"),
        arguments(
            "tcp://" + name254 + ":1",
            "host name too long: 254 characters (expected: at most 253): tcp://" + name254 + ":1"),
        arguments(
            "tcp4://[::1]:1",
            "IPv6 address not allowed with scheme \"tcp4\" (expected: an IPv4 address or a host"
                + " name): tcp4://[::1]:1"),
        arguments(
            "udp6://127.0.0.1:1",
            "IPv4 address not allowed with scheme \"udp6\" (expected: an IPv6 address or a host"
                + " name): udp6://127.0.0.1:1"),
        // unix
        arguments(
            "unix://host/tmp/a.sock",
            "unexpected authority \"host\" (expected: unix:///absolute/path, unix:relative/path"
                + " or unix:@abstract): unix://host/tmp/a.sock"),
        arguments("unix://", "missing path (expected: unix:///path): unix://"),
        arguments(
            "unix:///",
            "unix socket path ends with \"/\" (expected: a socket file name after the last '/'):"
                + " unix:///"),
        arguments(
            "unixgram:rel/dir/",
            "unix socket path ends with \"/\" (expected: a socket file name after the last '/'):"
                + " unixgram:rel/dir/"),
        arguments("unix:@", "missing abstract name after \"@\" (expected: unix:@name): unix:@"),
        arguments(
            "unix:///tmp/a%2",
            "invalid percent escape \"%2\" (expected: " + ESCAPE_RULE + "): unix:///tmp/a%2"),
        arguments(
            "unix:///tmp/a%zz.sock",
            "invalid percent escape \"%zz\" (expected: "
                + ESCAPE_RULE
                + "): unix:///tmp/a%zz.sock"),
        arguments(
            "unix:///tmp/%FF.sock",
            "invalid UTF-8 in percent escapes (expected: percent-encoded UTF-8):"
                + " unix:///tmp/%FF.sock"),
        arguments(
            "unix:@%C3",
            "invalid UTF-8 in percent escapes (expected: percent-encoded UTF-8): unix:@%C3"),
        arguments(
            "unix:///tmp/\uD800.sock",
            "unpaired surrogate U+D800 (expected: well-formed UTF-16 text):"
                + " unix:///tmp/\uD800.sock"),
        arguments(
            "unix:///tmp/a%00b",
            "NUL character in unix socket path (expected: no %00 in a path; only abstract names"
                + " may contain NUL): unix:///tmp/a%00b"),
        arguments(
            "unix://" + longPath,
            "unix socket path too long: 120 bytes (expected: at most "
                + MAX
                + " bytes): unix://"
                + longPath),
        arguments(
            "unix:@" + longName,
            "abstract unix socket name too long: "
                + (MAX + 1)
                + " bytes (expected: at most "
                + MAX
                + " bytes): unix:@"
                + longName),
        // parameters
        arguments(
            "tcp://h:1?a=1&a=2",
            "duplicate parameter \"a\" (expected: each key at most once): tcp://h:1?a=1&a=2"),
        arguments(
            "tcp://h:1?a", "missing '=' in parameter \"a\" (expected: key=value): tcp://h:1?a"),
        arguments(
            "tcp://h:1?a=1&&b=2", "empty parameter (expected: key=value): tcp://h:1?a=1&&b=2"),
        arguments("unix:x?", "empty parameter (expected: key=value): unix:x?"),
        arguments(
            "tcp://h:1?a b=1",
            "invalid parameter name \"a b\" (expected: letters, digits, '.', '_' or '-' before"
                + " '='): tcp://h:1?a b=1"),
        arguments(
            "tcp://h:1?=1",
            "invalid parameter name \"\" (expected: letters, digits, '.', '_' or '-' before"
                + " '='): tcp://h:1?=1"),
        arguments(
            "tcp://h:1?a=%G0",
            "invalid percent escape \"%G0\" (expected: " + ESCAPE_RULE + "): tcp://h:1?a=%G0"),
        arguments(
            "tcp://h:1?a=1#f",
            "fragment not allowed (expected: no '#'; write it as %23 in a path or value):"
                + " tcp://h:1?a=1#f"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidInputs")
  void rejectsInvalidInputWithExactMessage(String input, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(input));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsNullWithNamedNullPointerException() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Endpoint.parse(null));
    assertEquals("text", e.getMessage());
  }

  @Test
  void limitsUnixPathsAndAbstractNamesToThePlatformLimitInUtf8Bytes() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      assertEquals(106, MAX);
    } else if (os.contains("mac") || os.contains("bsd")) {
      assertEquals(102, MAX);
    }
    // "\u00e9" takes two bytes: the path is MAX bytes long in MAX - 1 characters.
    String fits = "/" + "a".repeat(MAX - 3) + "\u00e9";
    assertEquals(Path.of(fits), Endpoint.parse("unix://" + fits).path());
    assertEquals(fits, Endpoint.unix(Path.of(fits)).path().toString());
    String tooLong = "/a" + fits.substring(1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("unix:" + tooLong));
    assertEquals(
        "unix socket path too long: "
            + (MAX + 1)
            + " bytes (expected: at most "
            + MAX
            + " bytes): unix:"
            + tooLong,
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Endpoint.unix(Path.of(tooLong)));
    assertEquals(
        "unix socket path too long: "
            + (MAX + 1)
            + " bytes (expected: at most "
            + MAX
            + " bytes): "
            + tooLong,
        e.getMessage());

    String name = "%00" + "n".repeat(MAX - 1);
    assertEquals(MAX, Endpoint.parse("unix:@" + name).abstractName().length());
    assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("unix:@n" + name));
  }

  // ---------------------------------------------------------------------------------------------
  // Randomized round trip

  private static final int[] CHARS = {
    'a', 'z', 'A', 'Z', '0', '9', '-', '.', '_', '~', ' ', '%', '?', '#', '&', '=', '+', '/', '@',
    ':', ';', '!', '$', '\'', '(', '*', ',', '\t', '\n', 0x7f, 0xa0, 0xe9, 0x2003, 0x20ac, 0x4e2d,
    0x1f600
  };
  private static final String[] ALL_SCHEMES = {
    "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix", "unixgram", "unixpacket"
  };

  @Test
  void randomEndpointsRoundTripThroughTheirCanonicalForm() {
    Random random = new Random(20240611L);
    for (int i = 0; i < 10_000; i++) {
      String scheme = ALL_SCHEMES[random.nextInt(ALL_SCHEMES.length)];
      StringBuilder input = new StringBuilder(randomCase(random, scheme)).append(':');
      StringBuilder expected = new StringBuilder(scheme).append(':');
      String expectedPath = null;
      String expectedAbstract = null;
      if (scheme.startsWith("tcp") || scheme.startsWith("udp")) {
        String expectedHost = randomHost(random, scheme, input.append("//"), expected.append("//"));
        int port = random.nextInt(65536);
        input.append(':').append("0".repeat(random.nextInt(3))).append(port);
        expected.append(':').append(port);
        Endpoint e = roundTrip(input, expected, random);
        assertEquals(expectedHost, e.host(), input::toString);
        assertEquals(port, e.port(), input::toString);
        continue;
      }
      switch (random.nextInt(4)) {
        case 0: // absolute path
          expectedPath = "/" + randomPathText(random, MAX - 1);
          if (random.nextBoolean() || expectedPath.startsWith("//")) {
            input.append("//");
          }
          input.append('/').append(randomlyEncoded(random, expectedPath.substring(1), ""));
          expected.append("//").append(canonical(expectedPath, false));
          break;
        case 1: // relative path
          do {
            expectedPath = randomPathText(random, MAX);
          } while (expectedPath.startsWith("/"));
          if (expectedPath.startsWith("@")) {
            input.append("%40").append(randomlyEncoded(random, expectedPath.substring(1), ""));
            expected.append("%40").append(canonical(expectedPath.substring(1), false));
          } else {
            input.append(randomlyEncoded(random, expectedPath, ""));
            expected.append(canonical(expectedPath, false));
          }
          break;
        case 2: // abstract
          expectedAbstract = randomText(random, 1, 20, true);
          while (expectedAbstract.getBytes(UTF_8).length > MAX) {
            expectedAbstract = expectedAbstract.substring(1);
          }
          input.append('@').append(randomlyEncoded(random, expectedAbstract, ""));
          expected.append('@').append(canonical(expectedAbstract, false));
          break;
        default: // unnamed
      }
      Endpoint e = roundTrip(input, expected, random);
      assertEquals(expectedAbstract != null, e.isAbstract(), input::toString);
      assertEquals(expectedPath == null && expectedAbstract == null, e.isUnnamed());
      if (expectedAbstract != null) {
        assertEquals(expectedAbstract, e.abstractName(), input::toString);
      }
      if (expectedPath != null && isAscii(expectedPath)) {
        assertEquals(Path.of(expectedPath), e.path(), input::toString);
      }
    }
  }

  @Test
  void arbitraryTextEitherRoundTripsOrFailsWithAMessageQuotingIt() {
    String[] prefixes = {"", "tcp://", "udp6://[", "tcp://[fe80::", "tcp://h:", "unix:", "unix://"};
    String[] fragments = {
      "tcp", "UDP6", "unixgram", ":", "//", "/", "[", "]", "%", "%25", "%2", "%C3", "%00", "@", "?",
      "&", "=", "#", "0", "1", "255", "99999", "::", ".", "a", "-", "ffff", " ", "\u00e9", "\uD800"
    };
    Random random = new Random(7);
    int parsed = 0;
    for (int i = 0; i < 5_000; i++) {
      StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      for (int n = random.nextInt(10); n > 0; n--) {
        b.append(fragments[random.nextInt(fragments.length)]);
      }
      String text = b.toString();
      Endpoint e;
      try {
        e = Endpoint.parse(text);
      } catch (IllegalArgumentException x) {
        assertTrue(
            x.getMessage().endsWith("): " + text)
                || x.getMessage().endsWith("]: " + text)
                || x.getMessage().startsWith("empty endpoint"),
            x::getMessage);
        continue;
      }
      parsed++;
      assertEquals(e, Endpoint.parse(e.toString()), text);
      assertEquals(e.toString(), Endpoint.parse(e.toString()).toString(), text);
    }
    assertTrue(parsed > 200, "too few valid inputs: " + parsed);
  }

  /** Appends random parameters, parses, and checks the result against {@code expected}. */
  private static Endpoint roundTrip(StringBuilder input, StringBuilder expected, Random random) {
    SortedMap<String, String> parameters = new TreeMap<>();
    int count = random.nextInt(4) == 0 ? random.nextInt(4) + 1 : 0;
    for (int i = 0; i < count; i++) {
      String key = randomKey(random);
      String value = randomText(random, 0, 8, true);
      if (parameters.putIfAbsent(key, value) == null) {
        input.append(parameters.size() == 1 ? '?' : '&').append(key).append('=');
        input.append(randomlyEncoded(random, value, "&"));
      }
    }
    String separator = "?";
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      expected.append(separator).append(p.getKey()).append('=');
      expected.append(canonical(p.getValue(), true));
      separator = "&";
    }
    Endpoint e = Endpoint.parse(input.toString());
    assertEquals(expected.toString(), e.toString(), input::toString);
    assertEquals(parameters, e.parameters(), input::toString);
    Endpoint again = Endpoint.parse(e.toString());
    assertEquals(e, again, input::toString);
    assertEquals(e.hashCode(), again.hashCode(), input::toString);
    assertEquals(e.toString(), again.toString(), input::toString);
    return e;
  }

  /** Appends a random host to input and its canonical form to expected; returns host(). */
  private static String randomHost(
      Random random, String scheme, StringBuilder input, StringBuilder expected) {
    int type = random.nextInt(3);
    if (scheme.endsWith("4") && type == 2) {
      type = 0;
    } else if (scheme.endsWith("6") && type == 0) {
      type = 2;
    }
    if (type == 0) {
      String v4 = randomIpv4(random);
      input.append(v4);
      expected.append(v4);
      return v4;
    }
    if (type == 1) {
      StringBuilder name = new StringBuilder();
      int labels = random.nextInt(4) + 1;
      for (int i = 0; i < labels; i++) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
        int length = random.nextInt(10) + 1;
        name.append(i == 0 ? "" : ".").append((char) ('a' + random.nextInt(26)));
        for (int j = 1; j < length; j++) {
          name.append(alphabet.charAt(random.nextInt(j == length - 1 ? 62 : 63)));
        }
      }
      input.append(name).append(random.nextInt(4) == 0 ? "." : "");
      String host = name.toString().toLowerCase(Locale.ROOT);
      expected.append(host);
      return host;
    }
    int[] groups = new int[8];
    boolean mapped = random.nextInt(8) == 0;
    for (int i = 0; i < 8; i++) {
      int r = random.nextInt(4);
      groups[i] = r < 2 ? 0 : r == 2 ? random.nextInt(16) : random.nextInt(65536);
    }
    if (mapped) {
      for (int i = 0; i < 5; i++) {
        groups[i] = 0;
      }
      groups[5] = 0xffff;
    }
    String zone = random.nextInt(5) == 0 ? randomZone(random) : null;
    input.append('[').append(randomIpv6Text(random, groups));
    if (zone != null) {
      // Percent-encode one zone character now and then: RFC 6874 allows it.
      input
          .append("%25")
          .append(random.nextBoolean() ? zone : "%" + hex(zone.charAt(0)) + zone.substring(1));
    }
    input.append(']');
    String host = rfc5952(groups) + (zone == null ? "" : "%" + zone);
    expected.append('[').append(host.replace("%", "%25")).append(']');
    return host;
  }

  private static String randomIpv4(Random random) {
    return random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256);
  }

  private static String randomZone(Random random) {
    String alphabet = "abcxyzABC019._~-";
    StringBuilder zone = new StringBuilder();
    int length = random.nextInt(6) + 1;
    for (int i = 0; i < length; i++) {
      zone.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return zone.toString();
  }

  /** Writes groups in a random valid RFC 4291 form: case, leading zeros, "::", dotted tail. */
  private static String randomIpv6Text(Random random, int[] groups) {
    boolean dotted = random.nextInt(4) == 0;
    int hexGroups = dotted ? 6 : 8;
    String[] tokens = new String[hexGroups + (dotted ? 1 : 0)];
    for (int i = 0; i < hexGroups; i++) {
      String t = "0".repeat(random.nextInt(2)) + Integer.toHexString(groups[i]);
      t = t.length() > 4 ? t.substring(t.length() - 4) : t;
      tokens[i] = random.nextBoolean() ? t.toUpperCase(Locale.ROOT) : t;
    }
    if (dotted) {
      tokens[6] =
          (groups[6] >> 8)
              + "."
              + (groups[6] & 0xff)
              + "."
              + (groups[7] >> 8)
              + "."
              + (groups[7] & 0xff);
    }
    // Compress a random run of zero groups (any length >= 1) among the hex groups, or none.
    int start = -1;
    int end = -1;
    if (random.nextBoolean()) {
      int first = random.nextInt(hexGroups);
      if (groups[first] == 0) {
        start = first;
        end = first + 1;
        while (end < hexGroups && groups[end] == 0 && random.nextInt(4) != 0) {
          end++;
        }
      }
    }
    if (start < 0) {
      return String.join(":", tokens);
    }
    return String.join(":", List.of(tokens).subList(0, start))
        + "::"
        + String.join(":", List.of(tokens).subList(end, tokens.length));
  }

  private static final Pattern ZERO_RUN = Pattern.compile("(:0)+:");

  /** RFC 5952 text, computed differently from the implementation: with a regular expression. */
  private static String rfc5952(int[] g) {
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return "::ffff:"
          + (g[6] >> 8)
          + "."
          + (g[6] & 0xff)
          + "."
          + (g[7] >> 8)
          + "."
          + (g[7] & 0xff);
    }
    StringBuilder full = new StringBuilder(":");
    for (int x : g) {
      full.append(Integer.toHexString(x)).append(':');
    }
    Matcher m = ZERO_RUN.matcher(full);
    int bestStart = -1;
    int bestEnd = -1;
    while (m.find()) {
      if (m.end() - m.start() > Math.max(bestEnd - bestStart, 4)) {
        bestStart = m.start();
        bestEnd = m.end();
      }
    }
    String s = bestStart < 0 ? full.toString() : full.replace(bestStart, bestEnd, "::").toString();
    if (!s.startsWith("::")) {
      s = s.substring(1);
    }
    if (!s.endsWith("::")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String randomKey(Random random) {
    String alphabet = "abcXYZ019._-";
    StringBuilder key = new StringBuilder();
    int length = random.nextInt(3) + 1;
    for (int i = 0; i < length; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  /** A non-empty path text without NUL, not ending with '/', of at most maxBytes in UTF-8. */
  private static String randomPathText(Random random, int maxBytes) {
    while (true) {
      String s = randomText(random, 1, 24, false);
      if (!s.endsWith("/") && s.getBytes(UTF_8).length <= maxBytes) {
        return s;
      }
    }
  }

  private static String randomText(Random random, int min, int max, boolean nul) {
    StringBuilder s = new StringBuilder();
    int length = min + random.nextInt(max - min + 1);
    for (int i = 0; i < length; i++) {
      s.appendCodePoint(nul && random.nextInt(30) == 0 ? 0 : CHARS[random.nextInt(CHARS.length)]);
    }
    return s.toString();
  }

  private static String randomCase(Random random, String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(random.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }

  /**
   * Percent-encodes what must be encoded (the delimiters '%', '?', '#', whitespace, and extra) and,
   * at random, any other character, with hex digits in random case.
   */
  private static String randomlyEncoded(Random random, String s, String extra) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
      int cp = s.codePointAt(i);
      boolean must =
          cp == '%'
              || cp == '?'
              || cp == '#'
              || Character.isWhitespace(cp)
              || extra.indexOf(cp) >= 0;
      if (must || random.nextInt(3) == 0) {
        for (byte x : new String(Character.toChars(cp)).getBytes(UTF_8)) {
          String h = hex(x & 0xff);
          b.append('%').append(random.nextBoolean() ? h : h.toLowerCase(Locale.ROOT));
        }
      } else {
        b.appendCodePoint(cp);
      }
    }
    return b.toString();
  }

  /** The canonical percent-encoding, written independently of the implementation. */
  private static String canonical(String s, boolean value) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(UTF_8)) {
      int c = x & 0xff;
      boolean safe =
          c < 0x80
              && (Character.isLetterOrDigit(c)
                  || "-._~!$'()*,;:@/".indexOf(c) >= 0
                  || (!value && "&=+".indexOf(c) >= 0));
      b.append(safe ? String.valueOf((char) c) : "%" + hex(c));
    }
    return b.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String hex(int b) {
    return ""
        + Character.toUpperCase(Character.forDigit(b >> 4, 16))
        + Character.toUpperCase(Character.forDigit(b & 0xf, 16));
  }

  // ---------------------------------------------------------------------------------------------
  // Factories, conversion and derived endpoints

  @Test
  void convertsInetLiteralsWithoutLookup() throws Exception {
    SocketAddress v4 = Endpoint.parse("tcp://127.0.0.1:7000").toSocketAddress();
    assertEquals(
        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 7000), v4);
    assertTrue(((InetSocketAddress) v4).getAddress() instanceof Inet4Address);

    InetSocketAddress v6 = (InetSocketAddress) Endpoint.parse("udp6://[::1]:9").toSocketAddress();
    assertFalse(v6.isUnresolved());
    assertTrue(v6.getAddress() instanceof Inet6Address);
    assertTrue(v6.getAddress().isLoopbackAddress());
    assertEquals(9, v6.getPort());

    InetSocketAddress scoped =
        (InetSocketAddress) Endpoint.parse("tcp://[fe80::1%253]:1").toSocketAddress();
    assertEquals(3, ((Inet6Address) scoped.getAddress()).getScopeId());

    InetSocketAddress mapped =
        (InetSocketAddress) Endpoint.parse("tcp://[::ffff:10.1.2.3]:5").toSocketAddress();
    assertEquals(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), mapped.getAddress());
  }

  /**
   * Under tcp6 and udp6 an IPv4-mapped literal stays IPv6: those schemes refuse IPv4 addresses, and
   * a dual-stack server names its IPv4 peers so.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tcp6://[::ffff:10.1.2.3]:5", "udp6://[::ffff:127.0.0.1]:9"})
  void keepsAnIpv4MappedLiteralIpv6UnderTheIpv6Schemes(String text) {
    Endpoint e = Endpoint.parse(text);
    InetSocketAddress address = (InetSocketAddress) e.toSocketAddress();
    assertTrue(address.getAddress() instanceof Inet6Address, address.toString());
    assertEquals(e, Endpoint.of(e.scheme(), address), "back to the same endpoint");
  }

  @Test
  void convertsNamesToInetSocketAddressWithTheName() {
    InetSocketAddress a = (InetSocketAddress) Endpoint.tcp("LocalHost", 80).toSocketAddress();
    assertEquals("localhost", a.getHostString());
    assertEquals(80, a.getPort());
  }

  @Test
  void createsEndpointsFromInetSocketAddresses() throws Exception {
    InetAddress loopback4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    InetAddress any6 = InetAddress.getByAddress(new byte[16]);
    assertEquals(
        "tcp://127.0.0.1:7000",
        Endpoint.of("tcp", new InetSocketAddress(loopback4, 7000)).toString());
    assertEquals("udp6://[::]:9", Endpoint.of("UDP6", new InetSocketAddress(any6, 9)).toString());
    assertEquals(
        "tcp://example.org:443",
        Endpoint.of("tcp", InetSocketAddress.createUnresolved("Example.ORG", 443)).toString());
    assertEquals(
        "tcp6://[::1]:443",
        Endpoint.of("tcp6", InetSocketAddress.createUnresolved("0::1", 443)).toString());
    byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
    Inet6Address scoped = Inet6Address.getByAddress(null, linkLocal, 5);
    Endpoint e = Endpoint.of("udp", new InetSocketAddress(scoped, 1));
    assertEquals("udp://[fe80::1%255]:1", e.toString());
    assertEquals("fe80::1%5", e.host());
    assertEquals(new InetSocketAddress(scoped, 1), e.toSocketAddress());

    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.of("tcp4", v6));
    assertEquals(
        "IPv6 address not allowed with scheme \"tcp4\" (expected: an IPv4 address or a host"
            + " name): "
            + v6,
        bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> Endpoint.of("unix", v6));
    assertEquals(
        "inet address for scheme \"unix\" (expected: a java.net.UnixDomainSocketAddress): " + v6,
        bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> Endpoint.of("sctp", v6));
    assertEquals("unknown scheme \"sctp\" (expected: " + SCHEMES + "): sctp", bad.getMessage());
    InetSocketAddress badName = InetSocketAddress.createUnresolved("a_b", 1);
    bad = assertThrows(IllegalArgumentException.class, () -> Endpoint.of("tcp", badName));
    assertEquals("invalid host name \"a_b\" (expected: " + HOST_RULE + "): a_b", bad.getMessage());
  }

  @Test
  void convertsUnixPathsBothWays() {
    Endpoint e = Endpoint.of("unixgram", UnixDomainSocketAddress.of("/run/app.sock"));
    assertEquals("unixgram:///run/app.sock", e.toString());
    assertEquals(UnixDomainSocketAddress.of("/run/app.sock"), e.toSocketAddress());
    assertEquals(
        "unix:rel/a%20b.sock",
        Endpoint.of("unix", UnixDomainSocketAddress.of("rel/a b.sock")).toString());
    assertEquals(
        UnixDomainSocketAddress.of("rel/a b.sock"),
        Endpoint.parse("unix:rel/a%20b.sock").toSocketAddress());

    Endpoint unnamed = Endpoint.of("unixpacket", UnixDomainSocketAddress.of(""));
    assertTrue(unnamed.isUnnamed());
    assertEquals("unixpacket:", unnamed.toString());

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Endpoint.of("udp", UnixDomainSocketAddress.of("/a.sock")));
    assertEquals(
        "unix address for scheme \"udp\" (expected: a java.net.InetSocketAddress): /a.sock",
        bad.getMessage());
    SocketAddress other =
        new SocketAddress() {
          private static final long serialVersionUID = 1L;

          @Override
          public String toString() {
            return "other";
          }
        };
    bad = assertThrows(IllegalArgumentException.class, () -> Endpoint.of("tcp", other));
    assertEquals(
        "unsupported socket address type "
            + other.getClass().getName()
            + " (expected: java.net.InetSocketAddress or java.net.UnixDomainSocketAddress): other",
        bad.getMessage());
  }

  @Test
  void refusesToConvertAbstractAndUnnamedAddresses() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> Endpoint.parse("unix:@name").toSocketAddress());
    assertEquals(
        "the JDK cannot represent an abstract unix socket address (expected: a path, or the"
            + " junixsocket transport for abstract names): unix:@name",
        e.getMessage());
    e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> Endpoint.parse("unixgram:").toSocketAddress());
    assertEquals(
        "the unnamed unix socket address cannot be bound or connected to (expected: a path):"
            + " unixgram:",
        e.getMessage());
  }

  @Test
  void tcpFactoryValidatesLikeParse() {
    assertEquals("tcp://localhost:80", Endpoint.tcp("LocalHost.", 80).toString());
    assertEquals("tcp://10.0.0.1:0", Endpoint.tcp("10.0.0.1", 0).toString());
    assertEquals("tcp://[::1]:1", Endpoint.tcp("::1", 1).toString());
    assertEquals("tcp://[::1]:1", Endpoint.tcp("[0:0::1]", 1).toString());
    Endpoint zoned = Endpoint.tcp("FE80::1%eth0", 1);
    assertEquals("tcp://[fe80::1%25eth0]:1", zoned.toString());
    assertEquals(zoned, Endpoint.tcp(zoned.host(), zoned.port()));

    assertTcpRejected("h", 65536, "port out of range [0, 65535]: 65536");
    assertTcpRejected("h", -1, "port out of range [0, 65535]: -1");
    assertTcpRejected("a_b", 1, "invalid host name \"a_b\" (expected: " + HOST_RULE + "): a_b");
    assertTcpRejected(
        "1.2.3", 1, "invalid IPv4 address \"1.2.3\" (expected: " + IPV4_RULE + "): 1.2.3");
    assertTcpRejected(
        "1::2::3", 1, "invalid IPv6 address \"1::2::3\" (expected: " + IPV6_RULE + "): 1::2::3");
    assertTcpRejected(
        "fe80::1%a b",
        1,
        "invalid IPv6 zone \"a b\" (expected: letters, digits, '.', '_', '~' or '-' after '%', as"
            + " in fe80::1%eth0): fe80::1%a b");
    assertTcpRejected(
        "", 1, "empty host (expected: a host name or an IP address such as 127.0.0.1)");
    assertThrows(NullPointerException.class, () -> Endpoint.tcp(null, 1));
  }

  private static void assertTcpRejected(String host, int port, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.tcp(host, port));
    assertEquals(message, e.getMessage());
  }

  @Test
  void unixFactoryKeepsThePathAsGiven() {
    assertEquals("unix:///run/app.sock", Endpoint.unix(Path.of("/run/app.sock")).toString());
    assertEquals("unix:rel/app.sock", Endpoint.unix(Path.of("rel/app.sock")).toString());
    Endpoint at = Endpoint.unix(Path.of("@x"));
    assertEquals("unix:%40x", at.toString());
    assertFalse(at.isAbstract());
    assertEquals(Path.of("@x"), at.path());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.unix(Path.of("")));
    assertEquals(
        "empty unix socket path (expected: a file name such as /run/app.sock)", e.getMessage());
    assertThrows(NullPointerException.class, () -> Endpoint.unix(null));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "tcp://h:1, STREAM, true",
    "tcp4://h:1, STREAM, true",
    "tcp6://h:1, STREAM, true",
    "udp://h:1, DATAGRAM, true",
    "udp4://h:1, DATAGRAM, true",
    "udp6://h:1, DATAGRAM, true",
    "unix:///a.sock, STREAM, false",
    "unixgram:@a, DATAGRAM, false",
    "unixpacket:, SEQPACKET, false"
  })
  void reportsKindAndFamilyPerScheme(String text, Endpoint.Kind kind, boolean inet) {
    Endpoint e = Endpoint.parse(text);
    assertEquals(kind, e.kind());
    assertEquals(inet, e.isInet());
    assertEquals(!inet, e.isUnix());
    assertEquals(text.substring(0, text.indexOf(':')), e.scheme());
  }

  @Test
  void accessorsOfTheWrongKindNameTheEndpoint() {
    Endpoint unix = Endpoint.parse("unix:///run/app.sock");
    assertIllegalState(
        () -> unix.host(),
        "not an inet endpoint (expected: " + INET_SCHEMES + " for host()): unix:///run/app.sock");
    assertIllegalState(
        () -> unix.port(),
        "not an inet endpoint (expected: " + INET_SCHEMES + " for port()): unix:///run/app.sock");
    assertIllegalState(
        () -> unix.withPort(1),
        "not an inet endpoint (expected: "
            + INET_SCHEMES
            + " for withPort(int)): unix:///run/app.sock");
    assertIllegalState(
        () -> unix.abstractName(),
        "not an abstract endpoint (expected: unix:@name for abstractName()): unix:///run/app.sock");
    String noPath =
        "no file system path in endpoint (expected: a unix endpoint such as unix:///run/app.sock"
            + " for path()): ";
    assertIllegalState(() -> Endpoint.parse("tcp://h:1").path(), noPath + "tcp://h:1");
    assertIllegalState(() -> Endpoint.parse("unix:@x").path(), noPath + "unix:@x");
    assertIllegalState(() -> Endpoint.parse("unixgram:").path(), noPath + "unixgram:");
    Endpoint tcp = Endpoint.parse("tcp://h:1");
    assertFalse(tcp.isAbstract());
    assertFalse(tcp.isUnnamed());
  }

  private static void assertIllegalState(Runnable call, String message) {
    IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void withPortKeepsEverythingElse() {
    Endpoint e = Endpoint.parse("udp6://[::1]:1?b=2&a=1");
    assertEquals("udp6://[::1]:0?a=1&b=2", e.withPort(0).toString());
    assertEquals("udp6://[::1]:65535?a=1&b=2", e.withPort(65535).toString());
    assertSame(e, e.withPort(1));
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> e.withPort(70000));
    assertEquals("port out of range [0, 65535]: 70000", bad.getMessage());
  }

  @Test
  void withSchemeStaysWithinTheFamily() {
    Endpoint tcp = Endpoint.parse("tcp://[::1]:7?x=1");
    assertEquals("udp://[::1]:7?x=1", tcp.withScheme("UDP").toString());
    assertEquals("tcp6://[::1]:7?x=1", tcp.withScheme("tcp6").toString());
    assertEquals("udp4://h:7", Endpoint.parse("tcp6://h:7").withScheme("udp4").toString());
    assertEquals("unixgram:@x", Endpoint.parse("unix:@x").withScheme("unixgram").toString());
    assertEquals(
        "unixpacket:///a.sock",
        Endpoint.parse("unix:///a.sock").withScheme("unixpacket").toString());
    assertEquals("unix:", Endpoint.parse("unixgram:").withScheme("unix").toString());
    assertSame(tcp, tcp.withScheme("tcp"));

    assertWithSchemeRejected(
        tcp,
        "tcp4",
        "IPv6 address not allowed with scheme \"tcp4\" (expected: an IPv4 address or a host"
            + " name): tcp://[::1]:7?x=1");
    assertWithSchemeRejected(
        Endpoint.parse("udp://1.2.3.4:5"),
        "Tcp6",
        "IPv4 address not allowed with scheme \"tcp6\" (expected: an IPv6 address or a host"
            + " name): udp://1.2.3.4:5");
    assertWithSchemeRejected(
        tcp,
        "unix",
        "cannot change the scheme of tcp://[::1]:7?x=1 to another address family (expected: "
            + INET_SCHEMES
            + "): unix");
    assertWithSchemeRejected(
        Endpoint.parse("unix:@x"),
        "udp",
        "cannot change the scheme of unix:@x to another address family (expected: unix, unixgram"
            + " or unixpacket): udp");
    assertWithSchemeRejected(
        tcp, "http", "unknown scheme \"http\" (expected: " + SCHEMES + "): http");
  }

  private static void assertWithSchemeRejected(Endpoint e, String scheme, String message) {
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> e.withScheme(scheme));
    assertEquals(message, bad.getMessage());
  }

  @Test
  void unixAbstractBuildsTheEndpointThatParsesFromItsCanonicalForm() {
    Endpoint e = Endpoint.unixAbstract("my app/1%");
    assertEquals("unix:@my%20app/1%25", e.toString());
    assertEquals(e, Endpoint.parse(e.toString()));
    assertEquals("my app/1%", e.abstractName());
    assertEquals("unixgram:@x", Endpoint.unixAbstract("x").withScheme("unixgram").toString());
  }

  /** parse() refuses these too: an unpaired surrogate has no UTF-8, and getBytes writes '?'. */
  @Test
  void unixAbstractRejectsAnUnpairedSurrogate() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.unixAbstract("a\uD800"));
    assertEquals(
        "unpaired surrogate U+D800 (expected: well-formed UTF-16 text): a\uD800", e.getMessage());
    assertEquals("\uD83D\uDE00", Endpoint.unixAbstract("\uD83D\uDE00").abstractName(), "a pair");
  }

  @Test
  void unixAbstractRejectsEmptyAndOverlongNames() {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.unixAbstract(""));
    assertEquals("empty abstract unix socket name (expected: unix:@name)", empty.getMessage());
    String longName = "n".repeat(Endpoint.maxUnixPathBytes() + 1);
    IllegalArgumentException tooLong =
        assertThrows(IllegalArgumentException.class, () -> Endpoint.unixAbstract(longName));
    assertEquals(
        "abstract unix socket name too long: "
            + (Endpoint.maxUnixPathBytes() + 1)
            + " bytes (expected: at most "
            + Endpoint.maxUnixPathBytes()
            + " bytes): "
            + longName,
        tooLong.getMessage());
  }
}
