package io.ipc4j.samples;

import io.ipc4j.Datagram;
import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.MessageTooLargeException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Receives {@code telemetry-sensor} datagrams ({@code ID SEQ MILLIS VALUE}) on a {@code udp} or
 * {@code unixgram} endpoint and, once a second, prints a line per sensor heard from in the last ten
 * seconds: {@code ID: RATE/s, N received, M lost (P%)}. Loss is counted from the sequence numbers:
 * those between the first and the highest seen that never came. A datagram up to 64 behind the
 * highest that has not come yet is a late one, counted as received. A sensor that starts again
 * starts its count again: a sequence number further behind, or one received already, means a new
 * run, which began at 1 (so if 1 was lost, it counts as lost). Datagrams that are not readings are
 * counted and reported, never fatal.
 *
 * <p>Anyone may send to the collector, so what it keeps is bounded: a sensor silent for ten seconds
 * is forgotten (if it comes back, its counts start again), and at most {@value #MAX_SENSORS} are
 * tracked at once. Datagrams from further sensors are not tracked, only counted, and the count is
 * reported with the next report.
 */
@Command(
    name = "telemetry-collector",
    mixinStandardHelpOptions = true,
    description = "Receive sensor datagrams; print rate and loss per sensor once a second.")
final class TelemetryCollector implements Callable<Integer> {
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Sensors tracked at once: enough for a sample, and a report a person can still read. */
  static final int MAX_SENSORS = 1000;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. udp://0.0.0.0:9000 or unixgram:///tmp/telemetry.sock")
  Endpoint endpoint;

  /** Guarded by itself. */
  private final Map<String, Sensor> sensors = new TreeMap<>();

  private long malformed;
  private long untracked;

  @Override
  public Integer call() throws Exception {
    Endpoints.require(spec, endpoint, Endpoints.DATAGRAM);
    try (DatagramEndpoint socket = Ipc.bind(endpoint)) {
      Shutdown shutdown = Shutdown.closing("telemetry-collector", socket);
      Shutdown.announce(socket.localEndpoint());
      Threads.start("telemetry-report", this::reportEverySecond);
      while (true) {
        Datagram d;
        try {
          d = socket.receive();
        } catch (ClosedChannelException e) {
          if (shutdown.started()) {
            return 0;
          }
          throw e;
        } catch (MessageTooLargeException e) {
          countMalformed();
          continue;
        }
        record(StandardCharsets.UTF_8.decode(d.payload()).toString(), System.nanoTime());
      }
    }
  }

  void record(String reading, long now) {
    String[] f = reading.split(" ", -1);
    long seq;
    try {
      seq = f.length == 4 && TelemetrySensor.ID.matcher(f[0]).matches() ? Long.parseLong(f[1]) : 0;
    } catch (NumberFormatException e) {
      seq = 0;
    }
    if (seq < 1) {
      countMalformed();
      return;
    }
    synchronized (sensors) {
      Sensor sensor = sensors.get(f[0]);
      if (sensor == null) {
        if (sensors.size() >= MAX_SENSORS) {
          untracked++;
          return;
        }
        sensor = new Sensor();
        sensors.put(f[0], sensor);
      }
      sensor.record(seq, now);
    }
  }

  private void countMalformed() {
    synchronized (sensors) {
      malformed++;
    }
  }

  private void reportEverySecond() {
    long second = TimeUnit.SECONDS.toNanos(1);
    long next = System.nanoTime() + second;
    while (true) {
      try {
        TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
      } catch (InterruptedException e) {
        return;
      }
      System.out.print(report(System.nanoTime()));
      System.out.flush();
      next += second;
    }
  }

  /** The report at {@code now}, which forgets the sensors that have been silent too long. */
  String report(long now) {
    StringBuilder report = new StringBuilder();
    synchronized (sensors) {
      for (Iterator<Map.Entry<String, Sensor>> i = sensors.entrySet().iterator(); i.hasNext(); ) {
        Map.Entry<String, Sensor> e = i.next();
        Sensor s = e.getValue();
        if (now - s.lastHeard > QUIET_NANOS) {
          i.remove();
        } else {
          report.append(e.getKey()).append(": ").append(s.report(now)).append('\n');
        }
      }
      if (malformed > 0) {
        report.append("ignored ").append(malformed).append(" malformed datagrams\n");
        malformed = 0;
      }
      if (untracked > 0) {
        report
            .append("ignored ")
            .append(untracked)
            .append(" datagrams from new sensors: already tracking ")
            .append(MAX_SENSORS)
            .append(", the most it tracks\n");
        untracked = 0;
      }
    }
    return report.toString();
  }

  /** One sensor's counts. Guarded by the collector's map. */
  private static final class Sensor {
    /** How far behind the highest a datagram may arrive and still count: the bits in a long. */
    static final int REORDER_WINDOW = 64;

    long first;
    long highest;
    long received;

    /** Which of the sequence numbers up to the window behind the highest came: bit i, highest-i. */
    long window;

    long sinceReport;
    long lastHeard;
    long lastReport;

    void record(long seq, long now) {
      if (highest == 0) {
        // First heard from: the run may have begun before the collector did.
        startRun(seq, seq);
        lastReport = now;
      } else if (seq > highest) {
        long ahead = seq - highest;
        window = ahead >= REORDER_WINDOW ? 1 : window << ahead | 1;
        highest = seq;
        received++;
      } else if (highest - seq >= REORDER_WINDOW || (window & 1L << (highest - seq)) != 0) {
        // Too far back to be late, or a number this run already had: the sensor started again,
        // from 1, whether or not 1 arrived. A lost first datagram is not a reason to add the new
        // run's counts to the old one's.
        startRun(1, seq);
      } else {
        window |= 1L << (highest - seq);
        first = Math.min(first, seq);
        received++;
      }
      sinceReport++;
      lastHeard = now;
    }

    private void startRun(long from, long seq) {
      first = from;
      highest = seq;
      window = 1;
      received = 1;
    }

    String report(long now) {
      double seconds = Math.max(1e-3, (now - lastReport) / 1e9);
      long expected = highest - first + 1;
      long lost = Math.max(0, expected - received);
      String line =
          String.format(
              Locale.ROOT,
              "%d/s, %d received, %d lost (%.1f%%)",
              Math.round(sinceReport / seconds),
              received,
              lost,
              100.0 * lost / expected);
      sinceReport = 0;
      lastReport = now;
      return line;
    }
  }
}
