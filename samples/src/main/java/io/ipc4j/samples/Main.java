package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The samples' command line: {@code java -jar ipc4j-samples.jar COMMAND ...}. */
@Command(
    name = "ipc4j-samples",
    mixinStandardHelpOptions = true,
    version = "ipc4j samples 0.1.0",
    description = "Processes that talk over ipc4j endpoints (tcp://, unix://, ...).",
    subcommands = {
      EchoServer.class,
      EchoClient.class,
      ChatServer.class,
      ChatClient.class,
      FileServer.class,
      FilePut.class,
      FileGet.class,
      RpcServer.class,
      RpcClient.class,
      TelemetrySensor.class,
      TelemetryCollector.class,
      HttpServer.class,
      Doctor.class,
      Demo.class,
      io.ipc4j.samples.bench.Bench.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns its exit code. */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(Endpoint.class, Main::parseEndpoint);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage());
          err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          c.getErr().println(c.getCommandName() + ": " + oneLine(e));
          return 1;
        });
    return cli.execute(args);
  }

  private static Endpoint parseEndpoint(String text) {
    try {
      return Endpoint.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage();
    if (e instanceof IOException || e instanceof IllegalArgumentException) {
      return m == null ? e.getClass().getSimpleName() : m;
    }
    return e.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
