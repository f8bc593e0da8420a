package io.ipc4j.samples;

import io.ipc4j.Endpoint;
import io.ipc4j.IpcServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Echoes bytes back as they arrive, on any stream endpoint, so that netcat, socat or a script can
 * talk to it. Prints {@code listening on ENDPOINT} (with the real port) once ready; Ctrl-C closes
 * it and removes its socket file.
 */
@Command(
    name = "echo-server",
    mixinStandardHelpOptions = true,
    description = "Echo every byte back to its sender.")
final class EchoServer implements Callable<Integer> {
  @Parameters(
      paramLabel = "ENDPOINT",
      description = "Where to listen, e.g. tcp://127.0.0.1:7000 or unix:///tmp/echo.sock")
  Endpoint endpoint;

  @Override
  public Integer call() throws Exception {
    IpcServer server =
        IpcServer.builder(endpoint)
            .streamHandler(c -> c.inputStream().transferTo(c.outputStream()))
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("echo-server: " + e.getMessage());
                  }
                  stopped.countDown();
                },
                "echo-server-shutdown"));
    System.out.println("listening on " + server.endpoint());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
