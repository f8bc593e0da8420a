package io.ipc4j.samples;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The methods {@code rpc-server} offers. Each returns its result or throws why it cannot. */
enum RpcMethods {
  /** {@code add A B}: the sum of two 64-bit integers. */
  ADD("add", false) {
    @Override
    String call(String args) {
      String[] n = split(args);
      if (n.length != 2) {
        throw new IllegalArgumentException("add: expected 2 integers, got " + n.length);
      }
      try {
        return Long.toString(Math.addExact(integer("add", n[0]), integer("add", n[1])));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("add: the sum overflows 64 bits");
      }
    }
  },
  /** {@code time}: the server's time, ISO-8601 in UTC. */
  TIME("time", false) {
    @Override
    String call(String args) {
      if (!args.isEmpty()) {
        throw new IllegalArgumentException("time: expected no arguments");
      }
      return Clock.systemUTC().instant().toString();
    }
  },
  /** {@code echo TEXT}: TEXT, verbatim (spaces included). */
  ECHO("echo", false) {
    @Override
    String call(String args) {
      return args;
    }
  },
  /** {@code sleep MS}: replies after MS milliseconds (at most a minute). */
  SLEEP("sleep", true) {
    @Override
    String call(String args) throws InterruptedException {
      String[] n = split(args);
      if (n.length != 1) {
        throw new IllegalArgumentException("sleep: expected 1 integer, got " + n.length);
      }
      long ms = integer("sleep", n[0]);
      if (ms < 0 || ms > MAX_SLEEP_MILLIS) {
        throw new IllegalArgumentException(
            "sleep: " + ms + " ms out of range (expected: 0 to " + MAX_SLEEP_MILLIS + ")");
      }
      TimeUnit.MILLISECONDS.sleep(ms);
      return "slept " + ms + " ms";
    }
  };

  static final long MAX_SLEEP_MILLIS = 60_000;

  final String name;

  /** Whether a call may take long, and so runs on a thread of its own. */
  final boolean blocking;

  RpcMethods(String name, boolean blocking) {
    this.name = name;
    this.blocking = blocking;
  }

  abstract String call(String args) throws InterruptedException;

  /** The method called {@code name}, or null. */
  static RpcMethods named(String name) {
    for (RpcMethods m : values()) {
      if (m.name.equals(name)) {
        return m;
      }
    }
    return null;
  }

  static String names() {
    return "add, time, echo or sleep";
  }

  private static String[] split(String args) {
    return args.isEmpty() ? new String[0] : args.split(" ", -1);
  }

  private static long integer(String method, String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(method + ": not an integer: " + RpcRequest.quote(s));
    }
  }
}
