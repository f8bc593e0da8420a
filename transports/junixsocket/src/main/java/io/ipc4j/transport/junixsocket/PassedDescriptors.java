package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.newsclub.net.unix.AFUNIXSocketExtensions;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptors (SCM_RIGHTS) of one junixsocket socket: those to attach to its next write,
 * and those its reads received that nobody has taken yet. Works around three things junixsocket
 * does:
 *
 * <ul>
 *   <li>It receives descriptors only into an ancillary buffer of exactly 256 bytes, whatever size
 *       is asked for (2.11.1), which holds one SCM_RIGHTS message of {@value #MAX_PER_WRITE}
 *       descriptors; the receiver of a message with more fails with "No buffer space available" and
 *       loses it. Writes are limited accordingly.
 *   <li>It crashes the JVM (SIGSEGV) when asked to send a null descriptor: every one is checked.
 *   <li>It closes every descriptor it ever received when the socket closes, even those handed out.
 *       The caller gets duplicates instead, and the originals are closed at once.
 * </ul>
 *
 * <p>Descriptors are received only where asked for ({@link
 * io.ipc4j.StandardIpcOptions#RECEIVE_DESCRIPTORS}): elsewhere reads leave no room for them, so the
 * kernel closes any a peer sends, and a read is a plain {@code recv} rather than a {@code recvmsg}
 * with a control buffer. Since any peer can send descriptors, at most {@value #MAX_UNCLAIMED} are
 * kept for the caller; older ones are closed (and reported) rather than let a peer exhaust this
 * process's descriptors.
 */
final class PassedDescriptors {
  private static final Logger log = LoggerFactory.getLogger(PassedDescriptors.class);
  private static final FileDescriptor[] NONE = new FileDescriptor[0];

  /** The most descriptors one write may carry (see the class comment). */
  static final int MAX_PER_WRITE = 60;

  /** The ancillary receive buffer junixsocket uses whatever is asked. */
  static final int RECEIVE_BUFFER = 256;

  /** How many received descriptors are kept for the caller: SCM_MAX_FD, one message's worth. */
  static final int MAX_UNCLAIMED = 253;

  private final AFUNIXSocketExtensions channel;
  private final Endpoint peer;
  private final boolean receiving;
  private final AtomicReference<FileDescriptor[]> outbound = new AtomicReference<>();
  private final ArrayDeque<FileDescriptor> unclaimed = new ArrayDeque<>();

  /**
   * The descriptors of {@code channel}, a socket connected to {@code peer}; if {@code receiving},
   * enables receiving them.
   */
  PassedDescriptors(AFUNIXSocketExtensions channel, Endpoint peer, boolean receiving) {
    this.channel = channel;
    this.peer = peer;
    this.receiving = receiving;
    if (receiving) {
      channel.setAncillaryReceiveBufferSize(RECEIVE_BUFFER);
    }
  }

  /** Whether descriptors are received: see the class comment. */
  boolean receiving() {
    return receiving;
  }

  /**
   * Attaches {@code descriptors} to the next write; an empty array attaches none.
   *
   * @throws IllegalArgumentException if a descriptor is null or not valid, or there are more than
   *     {@value #MAX_PER_WRITE}
   */
  void attach(FileDescriptor... descriptors) {
    if (descriptors.length > MAX_PER_WRITE) {
      throw new IllegalArgumentException(
          descriptors.length
              + " file descriptors (expected: at most "
              + MAX_PER_WRITE
              + " per message, what junixsocket can receive): "
              + peer);
    }
    FileDescriptor[] copy = descriptors.clone();
    for (FileDescriptor fd : copy) {
      if (fd == null || !fd.valid()) {
        throw new IllegalArgumentException(
            "invalid file descriptor (expected: an open one): " + fd + " for " + peer);
      }
    }
    outbound.set(copy.length == 0 ? null : copy);
  }

  /**
   * Hands the attached descriptors, if any, to the channel for the write about to be made, and
   * returns them (null if none), so that a write that sent nothing can hand them again with {@link
   * #beforeRetry}: junixsocket lets go of them before its system call.
   */
  FileDescriptor[] beforeWrite() throws IOException {
    FileDescriptor[] fds = outbound.getAndSet(null);
    beforeRetry(fds);
    return fds;
  }

  /** Hands {@code fds} from {@link #beforeWrite} (null: none) to the channel again. */
  void beforeRetry(FileDescriptor[] fds) throws IOException {
    if (fds != null) {
      channel.setOutboundFileDescriptors(fds);
    }
  }

  /** Keeps the descriptors the last read received, if any, for {@link #take()}. */
  void afterRead() throws IOException {
    if (!receiving) {
      return;
    }
    FileDescriptor[] received = channel.getReceivedFileDescriptors();
    if (received == null || received.length == 0) {
      return;
    }
    int dropped = 0;
    synchronized (unclaimed) {
      unclaimed.addAll(Arrays.asList(received));
      while (unclaimed.size() > MAX_UNCLAIMED) {
        closeQuietly(unclaimed.removeFirst());
        dropped++;
      }
    }
    if (dropped > 0) {
      log.warn(
          "{}: closed {} received file descriptors nobody took (at most {} are kept)",
          peer,
          dropped,
          MAX_UNCLAIMED);
    }
  }

  /**
   * Returns and forgets the descriptors received since the last call, as duplicates the caller
   * owns; closes the originals, which junixsocket would close with the socket.
   *
   * @throws UncheckedIOException if a descriptor cannot be duplicated (all are closed then)
   */
  FileDescriptor[] take() {
    FileDescriptor[] originals;
    synchronized (unclaimed) {
      if (unclaimed.isEmpty()) {
        return NONE;
      }
      originals = unclaimed.toArray(NONE);
      unclaimed.clear();
    }
    FileDescriptor[] owned = new FileDescriptor[originals.length];
    IOException failure = null;
    for (int i = 0; i < originals.length; i++) {
      try {
        if (failure == null) {
          owned[i] = FileDescriptorCast.duplicating(originals[i]).getFileDescriptor();
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        closeQuietly(originals[i]);
      }
    }
    if (failure != null) {
      for (FileDescriptor fd : owned) {
        if (fd != null) {
          closeQuietly(fd);
        }
      }
      throw new UncheckedIOException(
          peer + ": cannot take the received file descriptors: " + failure.getMessage(), failure);
    }
    return owned;
  }

  /** Closes a descriptor through a stream, which is how Java closes a bare FileDescriptor. */
  static void closeQuietly(FileDescriptor fd) {
    if (!fd.valid()) {
      return;
    }
    try {
      new FileInputStream(fd).close();
    } catch (IOException e) {
      log.debug("closing file descriptor {} failed", fd, e);
    }
  }
}
