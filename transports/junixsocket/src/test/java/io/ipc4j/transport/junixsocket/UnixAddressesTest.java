package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Endpoint;
import java.nio.file.Path;
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
