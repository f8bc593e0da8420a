package io.ipc4j.transport.junixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Capability;
import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.spi.TransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newsclub.net.unix.AFUNIXDatagramChannel;

@Timeout(30)
class JunixsocketTransportProviderTest {
  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();

  @Test
  void isFoundByServiceLoader() {
    List<TransportProvider> found = new ArrayList<>();
    ServiceLoader.load(TransportProvider.class).forEach(found::add);
    assertTrue(
        found.stream().anyMatch(p -> p instanceof JunixsocketTransportProvider), "found: " + found);
  }

  @Test
  void isListedByIpcProviders() {
    List<TransportProvider> named =
        Ipc.providers().stream()
            .filter(p -> p.name().equals("junixsocket"))
            .collect(Collectors.toList());
    assertEquals(1, named.size(), "providers: " + Ipc.providers());
    assertTrue(named.get(0) instanceof JunixsocketTransportProvider);
  }

  @Test
  void isAvailableWithNoCauseOnLinux() {
    assertTrue(provider.isAvailable(), () -> "cause: " + provider.unavailabilityCause());
    assertEquals(java.util.Optional.empty(), provider.unavailabilityCause());
  }

  @Test
  void servesUnixBelowTheJdkTransport() {
    assertEquals("junixsocket", provider.name());
    assertEquals(Set.of("unix", "unixgram", "unixpacket"), provider.schemes());
    assertEquals(-10, provider.priority());
    TransportProvider jdk =
        Ipc.providers().stream().filter(p -> p.name().equals("jdk")).findFirst().orElseThrow();
    assertTrue(provider.priority() < jdk.priority());
  }

  @Test
  void reportsCapabilitiesPerSchemeWithoutVirtualThreads() {
    assertEquals(
        EnumSet.of(
            Capability.RELIABLE,
            Capability.ORDERED,
            Capability.HALF_CLOSE,
            Capability.PEER_CREDENTIALS,
            Capability.PEER_PID,
            Capability.FILE_DESCRIPTORS,
            Capability.ABSTRACT_NAMESPACE,
            Capability.SOCKET_FILE_PERMISSIONS),
        provider.capabilities("unix"));
    assertEquals(
        EnumSet.of(
            Capability.RELIABLE,
            Capability.ORDERED,
            Capability.MESSAGE_BOUNDARIES,
            Capability.HALF_CLOSE,
            Capability.PEER_CREDENTIALS,
            Capability.PEER_PID,
            Capability.FILE_DESCRIPTORS,
            Capability.ABSTRACT_NAMESPACE,
            Capability.SOCKET_FILE_PERMISSIONS),
        provider.capabilities("unixpacket"));
    assertEquals(
        EnumSet.of(
            Capability.MESSAGE_BOUNDARIES,
            Capability.ABSTRACT_NAMESPACE,
            Capability.SOCKET_FILE_PERMISSIONS),
        provider.capabilities("unixgram"));
    assertEquals(Set.of(), provider.capabilities("tcp"));
    assertEquals(Set.of(), provider.capabilities("udp"));
  }

  /** The JDK transport serves neither: junixsocket is chosen without being forced. */
  @Test
  void servesUnixgramAndUnixpacketPathsAutomatically() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-jt-");
    try {
      try (DatagramEndpoint gram = Ipc.bind("unixgram://" + dir.resolve("g.sock"))) {
        assertTrue(gram.unwrap(AFUNIXDatagramChannel.class).isPresent(), "chose junixsocket");
      }
      try (Listener<MessageConnection> packets =
              Ipc.listenMessages("unixpacket://" + dir.resolve("p.sock"));
          MessageConnection client = Ipc.connectMessages(packets.endpoint());
          MessageConnection server = packets.accept()) {
        assertTrue(client.unwrap(AFUNIXDatagramChannel.class).isPresent(), "chose junixsocket");
        client.send(ByteBuffer.wrap(new byte[] {1, 2}));
        assertEquals(2, server.receive().remaining());
      }
    } finally {
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(), left.collect(Collectors.toList()), "socket files deleted");
      }
      Files.delete(dir);
    }
  }

  @Test
  void supportsPathsAndAbstractNamesButNotUnnamedEndpoints() {
    assertTrue(provider.supports(Endpoint.parse("unix:///tmp/app.sock")));
    assertTrue(provider.supports(Endpoint.parse("unix:rel/app.sock")));
    assertTrue(provider.supports(Endpoint.parse("unix:@app")));
    assertTrue(provider.supports(Endpoint.parse("unixgram:@app")));
    assertTrue(provider.supports(Endpoint.parse("unixpacket:///tmp/app.sock")));
    assertFalse(provider.supports(Endpoint.parse("unix:")));
    assertFalse(provider.supports(Endpoint.parse("unixgram:")));
    assertFalse(provider.supports(Endpoint.parse("unixpacket:")));
    assertFalse(provider.supports(Endpoint.parse("tcp://127.0.0.1:1")));
  }

  @Test
  void rejectsUnnamedEndpointNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> provider.connect(Endpoint.parse("unix:"), IpcOptions.DEFAULTS));
    assertEquals(
        "unnamed endpoint (expected: a socket path or an abstract @name): unix:", e.getMessage());
  }

  @Test
  void rejectsAbstractNameOverLimitBeforeAnySystemCall() {
    String tooLong = "unix:@" + "n".repeat(108);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ipc.listen(tooLong));
    assertTrue(e.getMessage().contains("108 bytes"), e.getMessage());
    assertTrue(
        e.getMessage().contains(String.valueOf(Endpoint.maxUnixPathBytes())), e.getMessage());
    assertTrue(e.getMessage().endsWith(tooLong), e.getMessage());
  }

  @Test
  void moduleDescriptorProvidesTheProviderAndExportsNothing() throws IOException {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("io.ipc4j.transport.junixsocket", d.name());
    assertEquals(Set.of(), d.exports());
    assertEquals(
        Set.of(
            TransportProvider.class.getName() + " with " + List.of(provider.getClass().getName())),
        d.provides().stream()
            .map(p -> p.service() + " with " + p.providers())
            .collect(Collectors.toSet()));
    Set<String> requires =
        d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    assertTrue(
        requires.containsAll(
            Set.of(
                "io.ipc4j",
                "org.slf4j",
                "org.newsclub.net.unix",
                "com.kohlschutter.junixsocket.nativecommon")),
        "requires: " + requires);
  }

  /** In a JVM where junixsocket's native library is disabled, the provider loads and says why. */
  @Test
  void reportsUnavailabilityInsteadOfFailingWhenNativeLibraryIsMissing() throws Exception {
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-Dorg.newsclub.net.unix.library.disable=true",
            "-cp",
            System.getProperty("java.class.path"),
            AvailabilityProbe.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = child.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("available=false"), output);
    assertTrue(
        output.contains("cause=java.lang.UnsupportedOperationException: junixsocket"), output);
  }

  /** Prints what the provider found by {@link ServiceLoader} reports; run in a child JVM. */
  static final class AvailabilityProbe {
    public static void main(String[] args) {
      for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
        if (p instanceof JunixsocketTransportProvider) {
          System.out.println(
              "available="
                  + p.isAvailable()
                  + " cause="
                  + p.unavailabilityCause().map(Throwable::toString).orElse("none"));
          return;
        }
      }
      System.out.println("not found");
    }
  }
}
