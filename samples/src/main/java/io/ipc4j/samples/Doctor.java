package io.ipc4j.samples;

import io.ipc4j.Ipc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Prints {@link Ipc#doctor()}: for every scheme, the transports that serve it, whether each is
 * available here (and why not) and with which capabilities, and the Unix path limits.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Report which schemes and capabilities this machine and JVM support.")
final class Doctor implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.print(Ipc.doctor());
    System.out.flush();
    return 0;
  }
}
