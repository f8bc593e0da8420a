package io.ipc4j.samples;

import io.ipc4j.StreamConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One chat client as the server sees it: a bounded queue of lines on their way to it, and a writer
 * thread of its own that empties the queue into the connection. Whoever broadcasts only appends to
 * the queue and never blocks, so a client that reads slowly, or not at all, holds up nobody; when
 * its queue is full, {@link #offer} says so and the room drops it. The queue's limit counts what a
 * line costs in memory, not only its bytes, so that a flood of empty lines is bounded too.
 * Thread-safe.
 */
final class ChatMember {
  private static final int MAX_BATCH = 64;

  /**
   * What a queued line costs beyond its bytes: its ByteBuffer (56 B with compressed pointers), its
   * array's header and padding, its slot in the deque; rounded up.
   */
  static final int QUEUE_ENTRY_BYTES = 96;

  private final String name;
  private final StreamConnection connection;
  private final long maxQueuedBytes;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean finishing;
  private boolean writerDone;
  private Thread writer;

  ChatMember(String name, StreamConnection connection, long maxQueuedBytes) {
    this.name = name;
    this.connection = connection;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  String name() {
    return name;
  }

  /** Starts the thread that writes this member's queue to its connection. */
  void start() {
    writer = Threads.start("chat-writer " + name, this::writeLoop);
  }

  /**
   * Queues {@code line} for this member. Returns false, queueing nothing, if it would take the
   * queue over its limit; true if queued, or if the member is already leaving (then nothing is
   * queued either).
   */
  synchronized boolean offer(String line) {
    if (finishing) {
      return true;
    }
    ByteBuffer bytes = encode(line);
    if (queuedBytes + cost(bytes) > maxQueuedBytes) {
      return false;
    }
    queue.add(bytes);
    queuedBytes += cost(bytes);
    notifyAll();
    return true;
  }

  /** An array of the line's size: an encoder's buffer may be larger than the bytes it holds. */
  private static ByteBuffer encode(String line) {
    return ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static long cost(ByteBuffer bytes) {
    return bytes.remaining() + QUEUE_ENTRY_BYTES;
  }

  /** What is waiting for this member now: its bytes and what their buffers cost. */
  synchronized long queuedBytes() {
    return queuedBytes;
  }

  /**
   * Queues a last line (past the limit if need be: it is the last), and lets the writer deliver
   * what is queued, then stop.
   */
  synchronized void finish(String lastLine) {
    if (!finishing && lastLine != null) {
      ByteBuffer bytes = encode(lastLine);
      queue.add(bytes);
      queuedBytes += cost(bytes);
    }
    finishing = true;
    notifyAll();
  }

  /**
   * Waits up to {@code timeoutMillis} for the writer to deliver what was queued before {@link
   * #finish}; returns whether it did. A member that does not read is not waited for longer.
   */
  synchronized boolean awaitDelivered(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!writerDone) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Closes the connection now, which ends a writer blocked on a client that does not read. */
  void kill() {
    synchronized (this) {
      finishing = true;
      queue.clear();
      queuedBytes = 0;
      notifyAll();
    }
    try {
      connection.close();
    } catch (IOException e) {
      // Closing a connection that already failed: nothing more to do for this member.
    }
  }

  private void writeLoop() {
    ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
    try {
      while (true) {
        int n;
        synchronized (this) {
          while (queue.isEmpty() && !finishing) {
            wait();
          }
          if (queue.isEmpty()) {
            return;
          }
          for (n = 0; n < MAX_BATCH && !queue.isEmpty(); n++) {
            batch[n] = queue.poll();
          }
        }
        // Written outside the lock: offer() must never wait for a slow client's socket.
        // The write returns once every byte of the batch is written.
        long written = connection.write(batch, 0, n);
        synchronized (this) {
          queuedBytes -= written + (long) n * QUEUE_ENTRY_BYTES;
        }
      }
    } catch (IOException e) {
      // The client went away or was dropped: its reader sees the same and leaves the room.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        writerDone = true;
        notifyAll();
      }
    }
  }
}
