package io.ipc4j.transport.junixsocket;

import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a path-bound datagram socket answerable. {@link UnixSocketFile} binds at a private name in
 * an owner-only directory and then links the socket under its real name; but the kernel gives every
 * datagram the name the socket was bound at, so a peer's reply goes there. That name is kept from
 * the bind ({@link UnixSocketFile#boundName()}), and its directory opened to those whom the
 * socket's permissions let send; both are deleted on close. Kept from the start, the directory is
 * never absent: deleted and made again, another user could have made it first in a shared directory
 * such as {@code /tmp}, bound there, and been answered in this socket's place.
 */
final class AnswerableName implements Closeable {
  private final Path link;
  private final Object fileKey;

  private AnswerableName(Path link, Object fileKey) {
    this.link = link;
    this.fileKey = fileKey;
  }

  /**
   * Opens the directory of {@code file}'s kept bound name to those {@code permissions} let send.
   *
   * @return what deletes the name and its directory again, or null if the socket was bound in place
   *     (its kernel name is its own)
   * @throws IOException if the directory cannot be opened; the name and directory are deleted
   */
  static Closeable keep(UnixSocketFile file, Set<PosixFilePermission> permissions)
      throws IOException {
    Optional<Path> kept = file.boundName();
    if (kept.isEmpty()) {
      return null;
    }
    Path name = kept.get();
    Path dir = name.getParent();
    Set<PosixFilePermission> traverse = EnumSet.of(PosixFilePermission.OWNER_READ);
    traverse.add(PosixFilePermission.OWNER_WRITE);
    traverse.add(PosixFilePermission.OWNER_EXECUTE);
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)) {
      traverse.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      traverse.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    AnswerableName answerable = new AnswerableName(name, fileKey(name));
    try {
      Files.setPosixFilePermissions(dir, traverse);
    } catch (IOException | RuntimeException e) {
      try {
        answerable.close();
      } catch (IOException secondary) {
        e.addSuppressed(secondary);
      }
      throw e;
    }
    return answerable;
  }

  /** Deletes the link, if it is still this socket's, and its directory. */
  @Override
  public void close() throws IOException {
    Object current = fileKey(link);
    if (current != null && current.equals(fileKey)) {
      Files.deleteIfExists(link);
    }
    Files.deleteIfExists(link.getParent());
  }

  private static Object fileKey(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }
}
