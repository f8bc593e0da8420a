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
 * {@code MessageConnection.send} over a stream: the frame encoder ({@code FramedConnection}) and
 * the connection under it ({@code SocketConnection}), writing into a {@link SinkSocket} that copies
 * each write as a kernel would, with no system call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameEncodeBenchmark {
  /** Payload bytes per message. */
  @Param({"64", "1024", "65536"})
  public int size;

  private ByteBuffer payload;
  private ByteBuffer expected;
  private SinkSocket sink;
  private MessageConnection connection;

  @Setup
  public void open() throws IOException {
    payload = Frames.payload(size);
    expected = Frames.frame(payload);
    sink = new SinkSocket(expected.remaining());
    connection = MemoryTransport.messages(sink);
    verify();
  }

  /**
   * One message is one write call of exactly its frame: header and payload (copied into one buffer
   * up to 4 KiB, gathered above).
   */
  @TearDown(Level.Iteration)
  public void verify() throws IOException {
    long writes = sink.writes();
    send();
    Frames.checkEquals("write calls per send", 1L, sink.writes() - writes);
    Frames.checkBytes("bytes written by send", expected, sink.lastWrite());
  }

  @TearDown
  public void close() throws IOException {
    connection.close();
  }

  /**
   * Returns nothing: its work is the copy into the sink's buffer, a side effect the compiler must
   * keep.
   */
  @Benchmark
  public void send() throws IOException {
    payload.rewind();
    connection.send(payload);
  }
}
