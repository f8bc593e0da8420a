package io.ipc4j.benchmarks;

import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code MessageConnection.receive} over a stream: the frame decoder ({@code FramedConnection},
 * with its growing direct read buffer) and the connection under it, reading from a {@link
 * ReplaySocket} that repeats one frame forever, with no system call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameDecodeBenchmark {
  /** Payload bytes per message. */
  @Param({"64", "1024", "65536"})
  public int size;

  /**
   * {@code waits}: each read returns at most the rest of the current frame, as when the peer sends
   * a request and waits for the reply. {@code ahead}: each read fills the buffer it is given,
   * running into the next frames, as when the peer streams faster than this side reads.
   */
  @Param({"waits", "ahead"})
  public String peer;

  private ByteBuffer payload;
  private ByteBuffer into;
  private MessageConnection connection;

  @Setup
  public void open() throws IOException {
    if (!peer.equals("waits") && !peer.equals("ahead")) {
      throw new IllegalArgumentException("peer: " + peer + " (expected: waits or ahead)");
    }
    payload = Frames.payload(size);
    into = ByteBuffer.allocate(size);
    connection =
        MemoryTransport.messages(new ReplaySocket(Frames.frame(payload), peer.equals("ahead")));
    verify();
  }

  /** Both forms of receive return the payload, still in step with the frames after an iteration. */
  @TearDown(Level.Iteration)
  public void verify() throws IOException {
    Frames.checkBytes("receive()", payload, receive());
    Frames.checkBytes("receive(dst)", payload, receiveInto().flip());
  }

  @TearDown
  public void close() throws IOException {
    connection.close();
  }

  /** Receives into a new heap buffer per message. */
  @Benchmark
  public ByteBuffer receive() throws IOException {
    return connection.receive();
  }

  /** Receives into the same heap buffer every time: the form without allocation. */
  @Benchmark
  public ByteBuffer receiveInto() throws IOException {
    into.clear();
    connection.receive(into);
    return into;
  }
}
