package io.ipc4j.benchmarks;

import io.ipc4j.Endpoint;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Endpoint#parse} and the formatting of the canonical form.
 *
 * <p>{@link Endpoint#toString()} returns a string built when the endpoint is made, so timing it
 * would time a field read. {@link #format()} times the building instead: {@link
 * Endpoint#withScheme} makes a new endpoint of a sibling scheme from the parsed parts, which
 * formats its canonical form and parses nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EndpointBenchmark {
  @Param({"tcp", "tcp-ipv6", "unix-path", "unix-abstract", "udp-query"})
  public String form;

  private String text;
  private String sibling;
  private Endpoint endpoint;

  @Setup
  public void setUp() {
    switch (form) {
      case "tcp" -> {
        text = "tcp://127.0.0.1:7000";
        sibling = "tcp4";
      }
      case "tcp-ipv6" -> {
        text = "tcp://[2001:db8::1]:7000";
        sibling = "tcp6";
      }
      case "unix-path" -> {
        text = "unix:///run/ipc4j/app.sock";
        sibling = "unixgram";
      }
      case "unix-abstract" -> {
        text = "unix:@ipc4j-app";
        sibling = "unixgram";
      }
      case "udp-query" -> {
        text = "udp://239.1.2.3:5000?interface=lo&ttl=1";
        sibling = "udp4";
      }
      default ->
          throw new IllegalArgumentException(
              "form: "
                  + form
                  + " (expected: tcp, tcp-ipv6, unix-path, unix-abstract or udp-query)");
    }
    endpoint = Endpoint.parse(text);
    // Canonical inputs: parsing and formatting are each other's inverse here.
    Frames.checkEquals("parse(" + text + ")", text, parse().toString());
    Frames.checkEquals("parse(toString())", endpoint, Endpoint.parse(endpoint.toString()));
    Frames.checkEquals(
        "withScheme(" + sibling + ")", sibling + text.substring(text.indexOf(':')), format());
  }

  @Benchmark
  public Endpoint parse() {
    return Endpoint.parse(text);
  }

  @Benchmark
  public String format() {
    return endpoint.withScheme(sibling).toString();
  }
}
