package io.ipc4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.spi.PacketSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a {@link PacketConnection} holds its receive buffer, against a scripted {@link PacketSocket}:
 * none while it waits for its first packet, the same one while packets keep coming, none again once
 * the socket reports it {@linkplain PacketSocket#IDLE idle}, and none after it is closed. Each test
 * has a maximum message size of its own, so that {@link PacketBuffers#kept} counts its buffers
 * only.
 */
@Timeout(10)
class PacketConnectionTest {
  private static final Endpoint LOCAL = Endpoint.parse("unixpacket:@ipc4j-packet-test");

  @Test
  void holdsABufferOnlyWhileReceiving() throws Exception {
    int max = 23_451;
    ScriptedSocket socket = new ScriptedSocket("a", PacketSocket.IDLE, "b", "c", -1);
    PacketConnection c = connection(socket, max);
    assertEquals(PacketConnection.IDLE_AFTER_MILLIS, socket.idleAfter, "asked to report idling");

    assertEquals(ByteBuffer.wrap(bytes("a")), c.receive());
    assertEquals(List.of("await", "receive"), socket.takeCalls(), "waits holding no buffer first");
    assertEquals(0, PacketBuffers.kept(max + 1), "holds its buffer between packets");
    ByteBuffer first = socket.buffers.get(0);

    assertEquals(ByteBuffer.wrap(bytes("b")), c.receive());
    assertEquals(
        List.of("receive", "await", "receive"), socket.takeCalls(), "idle: waits without it");
    assertSame(first, socket.buffers.get(2), "gave it back when idle, took it again after");

    assertEquals(ByteBuffer.wrap(bytes("c")), c.receive());
    assertEquals(List.of("receive"), socket.takeCalls(), "a busy connection just receives");
    assertNull(c.receive(), "the end");
    assertEquals(0, PacketBuffers.kept(max + 1));

    c.close();
    assertEquals(1, PacketBuffers.kept(max + 1), "gave its buffer back on closing");
  }

  @Test
  void aConnectionThatIdledBetweenPacketsUsesOneBufferInAll() throws Exception {
    int max = 23_452;
    ScriptedSocket socket = new ScriptedSocket("a", PacketSocket.IDLE, -1);
    PacketConnection c = connection(socket, max);
    assertEquals(ByteBuffer.wrap(bytes("a")), c.receive());
    assertNull(c.receive());
    assertEquals(0, PacketBuffers.kept(max + 1), "took the one it gave back again");
    c.close();
    assertEquals(1, PacketBuffers.kept(max + 1), "one buffer in all");
  }

  /** Closed while a receive holds the buffer: that receive gives it back when it ends. */
  @Test
  void aReceiveUnderWayWhenClosedGivesTheBufferBack() throws Exception {
    int max = 23_453;
    CountDownLatch receiving = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    ScriptedSocket socket =
        new ScriptedSocket(
            "a",
            (Supplier<Integer>)
                () -> {
                  receiving.countDown();
                  awaitQuietly(closed);
                  return -1;
                });
    PacketConnection c = connection(socket, max);
    assertEquals(ByteBuffer.wrap(bytes("a")), c.receive());
    CompletableFuture<ByteBuffer> receive =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return c.receive();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertTrue(receiving.await(5, TimeUnit.SECONDS));
    c.close();
    assertEquals(0, PacketBuffers.kept(max + 1), "the receive still holds it");
    closed.countDown();
    assertNull(receive.get(5, TimeUnit.SECONDS));
    assertEquals(1, PacketBuffers.kept(max + 1), "given back by the receive");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static PacketConnection connection(PacketSocket socket, int max) {
    return new PacketConnection(
        socket, LOCAL, IpcOptions.of(StandardIpcOptions.MAX_MESSAGE_SIZE, max));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }

  /**
   * Receives what its script says: a packet (a string), or a return value ({@code IDLE}, -1), or
   * what a supplier of either gives when called; and records its calls and the buffers it was
   * handed.
   */
  private static final class ScriptedSocket implements PacketSocket {
    private final Deque<Object> script;
    private final List<String> calls = new ArrayList<>();
    final List<ByteBuffer> buffers = new ArrayList<>();
    int idleAfter;
    private boolean open = true;

    ScriptedSocket(Object... script) {
      this.script = new ArrayDeque<>(List.of(script));
    }

    List<String> takeCalls() {
      List<String> taken = List.copyOf(calls);
      calls.clear();
      return taken;
    }

    @Override
    public void idleAfter(int millis) {
      idleAfter = millis;
    }

    @Override
    public void awaitPacket() {
      calls.add("await");
    }

    @Override
    public int receive(ByteBuffer dst) {
      calls.add("receive");
      buffers.add(dst);
      Object next = script.remove();
      if (next instanceof Supplier) {
        next = ((Supplier<?>) next).get();
      }
      if (next instanceof Integer) {
        return (Integer) next;
      }
      byte[] packet = bytes((String) next);
      dst.put(packet);
      return packet.length;
    }

    @Override
    public Endpoint localEndpoint() {
      return LOCAL;
    }

    @Override
    public Endpoint remoteEndpoint() {
      return LOCAL;
    }

    @Override
    public int maxPacketSize() {
      return 1 << 20;
    }

    @Override
    public void send(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdownInput() {}

    @Override
    public void shutdownOutput() {}

    @Override
    public Optional<PeerCredentials> peerCredentials() {
      return Optional.empty();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
