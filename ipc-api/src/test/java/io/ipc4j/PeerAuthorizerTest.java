package io.ipc4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PeerAuthorizerTest {
  private static final Endpoint PEER = Endpoint.parse("unix:");
  private static final UnixSystem SELF = new UnixSystem();

  @Test
  void sameUserAdmitsThisProcessUserByUid() {
    assertTrue(
        PeerAuthorizer.SAME_USER.authorize(
            PEER, Optional.of(PeerCredentials.ofIds(SELF.getUid(), SELF.getGid(), 42))));
  }

  @Test
  void sameUserRefusesAnotherUid() {
    assertFalse(
        PeerAuthorizer.SAME_USER.authorize(
            PEER, Optional.of(PeerCredentials.ofIds(SELF.getUid() + 1, SELF.getGid(), 42))));
  }

  @Test
  void sameUserComparesNamesWhereTheTransportGivesOnlyNames() {
    assertTrue(
        PeerAuthorizer.SAME_USER.authorize(
            PEER, Optional.of(PeerCredentials.ofNames(SELF.getUsername(), "any"))));
    assertFalse(
        PeerAuthorizer.SAME_USER.authorize(
            PEER, Optional.of(PeerCredentials.ofNames(SELF.getUsername() + "x", "any"))));
  }

  @Test
  void sameUserRefusesUnknownCredentials() {
    assertFalse(PeerAuthorizer.SAME_USER.authorize(PEER, Optional.empty()));
  }

  @Test
  void anyoneAdmitsUnknownCredentials() {
    assertTrue(PeerAuthorizer.ANYONE.authorize(PEER, Optional.empty()));
  }
}
