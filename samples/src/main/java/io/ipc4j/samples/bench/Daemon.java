package io.ipc4j.samples.bench;

/** The one place where the bench creates threads of its own. */
final class Daemon {
  private Daemon() {}

  /** Starts a daemon thread: none may keep a bench process alive once its work is done. */
  static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
