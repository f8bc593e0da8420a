package io.ipc4j.samples.bench;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw contestant's client over {@code udp} and {@code unixgram}: a connected datagram channel
 * (the JDK's, or junixsocket's for Unix datagrams), one {@code write} per message and one {@code
 * read} per reply.
 *
 * <p>A datagram may be lost, so a receive must not wait for ever. JDK datagram channels have no
 * receive timeout (only the blocking {@code DatagramSocket} adaptor does, through a non-blocking
 * socket and poll, three system calls instead of one), so the bound is kept as ipc4j keeps its read
 * timeout: the receive stays one blocking system call, and a watchdog thread closes a channel whose
 * receive has made no progress for {@link Link#DATAGRAM_TIMEOUT_MILLIS}; the receive then fails
 * with {@link SocketTimeoutException} and the link is done. The receive's only cost for this is two
 * ordered stores of a counter.
 */
final class RawDatagramLink implements Link {
  private static final Set<RawDatagramLink> WATCHED = ConcurrentHashMap.newKeySet();

  static {
    Daemon.start("raw-datagram-watchdog", RawDatagramLink::watch);
  }

  private final DatagramChannel channel;

  /** Odd while a receive is under way; advanced by two per receive. */
  private final AtomicLong receives = new AtomicLong();

  /** What the watchdog saw last time: read and written by the watchdog only. */
  private long seen;

  private volatile boolean timedOut;

  /** {@code channel}: connected to the peer. */
  RawDatagramLink(DatagramChannel channel) {
    this.channel = channel;
    WATCHED.add(this);
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    channel.write(message);
  }

  @Override
  public int receive(ByteBuffer dst) throws IOException {
    long n = receives.get() + 1;
    receives.lazySet(n);
    int length;
    try {
      length = channel.read(dst);
    } catch (ClosedChannelException e) {
      throw timedOut ? timeout(e) : e;
    } finally {
      receives.lazySet(n + 1);
    }
    if (timedOut) {
      // junixsocket returns nothing, rather than failing, from a read ended by a close.
      throw timeout(null);
    }
    return length;
  }

  private static SocketTimeoutException timeout(Exception cause) {
    SocketTimeoutException e =
        new SocketTimeoutException("no datagram within " + DATAGRAM_TIMEOUT_MILLIS + " ms");
    e.initCause(cause);
    return e;
  }

  @Override
  public void close() throws IOException {
    WATCHED.remove(this);
    channel.close();
  }

  /** Every half timeout: a link still in the receive it was in last time has timed out. */
  private static void watch() {
    while (true) {
      try {
        Thread.sleep(DATAGRAM_TIMEOUT_MILLIS / 2);
      } catch (InterruptedException e) {
        return;
      }
      for (RawDatagramLink link : WATCHED) {
        long now = link.receives.get();
        if ((now & 1) == 1 && now == link.seen) {
          link.timedOut = true;
          WATCHED.remove(link);
          try {
            link.channel.close();
          } catch (IOException e) {
            // Closed either way.
          }
        }
        link.seen = now;
      }
    }
  }
}
