package io.ipc4j.samples;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One request of the {@code rpc-server} protocol, {@code ID METHOD [ARGS]}, parsed, or why it could
 * not be. See {@link RpcServer} for the protocol.
 */
final class RpcRequest {
  static final String UNKNOWN_ID = "-";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  final String id;
  final String method;

  /** Everything after {@code METHOD }: {@code echo} takes it verbatim, others split it. */
  final String arguments;

  /** Why the request is malformed, or null. */
  final String malformed;

  private RpcRequest(String id, String method, String arguments, String malformed) {
    this.id = id;
    this.method = method;
    this.arguments = arguments;
    this.malformed = malformed;
  }

  static RpcRequest parse(ByteBuffer message) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(message)
              .toString();
    } catch (CharacterCodingException e) {
      return malformed(UNKNOWN_ID, "malformed request: not UTF-8 text");
    }
    int space = text.indexOf(' ');
    String id = space < 0 ? text : text.substring(0, space);
    if (!ID.matcher(id).matches()) {
      return malformed(
          UNKNOWN_ID,
          "malformed request (expected: ID METHOD [ARGS], ID of 1 to 32 letters, digits, '.', '-'"
              + " or '_'): "
              + quote(text));
    }
    if (space < 0 || space == text.length() - 1) {
      return malformed(id, "malformed request: no method (expected: ID METHOD [ARGS])");
    }
    String rest = text.substring(space + 1);
    int next = rest.indexOf(' ');
    return next < 0
        ? new RpcRequest(id, rest, "", null)
        : new RpcRequest(id, rest.substring(0, next), rest.substring(next + 1), null);
  }

  private static RpcRequest malformed(String id, String why) {
    return new RpcRequest(id, null, null, why);
  }

  /** The text in quotes, shortened: error replies must stay small whatever the request. */
  static String quote(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "\"" + shown + "\"";
  }
}
