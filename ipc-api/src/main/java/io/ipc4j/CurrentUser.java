package io.ipc4j;

import com.sun.security.auth.module.UnixSystem;

/** The user this JVM runs as, for {@link PeerAuthorizer#SAME_USER}. */
final class CurrentUser {
  private static final UnixSystem SELF = new UnixSystem();

  private CurrentUser() {}

  static long uid() {
    return SELF.getUid();
  }

  static String name() {
    return SELF.getUsername();
  }

  static boolean matches(PeerCredentials c) {
    if (c.uid().isPresent()) {
      return c.uid().getAsLong() == uid();
    }
    return c.user().map(name()::equals).orElse(false);
  }
}
