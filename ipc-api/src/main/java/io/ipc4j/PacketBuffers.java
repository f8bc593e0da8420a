package io.ipc4j;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Receive buffers for {@link PacketConnection}s, shared by the whole JVM. A packet connection needs
 * a direct buffer one byte larger than its largest packet (about 208 KiB by default) while it
 * receives, but not while it waits idle: it takes one here when a packet is ready and gives it back
 * when it has been idle for a while, so that a server's memory follows how many of its connections
 * are busy, not how many are open. Up to {@value #KEPT} free buffers of each size are kept; more
 * are left to the garbage collector. Sizes come from the options and socket buffer sizes a program
 * sets, never from its peers.
 */
final class PacketBuffers {
  /** How many free buffers of one size are kept: some 13 MiB at the default size. */
  static final int KEPT = 64;

  private static final ConcurrentHashMap<Integer, Queue<ByteBuffer>> FREE =
      new ConcurrentHashMap<>();

  private PacketBuffers() {}

  /** A cleared direct buffer of exactly {@code capacity} bytes: a kept one, or a new one. */
  static ByteBuffer take(int capacity) {
    Queue<ByteBuffer> free = FREE.get(capacity);
    ByteBuffer buffer = free == null ? null : free.poll();
    return buffer != null ? buffer : ByteBuffer.allocateDirect(capacity);
  }

  /** Gives back a buffer from {@link #take}, which its caller no longer uses. */
  static void give(ByteBuffer buffer) {
    FREE.computeIfAbsent(buffer.capacity(), size -> new ArrayBlockingQueue<>(KEPT))
        .offer(buffer.clear());
  }

  /** How many free buffers of {@code capacity} bytes are kept: for tests. */
  static int kept(int capacity) {
    Queue<ByteBuffer> free = FREE.get(capacity);
    return free == null ? 0 : free.size();
  }
}
