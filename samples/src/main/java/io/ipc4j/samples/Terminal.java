package io.ipc4j.samples;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard output is a terminal, so that progress bars go only where a person looks, and
 * text from peers made safe to print there.
 */
final class Terminal {
  private Terminal() {}

  /**
   * {@code text} with every control character (C0 and C1, which include newlines and the escape
   * sequences a terminal obeys) as '?': a peer's words printed in a log line can neither forge
   * another line nor drive the operator's terminal.
   */
  static String printable(String text) {
    return text.replaceAll("\\p{Cc}", "?");
  }

  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // From Java 22 on, System.console() may return a Console even when the streams are redirected;
    // Console.isTerminal() (22+) then tells the truth. Reflection keeps this compiling on 17.
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
