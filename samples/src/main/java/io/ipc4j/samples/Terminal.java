package io.ipc4j.samples;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, so that progress bars go only where a person looks. */
final class Terminal {
  private Terminal() {}

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
