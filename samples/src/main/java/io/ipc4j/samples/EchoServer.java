package io.ipc4j.samples;

import io.ipc4j.Datagram;
import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Echoes back what it receives, on any endpoint: over a stream ({@code tcp}, {@code unix}) bytes as
 * they arrive, with or without newlines, so that netcat, socat or a script can talk to it; over
 * {@code udp} or {@code unixgram} each datagram to its sender; over {@code unixpacket} each packet.
 * Prints {@code listening on ENDPOINT} (with the real port) once ready; SIGTERM or Ctrl-C closes it
 * and removes its socket file.
 */
@Command(
    name = "echo-server",
    mixinStandardHelpOptions = true,
    description = {
      "Echo back what arrives: bytes over tcp and unix, each datagram to its sender over udp and"
          + " unixgram, each packet over unixpacket."
    })
final class EchoServer implements Callable<Integer> {
  @Parameters(
      paramLabel = "ENDPOINT",
      description =
          "Where to listen, e.g. tcp://127.0.0.1:7000, unix:///tmp/echo.sock,"
              + " udp://127.0.0.1:9000")
  Endpoint endpoint;

  @Mixin IdleTimeout idleTimeout;

  @Override
  public Integer call() throws Exception {
    switch (endpoint.kind()) {
      case DATAGRAM:
        return echoDatagrams();
      case SEQPACKET:
        IpcServer packets =
            IpcServer.builder(endpoint)
                .options(idleTimeout.options())
                .messageHandler(
                    c -> {
                      for (ByteBuffer m; (m = c.receive()) != null; ) {
                        c.send(m);
                      }
                    })
                .start();
        return Shutdown.serve("echo-server", packets.endpoint(), packets);
      default:
        IpcServer streams =
            IpcServer.builder(endpoint)
                .options(idleTimeout.options())
                .streamHandler(c -> c.inputStream().transferTo(c.outputStream()))
                .start();
        return Shutdown.serve("echo-server", streams.endpoint(), streams);
    }
  }

  /**
   * Datagrams have no connections, so one socket answers everybody: each datagram goes back to the
   * address it came from. A peer that cannot be answered costs only its own reply.
   */
  private int echoDatagrams() throws IOException {
    try (DatagramEndpoint socket = Ipc.bind(endpoint)) {
      Shutdown shutdown = Shutdown.closing("echo-server", socket);
      Shutdown.announce(socket.localEndpoint());
      while (true) {
        Datagram d;
        try {
          d = socket.receive();
        } catch (ClosedChannelException e) {
          if (shutdown.started()) {
            return 0;
          }
          throw e;
        } catch (MessageTooLargeException e) {
          System.err.println("echo-server: " + e.getMessage());
          continue;
        }
        reply(socket, d);
      }
    }
  }

  private static void reply(DatagramEndpoint socket, Datagram d) {
    Endpoint sender = d.sender();
    if (sender.isUnnamed()) {
      // An unbound unixgram client has no address to answer; it will not get its echo.
      System.err.println("echo-server: cannot answer an unnamed sender");
      return;
    }
    try {
      socket.send(sender, d.payload());
    } catch (IOException e) {
      if (socket.isOpen()) {
        System.err.println("echo-server: cannot answer " + sender + ": " + e.getMessage());
      }
    }
  }
}
