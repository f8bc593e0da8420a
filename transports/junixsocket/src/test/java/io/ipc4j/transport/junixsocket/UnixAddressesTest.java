package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.Endpoint;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newsclub.net.unix.AFUNIXSocketAddress;

@Timeout(10)
class UnixAddressesTest {
  @Test
  void mapsMissingAndEmptyAddressesToUnnamedEndpoint() throws Exception {
    assertEquals(Endpoint.parse("unix:"), UnixAddresses.endpointOf("unix", null));
    assertTrue(UnixAddresses.endpointOf("unix", null).isUnnamed());
  }

  /** Hostile variant: every character the endpoint grammar reserves, a NUL and non-ASCII. */
  @Test
  void percentEncodesAbstractNamesThatNeedIt() throws Exception {
    String name = "a b?c#d%e/f@g\u0000h\u00e9\u4e2d";
    Endpoint e = UnixAddresses.endpointOf("unix", AFUNIXSocketAddress.inAbstractNamespace(name));
    assertTrue(e.isAbstract(), e.toString());
    assertEquals(name, e.abstractName());
    assertEquals(e, Endpoint.parse(e.toString()));
    byte[] bytes = UnixAddresses.of(e).getPathAsBytes();
    assertEquals(0, bytes[0], "abstract");
    assertEquals(name, new String(bytes, 1, bytes.length - 1, UTF_8), "back to the same address");
  }

  /**
   * A C client may bind an abstract name that is not UTF-8. Decoded leniently it would become
   * another name (U+FFFD, which is EF BF BD): replies would go there, and two such clients would be
   * one peer. No endpoint names it.
   */
  @Test
  void refusesAbstractNamesThatAreNotUtf8() throws Exception {
    AFUNIXSocketAddress address = AFUNIXSocketAddress.of(new byte[] {0, 'a', (byte) 0xff});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> UnixAddresses.endpointOf("unixgram", address));
    assertEquals("undecodable unix socket name (expected: valid UTF-8): 61ff", e.getMessage());
    assertEquals(Endpoint.parse("unix:"), UnixAddresses.peerOf("unix", address));
  }

  /**
   * Abstract names are UTF-8 whatever the default charset. junixsocket's inAbstractNamespace
   * encodes with the default charset, which on Java 17 under the C locale is US-ASCII: there {@code
   * unix:@é} and {@code unix:@è} were both bound as {@code "\0?"}. The check runs in a child JVM
   * with that locale (on Java 18 and later the default is UTF-8 whatever the locale).
   */
  @Test
  void encodesAbstractNamesAsUtf8UnderAnAsciiLocale() throws Exception {
    Path out = Files.createTempFile("ipc4j-charset", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  AddressBytesProbe.class.getName(),
                  "unix:@%C3%A9x")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      builder.environment().put("LC_ALL", "C");
      builder.environment().put("LANG", "C");
      Process child = builder.start();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        fail("the child JVM did not finish: " + Files.readString(out));
      }
      String output = Files.readString(out);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("bytes=00c3a978"), output);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Prints the default charset and the address bytes of the endpoint in its argument. */
  static final class AddressBytesProbe {
    public static void main(String[] args) throws Exception {
      byte[] bytes = UnixAddresses.of(Endpoint.parse(args[0])).getPathAsBytes();
      System.out.println(
          "charset=" + Charset.defaultCharset() + " bytes=" + HexFormat.of().formatHex(bytes));
    }
  }

  @Test
  void mapsPathsAsTheyAre() throws Exception {
    for (String path : new String[] {"/tmp/a b/%s.sock", "rel/s.sock", "@not-abstract.sock"}) {
      Endpoint e = UnixAddresses.endpointOf("unix", AFUNIXSocketAddress.of(Path.of(path)));
      assertEquals(Path.of(path), e.path(), e.toString());
      assertEquals(e, Endpoint.parse(e.toString()));
    }
  }

  /** junixsocket pads a sender's abstract name with NULs to the whole of sun_path. */
  @Test
  void cutsTheNulPaddingJunixsocketLeavesOnAbstractNames() throws Exception {
    byte[] padded = new byte[108];
    byte[] name = "peer\u0000x".getBytes(UTF_8);
    System.arraycopy(name, 0, padded, 1, name.length);
    Endpoint e = UnixAddresses.endpointOf("unixgram", AFUNIXSocketAddress.of(padded));
    assertEquals(Endpoint.unixAbstract("peer\u0000x").withScheme("unixgram"), e);
    assertTrue(
        UnixAddresses.endpointOf("unixgram", AFUNIXSocketAddress.of(new byte[108])).isUnnamed(),
        "nothing but NULs");
  }
}
