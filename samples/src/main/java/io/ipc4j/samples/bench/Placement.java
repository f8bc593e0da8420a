package io.ipc4j.samples.bench;

import java.util.List;

/**
 * Where a setting's processes run: the command prefix of its servers and of its clients ({@code
 * taskset -c N}, or nothing).
 */
record Placement(List<String> server, List<String> client) {
  /** Anywhere the scheduler likes. */
  static final Placement FREE = new Placement(List.of(), List.of());
}
