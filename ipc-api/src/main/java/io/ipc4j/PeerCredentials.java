package io.ipc4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who is at the other end of a Unix domain socket, as the kernel saw it when the connection was
 * made (SO_PEERCRED). What is known depends on the transport: the JDK reports the user and group
 * names, junixsocket the numeric ids and the process id. Absent values are empty, never guessed.
 */
public final class PeerCredentials {
  private final String user;
  private final String group;
  private final long uid;
  private final long gid;
  private final long pid;
  private final long[] gids;

  private PeerCredentials(String user, String group, long uid, long gid, long pid, long[] gids) {
    this.user = user;
    this.group = group;
    this.uid = uid;
    this.gid = gid;
    this.pid = pid;
    this.gids = gids;
  }

  /** Credentials known by user and group name only. */
  public static PeerCredentials ofNames(String user, String group) {
    return new PeerCredentials(
        Objects.requireNonNull(user, "user"),
        Objects.requireNonNull(group, "group"),
        -1,
        -1,
        -1,
        new long[0]);
  }

  /**
   * Credentials known by number.
   *
   * @param pid the process id, or -1 if unknown
   * @throws IllegalArgumentException if {@code uid} or {@code gid} is negative
   */
  public static PeerCredentials ofIds(long uid, long gid, long pid) {
    return ofIds(uid, new long[] {gid}, pid);
  }

  /**
   * Credentials known by number, with every group the kernel reports.
   *
   * @param gids the groups, the primary one first
   * @param pid the process id, or -1 if unknown
   * @throws IllegalArgumentException if {@code uid} or a gid is negative, or no gid is given
   */
  public static PeerCredentials ofIds(long uid, long[] gids, long pid) {
    if (uid < 0 || gids.length == 0 || Arrays.stream(gids).anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException(
          "uid "
              + uid
              + ", gids "
              + Arrays.toString(gids)
              + " (expected: uid >= 0 and at least one gid, all >= 0)");
    }
    return new PeerCredentials(null, null, uid, gids[0], pid < 0 ? -1 : pid, gids.clone());
  }

  /** The peer's user name, where the transport reports names. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The peer's primary group name, where the transport reports names. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** The peer's user id, where the transport reports ids. */
  public OptionalLong uid() {
    return uid < 0 ? OptionalLong.empty() : OptionalLong.of(uid);
  }

  /** The peer's primary group id, where the transport reports ids. */
  public OptionalLong gid() {
    return gid < 0 ? OptionalLong.empty() : OptionalLong.of(gid);
  }

  /**
   * The peer's groups, the primary one first, where the transport reports ids; otherwise empty.
   * Returns a copy.
   */
  public long[] gids() {
    return gids.clone();
  }

  /** The peer's process id, where the transport reports it. */
  public OptionalLong pid() {
    return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PeerCredentials)) {
      return false;
    }
    PeerCredentials that = (PeerCredentials) o;
    return Objects.equals(user, that.user)
        && Objects.equals(group, that.group)
        && uid == that.uid
        && gid == that.gid
        && pid == that.pid
        && Arrays.equals(gids, that.gids);
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, group, uid, gid, pid, Arrays.hashCode(gids));
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("PeerCredentials[");
    if (user != null) {
      s.append("user=").append(user).append(", group=").append(group);
    } else {
      s.append("uid=").append(uid).append(", gids=").append(Arrays.toString(gids));
    }
    if (pid >= 0) {
      s.append(", pid=").append(pid);
    }
    return s.append(']').toString();
  }
}
