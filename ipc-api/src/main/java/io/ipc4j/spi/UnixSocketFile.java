package io.ipc4j.spi;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole life of a listener's Unix socket file, for every provider that binds socket paths.
 *
 * <ul>
 *   <li>A path held by a live socket is refused with {@link AddressInUseException}; the probe is a
 *       non-blocking connect, so a busy server does not stall it.
 *   <li>A stale socket file (nobody listening) is reclaimed, under a lock ({@code .NAME.lock} next
 *       to it, there only while reclaiming) that binders reclaiming one file at once share: a
 *       binder deletes the stale file, never another's live socket linked there since it looked.
 *   <li>A path that exists and is not a socket is never deleted: {@link AddressInUseException}.
 *   <li>The socket is bound inside a fresh owner-only directory next to the target ({@value
 *       #PRIVATE_BIND_OVERHEAD} bytes longer than the path), given its permissions there, and then
 *       hard-linked to its name: by the time anyone can reach it, its mode is final. A path too
 *       long for that is refused, unless the permissions let everyone connect anyway.
 *   <li>{@link #deleteIfOwned()} deletes the file only if it is still the one bound here, and only
 *       while the socket is open.
 * </ul>
 */
public final class UnixSocketFile {
  private static final Logger log = LoggerFactory.getLogger(UnixSocketFile.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final SecureRandom random = new SecureRandom();

  /**
   * How long a binder waits for another process's reclaim of the same stale file, which takes
   * microseconds: longer means that process is stopped, or the lock file is another user's.
   */
  static final Duration RECLAIM_LOCK_WAIT = Duration.ofSeconds(5);

  /**
   * This process's reclaims, one at a time: the system's file locks belong to a process, not to a
   * thread, and the JDK refuses a second lock on a file that the process has locked.
   */
  private static final ReentrantLock RECLAIMING = new ReentrantLock();

  private static final Set<OpenOption> LOCK_OPEN =
      Set.of(
          StandardOpenOption.CREATE,
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);

  private static final Set<PosixFilePermission> OWNER_RW =
      PosixFilePermissions.fromString("rw-------");

  /** How much longer than its path the temporary path of a private bind is: "/.iXXXX/s". */
  public static final int PRIVATE_BIND_OVERHEAD = 9;

  /** Binds a provider's socket to a path. */
  @FunctionalInterface
  public interface Binder {
    /** Binds (and listens, for a stream socket) at {@code path}. */
    void bind(Path path) throws IOException;
  }

  private final Endpoint endpoint;
  private final Path path;
  private final Object fileKey;
  private final BooleanSupplier socketOpen;
  private final Path boundName;

  private UnixSocketFile(
      Endpoint endpoint, Path path, Object fileKey, BooleanSupplier socketOpen, Path boundName) {
    this.endpoint = endpoint;
    this.path = path;
    this.fileKey = fileKey;
    this.socketOpen = socketOpen;
    this.boundName = boundName;
  }

  /**
   * Binds a socket at {@code endpoint}'s path with the given permissions.
   *
   * @param socketOpen whether the socket bound is still open (see {@link #deleteIfOwned()})
   * @throws AddressInUseException if a live socket holds the path, or the path is not a socket
   * @throws IllegalArgumentException if the path is too long to bind privately (see above)
   * @throws IOException if binding fails otherwise
   */
  public static UnixSocketFile bind(
      Endpoint endpoint,
      Set<PosixFilePermission> permissions,
      Binder binder,
      BooleanSupplier socketOpen)
      throws IOException {
    return bind(endpoint, permissions, binder, socketOpen, false);
  }

  /**
   * Binds as {@link #bind(Endpoint, Set, Binder, BooleanSupplier)} does; with {@code
   * keepBoundName}, the private name the socket was bound at, and its owner-only directory, stay
   * (see {@link #boundName()}): a datagram socket's kernel name, which its peers answer to.
   * Deleting them again is the caller's. Kept from the bind on, the directory is never absent, so
   * no other user can create it meanwhile and be answered in this socket's place.
   */
  public static UnixSocketFile bind(
      Endpoint endpoint,
      Set<PosixFilePermission> permissions,
      Binder binder,
      BooleanSupplier socketOpen,
      boolean keepBoundName)
      throws IOException {
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(socketOpen, "socketOpen");
    Path path = endpoint.path();
    boolean posix = Files.getFileStore(parentOf(path)).supportsFileAttributeView("posix");
    if (isStale(endpoint, path)) {
      reclaim(endpoint, path, posix);
    }
    if (!posix || !fits(path, PRIVATE_BIND_OVERHEAD)) {
      if (posix && !permissions.containsAll(WORLD_CONNECT)) {
        int bytes = bytes(path);
        throw new IllegalArgumentException(
            "unix socket path too long to bind privately: "
                + bytes
                + " bytes (expected: at most "
                + (Endpoint.maxUnixPathBytes() - PRIVATE_BIND_OVERHEAD)
                + " bytes, so that the socket gets its permissions in a private directory before"
                + " it appears): "
                + endpoint);
      }
      // Bound where it is found, so under the reclaim lock: between its bind and its listen the
      // file refuses connections as a stale one does, and a reclaim would delete it.
      try (ReclaimLock lock = ReclaimLock.take(endpoint, posix)) {
        binder.bind(path);
        if (posix) {
          Files.setPosixFilePermissions(path, permissions);
        }
      }
    } else {
      Path dir = privateDirectoryFor(path);
      Path temporary = dir.resolve("s");
      boolean kept = false;
      try {
        binder.bind(temporary);
        Files.setPosixFilePermissions(temporary, permissions);
        // The key of this socket's own file, read where nobody else can put one: read at the path
        // after linking, it would be another binder's if one took the path in between.
        Object key = fileKey(temporary);
        linkInPlace(endpoint, temporary, path);
        kept = keepBoundName;
        return new UnixSocketFile(endpoint, path, key, socketOpen, kept ? temporary : null);
      } finally {
        if (!kept) {
          Files.deleteIfExists(temporary);
          Files.deleteIfExists(dir);
        }
      }
    }
    return new UnixSocketFile(endpoint, path, fileKey(path), socketOpen, null);
  }

  /** The socket file's path, as the endpoint gives it. */
  public Path path() {
    return path;
  }

  /**
   * The private name the socket was bound at, if it was bound at one and kept ({@code
   * DIR/.iXXXX/s}, a second link to the socket file in an owner-only directory); empty otherwise.
   */
  public Optional<Path> boundName() {
    return Optional.ofNullable(boundName);
  }

  /**
   * Deletes the socket file if it is still the one bound here: another process may have reclaimed
   * the path since. Call it before closing the socket: while the socket is open, nobody takes its
   * file for stale, and its file's inode number cannot pass to another file. Once the socket has
   * closed (an accept interrupted, which closes the channel, say), the file is left, stale: the
   * file at the path may be another binder's since, with the same inode number, freed and reused.
   *
   * @return whether the file was deleted
   */
  public boolean deleteIfOwned() throws IOException {
    if (!socketOpen.getAsBoolean()) {
      log.debug("{}: socket closed before its file was deleted, leaving the file", endpoint);
      return false;
    }
    Object current = fileKey(path);
    if (current == null || !current.equals(fileKey)) {
      log.debug("{}: socket file replaced or gone, leaving it", endpoint);
      return false;
    }
    return Files.deleteIfExists(path);
  }

  private static final Set<PosixFilePermission> WORLD_CONNECT =
      Set.of(
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_WRITE);

  /**
   * Whether a socket listens at {@code path}. Never blocks: a non-blocking connect either succeeds,
   * is refused (stale file), or fails in a way that means someone holds it.
   */
  public static boolean isLive(Path path) {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.configureBlocking(false);
      probe.connect(UnixDomainSocketAddress.of(path));
      return true;
    } catch (ConnectException refused) {
      return false;
    } catch (IOException other) {
      // EPROTOTYPE (a live socket of another type), EAGAIN (backlog full), EACCES: all taken;
      // unless there is no file (ENOENT: gone since it was looked at), which nobody holds.
      return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Whether {@code path} is a stale socket file: false if there is no file.
   *
   * @throws AddressInUseException if a live socket listens there, or the file is not a socket
   */
  private static boolean isStale(Endpoint endpoint, Path path) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException absent) {
      return false;
    } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new AddressInUseException(
            endpoint,
            endpoint + ": the path exists and cannot be checked; not replacing it",
            false);
      }
      return false;
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new AddressInUseException(
          endpoint,
          endpoint
              + ": the path exists and is not a socket ("
              + describe(mode)
              + "); not replacing it",
          false);
    }
    if (isLive(path)) {
      throw new AddressInUseException(
          endpoint, endpoint + ": address in use: a live socket listens at " + path, true);
    }
    return true;
  }

  /**
   * Deletes the stale socket file at {@code path} under the reclaim lock, after a second look.
   * Binders that found the file stale at once would otherwise each delete it by name, and a later
   * delete would take an earlier binder's live socket off the path: two binds succeeded, and the
   * first server listened where nobody could reach it. Binders put their sockets at the path only
   * by linking into an empty path ({@link #linkInPlace}) or under the lock, so under the lock the
   * file looked at is the file deleted.
   */
  private static void reclaim(Endpoint endpoint, Path path, boolean posix) throws IOException {
    try (ReclaimLock lock = ReclaimLock.take(endpoint, posix)) {
      if (isStale(endpoint, path)) {
        log.debug("{}: reclaiming stale socket file", endpoint);
        Files.deleteIfExists(path);
      }
    }
  }

  /** The reclaim lock's file for a socket path: {@code .NAME.lock} next to it. */
  static Path reclaimLockFor(Path path) {
    String name = "." + path.getFileName() + ".lock";
    Path parent = path.getParent();
    return parent == null ? Path.of(name) : parent.resolve(name);
  }

  /**
   * This process's hold on the reclaim lock of one socket path: a {@link FileChannel} lock on its
   * lock file, which the system drops if the process dies. The holder deletes the file before it
   * unlocks, so a binder that waited on it may lock a file that is no longer at the path; a lock
   * counts only once a second channel, opened at the path, finds the file locked by this process.
   * Both channels stay open until release: closing any descriptor of a file drops every lock the
   * process holds on it. Nothing is ever written to the file.
   */
  static final class ReclaimLock implements AutoCloseable {
    private final Path file;
    private final FileChannel locked;
    private final FileChannel atPath;

    private ReclaimLock(Path file, FileChannel locked, FileChannel atPath) {
      this.file = file;
      this.locked = locked;
      this.atPath = atPath;
    }

    /**
     * Takes the reclaim lock of {@code endpoint}'s path, waiting up to {@link #RECLAIM_LOCK_WAIT}
     * for another process (or thread) that holds it.
     */
    static ReclaimLock take(Endpoint endpoint, boolean posix) throws IOException {
      try {
        RECLAIMING.lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(endpoint);
      }
      boolean taken = false;
      try {
        ReclaimLock lock = lockFile(endpoint, reclaimLockFor(endpoint.path()), posix);
        taken = true;
        return lock;
      } catch (ClosedByInterruptException e) {
        throw interrupted(endpoint);
      } finally {
        if (!taken) {
          RECLAIMING.unlock();
        }
      }
    }

    private static ReclaimLock lockFile(Endpoint endpoint, Path file, boolean posix)
        throws IOException {
      long deadline = System.nanoTime() + RECLAIM_LOCK_WAIT.toNanos();
      IOException unusable = null;
      FileChannel channel = null;
      try {
        for (long pauseMillis = 1; ; pauseMillis = Math.min(2 * pauseMillis, 50)) {
          if (channel == null) {
            try {
              channel =
                  posix
                      ? FileChannel.open(
                          file, LOCK_OPEN, PosixFilePermissions.asFileAttribute(OWNER_RW))
                      : FileChannel.open(file, LOCK_OPEN);
            } catch (IOException e) {
              if (e instanceof AccessDeniedException
                  && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new AccessDeniedException(
                    file.toString(),
                    null,
                    endpoint + ": cannot create the reclaim lock file of a stale socket file");
              }
              if (Files.isSymbolicLink(file)) {
                throw new AddressInUseException(
                    endpoint,
                    endpoint
                        + ": the reclaim lock file "
                        + file
                        + " of the stale socket file "
                        + endpoint.path()
                        + " is a symbolic link, which is never followed; remove it",
                    false);
              }
              unusable = e; // Another user's file, say: it may yet go.
            }
          }
          if (channel != null && channel.tryLock() != null) {
            FileChannel atPath = openIfLockedHere(file);
            if (atPath != null) {
              ReclaimLock lock = new ReclaimLock(file, channel, atPath);
              channel = null;
              return lock;
            }
            // Locked after its holder deleted it: the lock to take is the file at the path now.
            channel.close();
            channel = null;
            continue;
          }
          if (System.nanoTime() - deadline > 0) {
            throw busy(endpoint, file, unusable);
          }
          try {
            Thread.sleep(pauseMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(endpoint);
          }
        }
      } finally {
        if (channel != null) {
          channel.close();
        }
      }
    }

    /**
     * A channel on the file now at {@code file}'s path if it is the file this process has locked,
     * or null. The JDK refuses a lock that overlaps one its JVM holds on the same file (it knows
     * files by device and inode), and RECLAIMING makes this thread the only one here that locks.
     */
    private static FileChannel openIfLockedHere(Path file) throws IOException {
      FileChannel atPath;
      try {
        atPath = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException gone) {
        return null; // Deleted, or another user's file or a link in its place since.
      }
      boolean lockedHere = false;
      try {
        FileLock other = atPath.tryLock(0, Long.MAX_VALUE, true);
        if (other != null) {
          other.release();
        }
      } catch (OverlappingFileLockException sameFile) {
        lockedHere = true;
      } finally {
        if (!lockedHere) {
          atPath.close(); // Another file: closing it drops no lock of this process.
        }
      }
      return lockedHere ? atPath : null;
    }

    private static AddressInUseException busy(Endpoint endpoint, Path file, IOException cause) {
      AddressInUseException busy =
          new AddressInUseException(
              endpoint,
              endpoint
                  + ": the reclaim lock "
                  + file
                  + " of the socket file "
                  + endpoint.path()
                  + " has been held or unusable for "
                  + RECLAIM_LOCK_WAIT.toSeconds()
                  + " s; if no binder of that path is running, remove it",
              false);
      if (cause != null) {
        busy.initCause(cause);
      }
      return busy;
    }

    private static InterruptedIOException interrupted(Endpoint endpoint) {
      return new InterruptedIOException(
          endpoint + ": interrupted while waiting for the socket file's reclaim lock");
    }

    /** Deletes the lock file, still locked, then unlocks it. */
    @Override
    public void close() throws IOException {
      try {
        Files.deleteIfExists(file);
      } finally {
        try {
          atPath.close();
        } finally {
          try {
            locked.close();
          } finally {
            RECLAIMING.unlock();
          }
        }
      }
    }
  }

  private static void linkInPlace(Endpoint endpoint, Path temporary, Path path) throws IOException {
    try {
      Files.createLink(path, temporary);
    } catch (FileAlreadyExistsException raced) {
      boolean alive = isLive(path);
      throw new AddressInUseException(
          endpoint,
          endpoint
              + ": address in use: "
              + path
              + " appeared while binding"
              + (alive ? " and a live socket listens there" : ""),
          alive);
    }
  }

  private static Path privateDirectoryFor(Path path) throws IOException {
    Path parent = path.getParent();
    FileAlreadyExistsException last = null;
    for (int attempt = 0; attempt < 16; attempt++) {
      int n = 36 * 36 * 36 + random.nextInt(35 * 36 * 36 * 36); // always 4 base-36 digits
      String name = ".i" + Integer.toString(n, 36);
      Path dir = parent == null ? Path.of(name) : parent.resolve(name);
      try {
        return Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException taken) {
        last = taken;
      }
    }
    throw last;
  }

  private static boolean fits(Path path, int extra) {
    return bytes(path) + extra <= Endpoint.maxUnixPathBytes();
  }

  private static int bytes(Path path) {
    return path.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private static Path parentOf(Path path) {
    Path parent = path.toAbsolutePath().getParent();
    return parent == null ? path.toAbsolutePath().getRoot() : parent;
  }

  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  private static String describe(int mode) {
    switch (mode & S_IFMT) {
      case 0100000:
        return "a regular file";
      case 0040000:
        return "a directory";
      case 0120000:
        return "a symbolic link";
      case 0010000:
        return "a fifo";
      default:
        return "file type " + Integer.toOctalString(mode & S_IFMT);
    }
  }
}
