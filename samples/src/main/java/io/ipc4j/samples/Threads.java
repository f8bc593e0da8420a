package io.ipc4j.samples;

/** The one place where the samples create threads of their own. */
final class Threads {
  private Threads() {}

  /**
   * Starts a daemon thread: none of the samples' helper threads may keep a process alive once its
   * main work is done.
   */
  static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
