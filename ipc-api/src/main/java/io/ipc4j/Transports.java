package io.ipc4j;

import io.ipc4j.spi.TransportProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transport providers of this JVM, loaded once, and the choice among them. */
final class Transports {
  private static final Logger log = LoggerFactory.getLogger(Transports.class);
  private static final List<TransportProvider> PROVIDERS = load();
  private static final List<TransportProvider> BY_PRIORITY = byPriority(PROVIDERS);

  private Transports() {}

  static List<TransportProvider> all() {
    return PROVIDERS;
  }

  /**
   * The provider for {@code endpoint}: the one {@link StandardIpcOptions#PROVIDER} names, or else
   * the available provider of highest priority that supports it.
   */
  static TransportProvider choose(Endpoint endpoint, IpcOptions options)
      throws TransportUnavailableException {
    String forced = options.get(StandardIpcOptions.PROVIDER);
    String scheme = endpoint.scheme();
    if (!forced.isEmpty()) {
      TransportProvider p =
          PROVIDERS.stream().filter(c -> c.name().equals(forced)).findFirst().orElse(null);
      if (p == null) {
        throw new TransportUnavailableException(
            scheme,
            "provider \""
                + forced
                + "\" not found (expected: one of "
                + PROVIDERS.stream().map(TransportProvider::name).collect(Collectors.joining(", "))
                + "): "
                + endpoint,
            null);
      }
      String why = whyNot(p, endpoint, options);
      if (why != null) {
        throw new TransportUnavailableException(
            scheme,
            "provider \"" + forced + "\" cannot serve " + endpoint + ": " + why,
            p.unavailabilityCause().orElse(null));
      }
      return p;
    }
    // Highest priority first, and no further: a provider is probed (which may load native
    // code) only when every one above it cannot serve the endpoint.
    for (TransportProvider p : BY_PRIORITY) {
      if (whyNot(p, endpoint, options) == null) {
        return p;
      }
    }
    List<String> found = new ArrayList<>();
    Throwable cause = null;
    for (TransportProvider p : PROVIDERS) {
      found.add(p.name() + ": " + whyNot(p, endpoint, options));
      if (cause == null && p.schemes().contains(scheme)) {
        cause = p.unavailabilityCause().orElse(null);
      }
    }
    throw new TransportUnavailableException(
        scheme,
        "no available transport for "
            + endpoint
            + " (found: "
            + (found.isEmpty()
                ? "no providers on the class path or module path"
                : String.join("; ", found))
            + ")",
        cause);
  }

  /** Every scheme of the endpoint grammar, in the order the doctor lists them. */
  private static final List<String> SCHEMES =
      List.of("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix", "unixgram", "unixpacket");

  /** The text of {@link Ipc#doctor()}. */
  static String report() {
    StringBuilder r = new StringBuilder();
    r.append("ipc4j transports on ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append(", Java ")
        .append(Runtime.version())
        .append('\n');
    r.append("unix socket paths: at most ")
        .append(Endpoint.maxUnixPathBytes())
        .append(" bytes; a listener's at most ")
        .append(Endpoint.maxUnixPathBytes() - io.ipc4j.spi.UnixSocketFile.PRIVATE_BIND_OVERHEAD)
        .append(" bytes (private bind)\n");
    r.append("virtual threads: ")
        .append(IpcThreads.virtualThreadsAvailable() ? "yes" : "no (Java 21+)")
        .append('\n');
    for (String scheme : SCHEMES) {
      List<String> lines = new ArrayList<>();
      boolean chosen = false;
      for (TransportProvider p : BY_PRIORITY) {
        if (!p.schemes().contains(scheme)) {
          continue;
        }
        if (p.isAvailable()) {
          String capabilities =
              p.capabilities(scheme).stream()
                  .map(Enum::name)
                  .sorted()
                  .collect(Collectors.joining(" "));
          lines.add((chosen ? "  " : "* ") + p.name() + ": " + capabilities);
          chosen = true;
        } else {
          lines.add(
              "  "
                  + p.name()
                  + ": unavailable: "
                  + p.unavailabilityCause().map(Throwable::toString).orElse("no reason given"));
        }
      }
      if (lines.isEmpty()) {
        lines.add("  no provider");
      }
      r.append(String.format("%-11s", scheme))
          .append(String.join("\n" + " ".repeat(11), lines))
          .append('\n');
    }
    r.append("(* marks the provider used by default; StandardIpcOptions.PROVIDER picks another)\n");
    return r.toString();
  }

  /** Why {@code p} cannot serve {@code endpoint} with {@code options}; null if it can. */
  private static String whyNot(TransportProvider p, Endpoint endpoint, IpcOptions options) {
    if (!p.schemes().contains(endpoint.scheme())) {
      return "serves "
          + String.join(", ", p.schemes().stream().sorted().collect(Collectors.toList()))
          + ", not "
          + endpoint.scheme();
    }
    if (!p.isAvailable()) {
      return "unavailable: "
          + p.unavailabilityCause().map(Throwable::toString).orElse("no reason given");
    }
    if (!p.supports(endpoint)) {
      return endpoint.isAbstract()
          ? "does not support abstract names"
          : "does not support this endpoint";
    }
    if (options.get(StandardIpcOptions.RECEIVE_DESCRIPTORS)
        && !p.capabilities(endpoint.scheme()).contains(Capability.FILE_DESCRIPTORS)) {
      return "passes no file descriptors over "
          + endpoint.scheme()
          + " (expected: unix or unixpacket, or receiveDescriptors=false)";
    }
    return null;
  }

  private static List<TransportProvider> byPriority(List<TransportProvider> providers) {
    List<TransportProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(TransportProvider::priority).reversed());
    return List.copyOf(sorted);
  }

  private static List<TransportProvider> load() {
    List<TransportProvider> loaded = new ArrayList<>();
    Iterator<TransportProvider> it =
        ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        TransportProvider p = it.next();
        // Not isAvailable(): probing may load native code that this program may never need.
        log.debug("transport provider {}: schemes {}", p.name(), p.schemes());
        loaded.add(p);
      } catch (ServiceConfigurationError broken) {
        log.warn("a transport provider could not be loaded and is skipped: {}", broken.toString());
      }
    }
    return List.copyOf(loaded);
  }
}
