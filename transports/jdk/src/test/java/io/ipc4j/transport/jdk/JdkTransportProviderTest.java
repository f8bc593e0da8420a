package io.ipc4j.transport.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.Capability;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.TransportUnavailableException;
import io.ipc4j.spi.TransportProvider;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the JDK transport is found and what it declares, on the class path and as a module. */
@Timeout(30)
class JdkTransportProviderTest {
  private static final String SERVICE = TransportProvider.class.getName();
  private static final String IMPLEMENTATION = JdkTransportProvider.class.getName();

  /** The transport's compiled classes: target/classes, where module-info.class sits. */
  private static Path classesDirectory() throws Exception {
    Path location =
        Path.of(
            JdkTransportProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(location), "expected the exploded classes, got " + location);
    return location;
  }

  @Test
  void serviceLoaderFindsProviderThroughMetaInfServices() throws Exception {
    List<TransportProvider> found =
        ServiceLoader.load(TransportProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p instanceof JdkTransportProvider)
            .collect(Collectors.toList());
    assertEquals(1, found.size(), "one JDK provider found by ServiceLoader");
    assertEquals("jdk", found.get(0).name());

    Path services = classesDirectory().resolve("META-INF/services/" + SERVICE);
    List<String> lines =
        Files.readAllLines(services, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toList());
    assertEquals(List.of(IMPLEMENTATION), lines);
  }

  @Test
  void ipcListsTheProvider() {
    assertTrue(
        Ipc.providers().stream().anyMatch(p -> p instanceof JdkTransportProvider),
        "Ipc.providers(): " + Ipc.providers());
  }

  @Test
  void moduleDescriptorProvidesWhatMetaInfServicesLists() throws Exception {
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(classesDirectory().resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertEquals("io.ipc4j.transport.jdk", descriptor.name());
    Optional<ModuleDescriptor.Provides> provides =
        descriptor.provides().stream().filter(p -> p.service().equals(SERVICE)).findFirst();
    assertTrue(provides.isPresent(), "provides " + SERVICE + ": " + descriptor.provides());
    assertEquals(List.of(IMPLEMENTATION), provides.get().providers());
    assertEquals(Set.of(), descriptor.exports(), "a transport exports nothing");
    assertTrue(
        descriptor.requires().stream().anyMatch(r -> r.name().equals("io.ipc4j")),
        "requires io.ipc4j");

    Set<ModuleReference> found = ModuleFinder.of(classesDirectory()).findAll();
    assertEquals(1, found.size());
    assertEquals(descriptor, found.iterator().next().descriptor());
    assertTrue(found.iterator().next().descriptor().packages().contains("io.ipc4j.transport.jdk"));
  }

  @Test
  void declaresSchemesAndCapabilities() {
    JdkTransportProvider p = new JdkTransportProvider();
    assertTrue(p.isAvailable());
    assertEquals(Optional.empty(), p.unavailabilityCause());
    assertTrue(
        p.schemes().containsAll(Set.of("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix")),
        p.schemes().toString());
    for (String scheme : List.of("tcp", "tcp4", "tcp6", "unix")) {
      assertTrue(
          p.capabilities(scheme)
              .containsAll(
                  EnumSet.of(Capability.RELIABLE, Capability.ORDERED, Capability.HALF_CLOSE)),
          scheme + ": " + p.capabilities(scheme));
    }
    assertTrue(
        p.capabilities("unix")
            .containsAll(
                EnumSet.of(Capability.PEER_CREDENTIALS, Capability.SOCKET_FILE_PERMISSIONS)));
    assertFalse(p.capabilities("tcp").contains(Capability.PEER_CREDENTIALS));
    for (String scheme : List.of("udp", "udp4", "udp6")) {
      assertEquals(
          EnumSet.of(
              Capability.MESSAGE_BOUNDARIES,
              Capability.BROADCAST,
              Capability.MULTICAST,
              Capability.VIRTUAL_THREADS),
          p.capabilities(scheme),
          scheme + ": unreliable and unordered");
    }
    assertEquals(Collections.emptySet(), p.capabilities("unixgram"));
    assertFalse(p.supports(Endpoint.parse("unix:@abstract-name")), "the JDK has no abstract names");
  }

  @Test
  void forcingAnUnknownProviderFailsNamingItAndTheKnownOnes() {
    IpcOptions unknown = IpcOptions.of(StandardIpcOptions.PROVIDER, "no-such-provider");
    TransportUnavailableException e =
        assertThrows(
            TransportUnavailableException.class, () -> Ipc.connect("tcp://127.0.0.1:9", unknown));
    assertTrue(e.getMessage().contains("no-such-provider"), e.getMessage());
    assertTrue(e.getMessage().contains("jdk"), e.getMessage());
    assertEquals("tcp", e.scheme());
  }

  @Test
  void abstractNameWithOnlyTheJdkSaysWhyNoTransportServesIt() {
    TransportUnavailableException e =
        assertThrows(TransportUnavailableException.class, () -> Ipc.connect("unix:@app"));
    assertEquals(
        "no available transport for unix:@app (found: jdk: does not support abstract names)",
        e.getMessage());
  }

  @Test
  void seqpacketMessagesWithOnlyTheJdkListWhatItServes() {
    TransportUnavailableException e =
        assertThrows(
            TransportUnavailableException.class,
            () -> Ipc.connectMessages("unixpacket:///tmp/ctl.sock"));
    assertEquals(
        "no available transport for unixpacket:///tmp/ctl.sock"
            + " (found: jdk: serves tcp, tcp4, tcp6, udp, udp4, udp6, unix, not unixpacket)",
        e.getMessage());
    assertEquals("unixpacket", e.scheme());
  }

  @Test
  void forcingTheJdkForAnAbstractNameSaysWhy() {
    IpcOptions jdk = IpcOptions.of(StandardIpcOptions.PROVIDER, "jdk");
    TransportUnavailableException e =
        assertThrows(TransportUnavailableException.class, () -> Ipc.connect("unix:@app", jdk));
    assertEquals(
        "provider \"jdk\" cannot serve unix:@app: does not support abstract names", e.getMessage());
  }
}
