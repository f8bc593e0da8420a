package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks that an endpoint suits a command, before anything is opened. */
final class Endpoints {
  static final Set<Endpoint.Kind> STREAM = EnumSet.of(Endpoint.Kind.STREAM);
  static final Set<Endpoint.Kind> DATAGRAM = EnumSet.of(Endpoint.Kind.DATAGRAM);

  /** Streams and seqpacket: the kinds that deliver every message, in order. */
  static final Set<Endpoint.Kind> RELIABLE_MESSAGES =
      EnumSet.of(Endpoint.Kind.STREAM, Endpoint.Kind.SEQPACKET);

  private Endpoints() {}

  /**
   * Fails as a usage error (exit code 2) if {@code endpoint} is not of one of {@code kinds}, in the
   * library's words: {@code not a stream endpoint (expected: tcp, tcp4, tcp6 or unix): udp://...}.
   */
  static void require(CommandSpec spec, Endpoint endpoint, Set<Endpoint.Kind> kinds) {
    if (!kinds.contains(endpoint.kind())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "not a " + describe(kinds) + " endpoint (expected: " + schemes(kinds) + "): " + endpoint);
    }
  }

  private static String describe(Set<Endpoint.Kind> kinds) {
    if (kinds.equals(STREAM)) {
      return "stream";
    }
    if (kinds.equals(DATAGRAM)) {
      return "datagram";
    }
    return "reliable";
  }

  private static String schemes(Set<Endpoint.Kind> kinds) {
    if (kinds.equals(STREAM)) {
      return "tcp, tcp4, tcp6 or unix";
    }
    if (kinds.equals(DATAGRAM)) {
      return "udp, udp4, udp6 or unixgram";
    }
    return "tcp, tcp4, tcp6, unix or unixpacket";
  }
}
