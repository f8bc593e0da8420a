package io.ipc4j.transport.junixsocket;

import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips, with the reason, the contract tests that need what this transport cannot do over {@code
 * unixpacket} and {@code unixgram}; each is a reported gap of the testkit, not a silent pass.
 */
final class NotOverJunixsocket implements ExecutionCondition {
  private static final String EMPTY_PACKET =
      "junixsocket cannot tell an empty unixpacket message from the end of the stream"
          + " (see JunixsocketPacketSocket): empty messages are refused";
  private static final String EMPTY_DATAGRAM =
      "junixsocket cannot send an empty unixgram datagram, and drops the sender of one it"
          + " receives (see JunixsocketDatagramSocket)";
  private static final String BLOCKING_SENDS =
      "a unixgram send blocks while the receiver holds net.unix.max_dgram_qlen (10) datagrams, and"
          + " this test sends 20 before receiving: it would hang in native code, out of reach of"
          + " @Timeout (JunixsocketDatagramTest measures the allocations instead)";
  private static final String NO_STREAMS =
      "byte streams and their frames do not exist over unixpacket, a message-only transport";

  /**
   * Test method name to reason; "name[display name]" for one invocation of a parameterized test.
   */
  private static final Map<String, String> REASONS =
      Map.of(
          "keepsConsecutiveMessagesApart", EMPTY_PACKET,
          "roundTripsMessagesOfEverySizeUpToDefaultMaximum[0 bytes]", EMPTY_PACKET,
          "streamHandlerServerEchoesBytes", NO_STREAMS,
          "closeForcesHandlerBlockedInStreamReadAfterGrace", NO_STREAMS,
          "closeCompletesAndAnswersRequestBeingReceived", NO_STREAMS,
          "emptyDatagramsArriveAsEmpty", EMPTY_DATAGRAM,
          "connectedMessageConnectionRoundTripsThroughABoundEndpoint", EMPTY_DATAGRAM,
          "receiveIntoABufferReturnsTheSenderAndAllocatesNothingPerDatagram", BLOCKING_SENDS);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String name = context.getTestMethod().map(Method::getName).orElse(null);
    if (name == null) {
      return ConditionEvaluationResult.enabled("not a test method");
    }
    String reason = REASONS.get(name);
    if (reason == null) {
      reason = REASONS.get(name + "[" + context.getDisplayName() + "]");
    }
    return reason == null
        ? ConditionEvaluationResult.enabled("supported")
        : ConditionEvaluationResult.disabled(reason);
  }
}
