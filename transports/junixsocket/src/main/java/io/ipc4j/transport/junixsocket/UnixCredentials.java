package io.ipc4j.transport.junixsocket;

import io.ipc4j.Endpoint;
import io.ipc4j.PeerCredentials;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.LongStream;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.AFUNIXSocketExtensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The peer credentials (SO_PEERCRED) of a connected junixsocket socket. */
final class UnixCredentials {
  private static final Logger log = LoggerFactory.getLogger(UnixCredentials.class);

  private UnixCredentials() {}

  /**
   * The numeric credentials of the peer: user id, groups (the primary one first, then the others
   * the kernel reports) and process id; empty where junixsocket reports none.
   */
  static Optional<PeerCredentials> of(AFUNIXSocketExtensions channel, Endpoint remote) {
    try {
      AFUNIXSocketCredentials c = channel.getPeerCredentials();
      if (c == null || c.getUid() < 0 || c.getGid() < 0) {
        log.debug("{}: no peer credentials: {}", remote, c);
        return Optional.empty();
      }
      long gid = c.getGid();
      long[] others = c.getGids();
      long[] gids =
          LongStream.concat(
                  LongStream.of(gid),
                  others == null ? LongStream.empty() : Arrays.stream(others).filter(g -> g >= 0))
              .distinct()
              .toArray();
      return Optional.of(PeerCredentials.ofIds(c.getUid(), gids, c.getPid()));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("{}: no peer credentials", remote, e);
      return Optional.empty();
    }
  }
}
