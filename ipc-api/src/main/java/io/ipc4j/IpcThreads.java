package io.ipc4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every thread ipc4j starts is created here, but the watchdog's ({@link io.ipc4j.spi.Watchdog}).
 * Connection threads are virtual where the JVM has them (21+; the library is compiled for 17, so
 * they are reached through method handles) and platform daemon threads otherwise.
 */
final class IpcThreads {
  private static final Logger log = LoggerFactory.getLogger(IpcThreads.class);

  /** Thread.ofVirtual(), Thread.Builder.name(String), Thread.Builder.unstarted(Runnable). */
  private static final MethodHandle[] VIRTUAL = findVirtualThreadBuilder();

  private IpcThreads() {}

  /** Whether this JVM can run connections on virtual threads. */
  static boolean virtualThreadsAvailable() {
    return VIRTUAL != null;
  }

  /** An unstarted platform thread. */
  static Thread platform(String name, Runnable task, boolean daemon) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(daemon);
    return thread;
  }

  /** An unstarted thread for one connection: virtual if asked and available, else a daemon. */
  static Thread connection(String name, Runnable task, boolean virtual) {
    if (virtual && VIRTUAL != null) {
      try {
        Object builder = VIRTUAL[0].invoke();
        builder = VIRTUAL[1].invoke(builder, name);
        return (Thread) VIRTUAL[2].invoke(builder, task);
      } catch (Throwable unexpected) {
        throw new IllegalStateException("cannot create a virtual thread", unexpected);
      }
    }
    return platform(name, task, true);
  }

  private static MethodHandle[] findVirtualThreadBuilder() {
    if (Runtime.version().feature() < 21) {
      return null;
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      return new MethodHandle[] {
        lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
        lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class)),
        lookup.findVirtual(
            builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class))
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Java {} but no virtual threads, using platform threads", Runtime.version(), e);
      return null;
    }
  }
}
