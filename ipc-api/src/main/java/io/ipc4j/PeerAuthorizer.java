package io.ipc4j;

import java.util.Optional;

/**
 * Decides whether an {@link IpcServer} serves a peer, from what the kernel says about it. A peer
 * that is refused is disconnected before the handler sees it and reported to the {@link
 * IpcEventListener} as refused.
 *
 * <p>Defaults: a server on a Linux abstract name ({@code unix:@name}, which has no file
 * permissions) admits {@link #SAME_USER} only; every other server admits {@link #ANYONE} (a Unix
 * socket file is guarded by its permissions, TCP by the network).
 */
@FunctionalInterface
public interface PeerAuthorizer {
  /** Admits every peer. */
  PeerAuthorizer ANYONE = (peer, credentials) -> true;

  /**
   * Admits peers running as this process's user (by uid where the transport reports uids, by user
   * name where it reports names), and refuses peers whose credentials are unknown.
   */
  PeerAuthorizer SAME_USER =
      (peer, credentials) -> credentials.map(CurrentUser::matches).orElse(false);

  /**
   * Whether to serve {@code peer}.
   *
   * @param peer the peer's endpoint
   * @param credentials what the kernel reported about the peer process; empty on transports without
   *     {@link Capability#PEER_CREDENTIALS}
   */
  boolean authorize(Endpoint peer, Optional<PeerCredentials> credentials);
}
