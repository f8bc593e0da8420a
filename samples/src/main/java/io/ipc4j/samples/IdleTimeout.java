package io.ipc4j.samples;

import io.ipc4j.IpcOptions;
import io.ipc4j.StandardIpcOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The sample servers' {@code --idle-timeout}: a connection whose peer sends nothing for this long
 * is closed. Without one, a peer that opens connections and stays silent holds each of them (and
 * its thread) until it closes them, and {@code MAX_CONNECTIONS} of them lock every other peer out.
 * A handler waiting for the next request is what times out; one busy answering is not.
 */
final class IdleTimeout {
  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "5m",
      description =
          "Close a connection whose peer sends nothing for this long, e.g. 30s or 10m"
              + " (default: ${DEFAULT-VALUE})")
  Duration duration;

  /** The server options that close idle connections. */
  IpcOptions options() {
    return IpcOptions.of(StandardIpcOptions.READ_TIMEOUT, duration);
  }
}
