package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.spi.UnixSocketFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a path-bound datagram socket answerable. {@link UnixSocketFile} binds at a temporary name
 * in a private directory and then links the socket under its real name; but the kernel gives every
 * datagram the name the socket was bound at, which is gone by then, so a peer's reply to the sender
 * it was told about fails. The temporary name is linked to the socket again, in a directory that
 * lets through those whom the socket's permissions let send, and deleted on close.
 *
 * <p>If that name was taken meanwhile (the race is short, and whoever wins could have taken it
 * later anyway), the socket still works, but peers cannot answer it: this is logged.
 */
final class AnswerableName implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(AnswerableName.class);

  private final Path link;
  private final Object fileKey;

  private AnswerableName(Path link, Object fileKey) {
    this.link = link;
    this.fileKey = fileKey;
  }

  /**
   * Links the name {@code channel} was bound at to the socket file of {@code endpoint}.
   *
   * @return what deletes the link again, or null if there is nothing to delete
   */
  static Closeable keep(
      AFUNIXDatagramChannel channel, Endpoint endpoint, Set<PosixFilePermission> permissions) {
    Path bound;
    try {
      AFUNIXSocketAddress address = channel.getLocalAddress();
      bound = address == null || address.getPath().isEmpty() ? null : Path.of(address.getPath());
    } catch (IOException e) {
      log.warn("{}: peers cannot answer datagrams sent from this socket: {}", endpoint, e);
      return null;
    }
    if (bound == null || bound.equals(endpoint.path()) || bound.getParent() == null) {
      return null; // bound in place: its name is its own
    }
    Path dir = bound.getParent();
    try {
      Object key = fileKey(endpoint.path());
      Set<PosixFilePermission> traverse = EnumSet.of(PosixFilePermission.OWNER_READ);
      traverse.add(PosixFilePermission.OWNER_WRITE);
      traverse.add(PosixFilePermission.OWNER_EXECUTE);
      if (permissions.contains(PosixFilePermission.GROUP_WRITE)) {
        traverse.add(PosixFilePermission.GROUP_EXECUTE);
      }
      if (permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        traverse.add(PosixFilePermission.OTHERS_EXECUTE);
      }
      Files.createDirectory(
          dir,
          PosixFilePermissions.asFileAttribute(
              EnumSet.of(
                  PosixFilePermission.OWNER_READ,
                  PosixFilePermission.OWNER_WRITE,
                  PosixFilePermission.OWNER_EXECUTE)));
      try {
        Files.createLink(bound, endpoint.path());
        if (!Objects.equals(key, fileKey(bound))) {
          throw new IOException(endpoint.path() + " was replaced while linking it");
        }
        Files.setPosixFilePermissions(dir, traverse);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(bound);
        Files.deleteIfExists(dir);
        throw e;
      }
      return new AnswerableName(bound, key);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "{}: peers cannot answer datagrams sent from this socket, whose kernel name {} could"
              + " not be kept: {}",
          endpoint,
          bound,
          e.toString());
      return null;
    }
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
