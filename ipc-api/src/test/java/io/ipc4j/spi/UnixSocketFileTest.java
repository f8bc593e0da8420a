package io.ipc4j.spi;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telling a live socket file from a stale one, over the JDK's Unix channels. */
@Timeout(30)
class UnixSocketFileTest {
  private static final Set<PosixFilePermission> OWNER =
      PosixFilePermissions.fromString("rw-------");

  private Path dir;

  @BeforeEach
  void createDirectory() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-usf-");
  }

  @AfterEach
  void deleteDirectory() throws Exception {
    Files.deleteIfExists(dir.resolve("s"));
    Files.delete(dir);
  }

  @Test
  void aListeningSocketIsLiveAndItsFileIsStaleOnceItCloses() throws Exception {
    Path path = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      assertTrue(UnixSocketFile.isLive(path), "listening");
    }
    assertTrue(Files.exists(path), "the JDK leaves the file");
    assertFalse(UnixSocketFile.isLive(path), "stale once closed");
  }

  /**
   * Kept, the private name a socket was bound at is a second link to its file, in the owner-only
   * directory the bind made; otherwise nothing of it is left.
   */
  @Test
  void keepsTheBoundNameOnlyWhenAsked() throws Exception {
    Endpoint endpoint = Endpoint.unix(dir.resolve("s"));
    try (ServerSocketChannel kept = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      UnixSocketFile file =
          UnixSocketFile.bind(
              endpoint, OWNER, p -> kept.bind(UnixDomainSocketAddress.of(p)), kept::isOpen, true);
      Path name = file.boundName().orElseThrow();
      assertEquals(dir, name.getParent().getParent(), name.toString());
      assertEquals("rwx------", PosixFilePermissions.toString(permissionsOf(name.getParent())));
      assertEquals(fileKey(endpoint.path()), fileKey(name), "the same socket file");
      Files.delete(name);
      Files.delete(name.getParent());
      assertTrue(file.deleteIfOwned());
    }
    try (ServerSocketChannel plain = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      UnixSocketFile file =
          UnixSocketFile.bind(
              endpoint, OWNER, p -> plain.bind(UnixDomainSocketAddress.of(p)), plain::isOpen);
      assertEquals(Optional.empty(), file.boundName());
      try (Stream<Path> entries = Files.list(dir)) {
        assertEquals(List.of(endpoint.path()), entries.collect(Collectors.toList()));
      }
      assertTrue(file.deleteIfOwned());
    }
  }

  /**
   * Another binder takes the path while this one binds at its private name: this bind is refused
   * naming the endpoint, the other's live socket keeps its file, and nothing of this bind is left.
   */
  @Test
  void aSocketThatTakesThePathWhileBindingWinsAndNothingIsLeftBehind() throws Exception {
    Endpoint endpoint = Endpoint.unix(dir.resolve("s"));
    try (ServerSocketChannel first = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      AddressInUseException e =
          assertThrows(
              AddressInUseException.class,
              () ->
                  UnixSocketFile.bind(
                      endpoint,
                      OWNER,
                      p -> {
                        first.bind(UnixDomainSocketAddress.of(p));
                        second.bind(UnixDomainSocketAddress.of(endpoint.path())); // the racer
                      },
                      first::isOpen));
      assertEquals(
          endpoint
              + ": address in use: "
              + endpoint.path()
              + " appeared while binding and a live socket listens there",
          e.getMessage());
      assertTrue(UnixSocketFile.isLive(endpoint.path()), "the racer's socket keeps its file");
      try (Stream<Path> entries = Files.list(dir)) {
        assertEquals(
            List.of(endpoint.path()),
            entries.collect(Collectors.toList()),
            "the private name and its directory are gone");
      }
    }
  }

  private static Set<PosixFilePermission> permissionsOf(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * Binders that all find one stale socket file and reclaim it at once: one of them gets the path,
   * the others are refused, and the path leads to the one that got it. Deleting the stale file by
   * name, a binder that probed it before another linked its live socket there deleted that socket's
   * file instead: two binds succeeded and the first one's server could no longer be reached.
   */
  @Test
  void bindersReclaimingOneStaleFileAtOnceLeaveThePathToTheOneThatGotIt() throws Exception {
    Path path = dir.resolve("s");
    Endpoint endpoint = Endpoint.unix(path);
    int binders = 4;
    ExecutorService pool = Executors.newFixedThreadPool(binders);
    try {
      for (int round = 0; round < 200; round++) {
        Files.deleteIfExists(path);
        leaveStaleSocketAt(path);
        CyclicBarrier start = new CyclicBarrier(binders);
        List<Future<ServerSocketChannel>> bound = new ArrayList<>();
        for (int b = 0; b < binders; b++) {
          bound.add(
              pool.submit(
                  () -> {
                    ServerSocketChannel server =
                        ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    start.await(10, TimeUnit.SECONDS);
                    try {
                      UnixSocketFile.bind(
                          endpoint,
                          OWNER,
                          p -> server.bind(UnixDomainSocketAddress.of(p)),
                          server::isOpen);
                      return server;
                    } catch (AddressInUseException refused) {
                      server.close();
                      return null;
                    }
                  }));
        }
        List<ServerSocketChannel> winners = new ArrayList<>();
        for (Future<ServerSocketChannel> f : bound) {
          ServerSocketChannel server = f.get(10, TimeUnit.SECONDS);
          if (server != null) {
            winners.add(server);
          }
        }
        try {
          assertEquals(1, winners.size(), "round " + round + ": binds that succeeded");
          try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
              SocketChannel accepted = winners.get(0).accept()) {
            assertTrue(accepted.isConnected(), "round " + round + ": the path leads to the winner");
          }
        } finally {
          for (ServerSocketChannel w : winners) {
            w.close();
          }
        }
        assertEquals(List.of(path), entries(), "round " + round + ": nothing else left behind");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The reclaim lock holds between processes: a binder in a child JVM finds the stale file while
   * this process holds the lock, and waits, leaving the file alone, until the lock is free.
   */
  @Test
  void aReclaimWaitsForAnotherProcessHoldingTheReclaimLock() throws Exception {
    Path path = dir.resolve("s");
    leaveStaleSocketAt(path);
    Object staleKey = fileKey(path);
    Path lockFile = UnixSocketFile.reclaimLockFor(path);
    Process child = null;
    try {
      try (FileChannel lock = openLockFile(lockFile);
          FileLock held = lock.lock()) {
        child = startChildBinder(path);
        awaitOpenedBy(child, lockFile);
        assertEquals(staleKey, fileKey(path), "the stale file, left alone while the lock is held");
      }
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII));
      assertEquals("bound", out.readLine(), "the child, once the lock is free");
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
        assertEquals("accepted", out.readLine(), "the path leads to the child's socket");
      }
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      assertEquals(List.of(), entries(), "no lock file left, and the child deleted its socket");
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }

  /** A reclaim lock that stays held ends the wait with an error naming the path and the lock. */
  @Test
  void aReclaimLockHeldTooLongIsAClearError() throws Exception {
    Path path = dir.resolve("s");
    leaveStaleSocketAt(path);
    Path lockFile = UnixSocketFile.reclaimLockFor(path);
    Process child = null;
    try (FileChannel lock = openLockFile(lockFile);
        FileLock held = lock.lock()) {
      child = startChildBinder(path);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("refused: "), "the child: " + line);
      assertTrue(
          line.contains(path.toString()) && line.contains(lockFile.toString()),
          "names the path and the lock: " + line);
      assertTrue(line.contains("5 s"), "says how long it waited: " + line);
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the stale file, left alone");
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      Files.deleteIfExists(lockFile);
    }
  }

  private static Process startChildBinder(Path path) throws IOException {
    return startChild(ChildBinder.class, path);
  }

  private static Process startChild(Class<?> main, Path path) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            path.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /**
   * A reclaim lock taken in another process is held there until released: looking at it from here
   * does not drop it (a read through a descriptor that is then closed dropped every lock of the
   * process on the file).
   */
  @Test
  void aReclaimLockTakenInAnotherProcessStaysHeldUntilReleased() throws Exception {
    Path path = dir.resolve("s");
    Path lockFile = UnixSocketFile.reclaimLockFor(path);
    Process child = startChild(ChildLocker.class, path);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII));
      assertEquals("locked", out.readLine());
      try (FileChannel lock = openLockFile(lockFile)) {
        assertEquals(null, lock.tryLock(), "held by the child");
      }
      child.getOutputStream().close();
      assertEquals("released", out.readLine());
      assertFalse(Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS), "deleted on release");
    } finally {
      child.destroyForcibly();
    }
  }

  /** A symbolic link in the lock file's place is never followed: nothing is written through it. */
  @Test
  void aSymbolicLinkInPlaceOfTheReclaimLockIsRefusedAndNotFollowed() throws Exception {
    Path path = dir.resolve("s");
    leaveStaleSocketAt(path);
    Path victim = dir.resolve("victim");
    Files.writeString(victim, "precious", US_ASCII);
    Path lockFile = UnixSocketFile.reclaimLockFor(path);
    Files.createSymbolicLink(lockFile, victim);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      AddressInUseException e =
          assertThrows(
              AddressInUseException.class,
              () ->
                  UnixSocketFile.bind(
                      Endpoint.unix(path),
                      OWNER,
                      p -> server.bind(UnixDomainSocketAddress.of(p)),
                      server::isOpen));
      assertTrue(
          e.getMessage().contains(lockFile.toString()) && e.getMessage().contains("symbolic link"),
          e.getMessage());
    } finally {
      Files.delete(lockFile);
    }
    assertEquals("precious", Files.readString(victim, US_ASCII));
    Files.delete(victim);
  }

  /**
   * An interrupted reclaim says so, naming the endpoint, keeps the interrupt and leaves no lock.
   */
  @Test
  void anInterruptedReclaimIsAnInterruptedIoExceptionNamingTheEndpoint() throws Exception {
    Path path = dir.resolve("s");
    leaveStaleSocketAt(path);
    Endpoint endpoint = Endpoint.unix(path);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      Thread.currentThread().interrupt();
      InterruptedIOException e =
          assertThrows(
              InterruptedIOException.class,
              () ->
                  UnixSocketFile.bind(
                      endpoint,
                      OWNER,
                      p -> server.bind(UnixDomainSocketAddress.of(p)),
                      server::isOpen));
      assertTrue(Thread.interrupted(), "the interrupt is kept");
      assertTrue(e.getMessage().contains(endpoint.toString()), e.getMessage());
    }
    assertEquals(List.of(path), entries(), "the stale file, and no lock file");
  }

  /**
   * A socket closed before its file was deleted (an accept interrupted closes the channel) leaves
   * the file to whoever reclaims it: the file at the path may be another binder's since, and on a
   * file system that reuses inode numbers at once (ext4), with this socket's old number.
   */
  @Test
  void aSocketClosedBeforeItsFileLeavesTheFileToTheNextBinder() throws Exception {
    Path path = dir.resolve("s");
    Endpoint endpoint = Endpoint.unix(path);
    for (int round = 0; round < 20; round++) {
      UnixSocketFile first;
      try (ServerSocketChannel closedEarly =
          ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        first =
            UnixSocketFile.bind(
                endpoint,
                OWNER,
                p -> closedEarly.bind(UnixDomainSocketAddress.of(p)),
                closedEarly::isOpen);
      }
      try (ServerSocketChannel next = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        UnixSocketFile second =
            UnixSocketFile.bind(
                endpoint, OWNER, p -> next.bind(UnixDomainSocketAddress.of(p)), next::isOpen);
        assertFalse(first.deleteIfOwned(), "round " + round + ": the first socket's file is gone");
        assertTrue(UnixSocketFile.isLive(path), "round " + round + ": the next socket's file");
        assertTrue(second.deleteIfOwned());
      }
    }
  }

  /** A socket file at {@code path} that nobody listens on: the JDK leaves it when it closes. */
  private static void leaveStaleSocketAt(Path path) throws IOException {
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(path));
    }
  }

  /** The reclaim lock's file, opened as a binder in another process would, to lock it. */
  private static FileChannel openLockFile(Path lockFile) throws IOException {
    return FileChannel.open(
        lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Waits until {@code process} has {@code file} open (its descriptors in /proc). */
  private static void awaitOpenedBy(Process process, Path file) throws Exception {
    Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Stream<Path> open = Files.list(fds)) {
        if (open.anyMatch(fd -> file.equals(targetOrNull(fd)))) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the child never opened " + file + "; alive: " + process.isAlive());
  }

  private static Path targetOrNull(Path link) {
    try {
      return Files.readSymbolicLink(link);
    } catch (IOException gone) {
      return null;
    }
  }

  /**
   * Binds a stale path in a JVM of its own: prints "bound", then "accepted" for a connection; or
   * "refused: " and why.
   */
  static final class ChildBinder {
    public static void main(String[] args) throws IOException {
      Path path = Path.of(args[0]);
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        UnixSocketFile file;
        try {
          file =
              UnixSocketFile.bind(
                  Endpoint.unix(path),
                  OWNER,
                  p -> server.bind(UnixDomainSocketAddress.of(p)),
                  server::isOpen);
        } catch (AddressInUseException e) {
          System.out.println("refused: " + e.getMessage());
          return;
        }
        System.out.println("bound");
        try (SocketChannel accepted = server.accept()) {
          System.out.println("accepted");
        }
        file.deleteIfOwned();
      }
    }
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.collect(Collectors.toList());
    }
  }

  /** A file gone between a look at it and the probe leaves nothing to refuse a bind over. */
  @Test
  void noFileIsNotLive() {
    assertFalse(UnixSocketFile.isLive(dir.resolve("s")));
  }

  /**
   * Takes the reclaim lock of a path in a JVM of its own: prints "locked", releases it when its
   * standard input ends, prints "released".
   */
  static final class ChildLocker {
    public static void main(String[] args) throws IOException {
      try (UnixSocketFile.ReclaimLock lock =
          UnixSocketFile.ReclaimLock.take(Endpoint.unix(Path.of(args[0])), true)) {
        System.out.println("locked");
        while (System.in.read() >= 0) {
          // until the parent closes it
        }
      }
      System.out.println("released");
    }
  }
}
