package io.ipc4j.transport.junixsocket;

import java.io.IOException;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
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

  /** Whether file descriptors can be sent and received (SCM_RIGHTS). */
  static final boolean FILE_DESCRIPTORS;

  /** Whether Unix datagram sockets can be opened. */
  static final boolean UNIX_DATAGRAMS;

  /** Whether Unix SOCK_SEQPACKET sockets can be opened (not on macOS): probed by opening one. */
  static final boolean SEQPACKET;

  static {
    Throwable cause = null;
    boolean abstractNamespace = false;
    boolean peerCredentials = false;
    boolean fileDescriptors = false;
    boolean unixDatagrams = false;
    boolean seqpacket = false;
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
      fileDescriptors = AFSocket.supports(AFSocketCapability.CAPABILITY_FILE_DESCRIPTORS);
      unixDatagrams = AFSocket.supports(AFSocketCapability.CAPABILITY_UNIX_DATAGRAMS);
      seqpacket = unixDatagrams && canOpenSeqpacket();
      log.debug(
          "junixsocket {} loaded {}: abstract names {}, peer credentials {}, file descriptors {},"
              + " datagrams {}, seqpacket {}",
          AFSocket.getVersion(),
          AFSocket.getLoadedLibrary(),
          abstractNamespace,
          peerCredentials,
          fileDescriptors,
          unixDatagrams,
          seqpacket);
    } catch (UnsupportedOperationException | LinkageError e) {
      log.debug("junixsocket unavailable", e);
      cause = e;
    }
    UNAVAILABLE = cause;
    ABSTRACT_NAMESPACE = abstractNamespace;
    PEER_CREDENTIALS = peerCredentials;
    FILE_DESCRIPTORS = fileDescriptors;
    UNIX_DATAGRAMS = unixDatagrams;
    SEQPACKET = seqpacket;
  }

  private static boolean canOpenSeqpacket() {
    try {
      AFUNIXDatagramSocket.newInstance(AFSocketType.SOCK_SEQPACKET).close();
      return true;
    } catch (IOException e) {
      log.debug("no SOCK_SEQPACKET sockets", e);
      return false;
    }
  }

  private NativeSupport() {}
}
