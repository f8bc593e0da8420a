package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Sends readings as datagrams ({@code udp} or {@code unixgram}) to a {@code telemetry-collector},
 * {@code --rate} a second, each one UTF-8 line {@code ID SEQ MILLIS VALUE}: the sensor's id, a
 * sequence number counting from 1 (by which the collector counts what was lost), the time sent in
 * milliseconds since the epoch and a made-up reading. Datagrams are fire-and-forget: if nobody
 * listens on {@code udp}, the sensor keeps sending. Prints {@code sent N datagrams to ENDPOINT as
 * ID} when it stops, after {@code --count} datagrams or on Ctrl-C.
 */
@Command(
    name = "telemetry-sensor",
    mixinStandardHelpOptions = true,
    description = "Send 'ID SEQ MILLIS VALUE' datagrams to a telemetry-collector at a steady rate.")
final class TelemetrySensor implements Callable<Integer> {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "The collector, e.g. udp://127.0.0.1:9000 or unixgram:///tmp/telemetry.sock")
  Endpoint endpoint;

  @Option(
      names = "--rate",
      required = true,
      paramLabel = "N",
      description = "Datagrams a second (1 to 100000)")
  int rate;

  @Option(names = "--id", paramLabel = "ID", description = "This sensor's id (default: sensor-PID)")
  String id;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N datagrams; 0: run until stopped (default: ${DEFAULT-VALUE})")
  long count;

  private volatile boolean stopping;
  private volatile long sent;
  private boolean reported;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.DATAGRAM);
    if (rate < 1 || rate > 100_000) {
      throw new ParameterException(
          spec.commandLine(), "--rate: " + rate + " (expected: 1 to 100000)");
    }
    if (count < 0) {
      throw new ParameterException(spec.commandLine(), "--count: " + count + " (expected: >= 0)");
    }
    String sensor = id != null ? id : "sensor-" + ProcessHandle.current().pid();
    if (!ID.matcher(sensor).matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "--id: " + sensor + " (expected: 1 to 64 letters, digits, '.', '-' or '_')");
    }
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  LockSupport.unpark(main);
                  report(sensor);
                },
                "telemetry-sensor-shutdown"));
    try (MessageConnection c = Ipc.connectMessages(endpoint)) {
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long next = System.nanoTime();
      for (long seq = 1; !stopping && (count == 0 || seq <= count); seq++) {
        send(c, sensor, seq);
        // Paced against a schedule, not by sleeping a period after each send, so the rate holds.
        next += period;
        for (long wait; !stopping && (wait = next - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
      }
    }
    report(sensor);
    return 0;
  }

  private void send(MessageConnection c, String sensor, long seq) throws IOException {
    double value = 20 + 5 * Math.sin(seq / 50.0);
    String reading =
        String.format(Locale.ROOT, "%s %d %d %.2f", sensor, seq, System.currentTimeMillis(), value);
    try {
      c.send(StandardCharsets.UTF_8.encode(reading));
      sent++;
    } catch (PortUnreachableException e) {
      // An earlier datagram found nobody listening; readings are fire-and-forget, so go on.
    }
  }

  /** Says what was sent, once: at the end of the count, or on Ctrl-C, whichever comes first. */
  private synchronized void report(String sensor) {
    if (reported) {
      return;
    }
    reported = true;
    System.out.println("sent " + sent + " datagrams to " + endpoint + " as " + sensor);
    System.out.flush();
  }
}
