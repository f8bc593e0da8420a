package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The front door without any transport on the class path: what a user sees then. */
@Timeout(10)
class IpcTest {
  @Test
  void findsNoProvidersWhenNoTransportIsOnTheClassPath() {
    assertTrue(Ipc.providers().isEmpty());
  }

  @Test
  void connectWithoutTransportsNamesEndpointAndSaysNothingWasFound() {
    TransportUnavailableException e =
        assertThrows(
            TransportUnavailableException.class, () -> Ipc.connect("tcp://127.0.0.1:7000"));
    assertEquals(
        "no available transport for tcp://127.0.0.1:7000"
            + " (found: no providers on the class path or module path)",
        e.getMessage());
    assertEquals("tcp", e.scheme());
  }

  @Test
  void rejectsDatagramEndpointForByteStreamNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ipc.connect("udp://127.0.0.1:9000"));
    assertEquals(
        "not a stream endpoint (expected: tcp, tcp4, tcp6 or unix; for messages use"
            + " Ipc.connectMessages): udp://127.0.0.1:9000",
        e.getMessage());
  }

  @Test
  void rejectsSeqpacketEndpointForByteStreamListener() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ipc.listen("unixpacket:///tmp/x.sock"));
    assertEquals(
        "not a stream endpoint (expected: tcp, tcp4, tcp6 or unix; for messages use"
            + " Ipc.listenMessages): unixpacket:///tmp/x.sock",
        e.getMessage());
  }

  @Test
  void rejectsMalformedEndpointBeforeLookingForTransports() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ipc.connect("tcp://host:99999"));
    assertEquals("port out of range [0, 65535]: tcp://host:99999", e.getMessage());
  }
}
