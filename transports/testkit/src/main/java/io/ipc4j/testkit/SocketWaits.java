package io.ipc4j.testkit;

/**
 * Whether a thread is blocked in socket I/O, for tests that close a socket under a blocked call.
 */
public final class SocketWaits {
  private SocketWaits() {}

  /**
   * Whether {@code t} is blocked in socket I/O: inside a native method of a socket class (a
   * blocking system call), or parked or waiting below one (a virtual thread waiting for its
   * socket). Any other native method or wait does not count: a receive allocating its buffer in
   * {@code Unsafe.allocateMemory}, or a thread loading a class, is not blocked yet, and closing its
   * socket then rightly fails it with a plain {@code ClosedChannelException}.
   */
  public static boolean isBlocked(Thread t) {
    Thread.State state = t.getState();
    StackTraceElement[] stack = t.getStackTrace();
    if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
      for (StackTraceElement frame : stack) {
        if (isSocketClass(frame)) {
          return true;
        }
      }
      return false;
    }
    return state == Thread.State.RUNNABLE
        && stack.length > 0
        && stack[0].isNativeMethod()
        && isSocketClass(stack[0]);
  }

  /** The JDK's socket implementations, and junixsocket's. */
  private static boolean isSocketClass(StackTraceElement frame) {
    String c = frame.getClassName();
    return c.startsWith("sun.nio.ch.")
        || c.startsWith("java.net.")
        || c.startsWith("org.newsclub.");
  }
}
