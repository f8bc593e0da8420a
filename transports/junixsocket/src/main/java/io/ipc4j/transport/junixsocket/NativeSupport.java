package io.ipc4j.transport.junixsocket;

import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What junixsocket's native library can do here, probed once per JVM. */
final class NativeSupport {
  private static final Logger log = LoggerFactory.getLogger(NativeSupport.class);

  /** Why junixsocket cannot work here, or null if it can. */
  static final Throwable UNAVAILABLE;

  /** Whether Linux abstract names can be bound and connected. */
  static final boolean ABSTRACT_NAMESPACE;

  /** Whether the peer's credentials (uid, gid, pid) can be read. */
  static final boolean PEER_CREDENTIALS;

  static {
    Throwable cause = null;
    boolean abstractNamespace = false;
    boolean peerCredentials = false;
    try {
      // Throws with the loader's own failure as its cause when the native library did not load.
      AFSocket.ensureSupported();
      if (!AFSocket.supports(AFSocketCapability.CAPABILITY_UNIX_DOMAIN)) {
        throw new UnsupportedOperationException(
            "junixsocket "
                + AFSocket.getVersion()
                + " reports no Unix domain sockets on "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch"));
      }
      abstractNamespace = AFSocket.supports(AFSocketCapability.CAPABILITY_ABSTRACT_NAMESPACE);
      peerCredentials = AFSocket.supports(AFSocketCapability.CAPABILITY_PEER_CREDENTIALS);
      log.debug(
          "junixsocket {} loaded {}: abstract names {}, peer credentials {}",
          AFSocket.getVersion(),
          AFSocket.getLoadedLibrary(),
          abstractNamespace,
          peerCredentials);
    } catch (UnsupportedOperationException | LinkageError e) {
      log.debug("junixsocket unavailable", e);
      cause = e;
    }
    UNAVAILABLE = cause;
    ABSTRACT_NAMESPACE = abstractNamespace;
    PEER_CREDENTIALS = peerCredentials;
  }

  private NativeSupport() {}
}
