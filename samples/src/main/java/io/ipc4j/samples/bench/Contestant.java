package io.ipc4j.samples.bench;

import io.ipc4j.Ipc;
import io.ipc4j.IpcServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two sides of every comparison: ipc4j, and the same workload on raw JDK channels. */
enum Contestant {
  IPC4J {
    @Override
    Server serve(String endpoint, Service service) throws IOException {
      IpcServer server =
          IpcServer.builder(endpoint).messageHandler(c -> service.serve(new Ipc4jLink(c))).start();
      return new Server(server.endpoint().toString(), server);
    }

    @Override
    Link connect(String endpoint) throws IOException {
      return new Ipc4jLink(Ipc.connectMessages(endpoint));
    }
  },
  RAW {
    @Override
    Server serve(String endpoint, Service service) throws IOException {
      return RawServer.start(endpoint, service);
    }

    @Override
    Link connect(String endpoint) throws IOException {
      SocketAddress address = address(endpoint);
      SocketChannel channel = SocketChannel.open(address);
      if (address instanceof InetSocketAddress) {
        // As ipc4j does by default: a small message leaves at once.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      return new RawLink(channel);
    }
  };

  /** Starts serving {@code service} on {@code endpoint} ({@code tcp://...} or {@code unix://}). */
  abstract Server serve(String endpoint, Service service) throws IOException;

  abstract Link connect(String endpoint) throws IOException;

  /** Its name on the command line, in output and in JSON. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static Contestant of(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }

  /** The two forms the bench's endpoints take, turned into JDK addresses by hand. */
  static SocketAddress address(String endpoint) {
    if (endpoint.startsWith("unix://")) {
      return UnixDomainSocketAddress.of(endpoint.substring("unix://".length()));
    }
    if (endpoint.startsWith("tcp://")) {
      String hostPort = endpoint.substring("tcp://".length());
      int colon = hostPort.lastIndexOf(':');
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
    throw new IllegalArgumentException("bench endpoints are tcp:// or unix://: " + endpoint);
  }

  /** A listening server and how to stop it. */
  static final class Server implements Closeable {
    final String endpoint;
    private final Closeable resource;

    Server(String endpoint, Closeable resource) {
      this.endpoint = endpoint;
      this.resource = resource;
    }

    @Override
    public void close() throws IOException {
      resource.close();
    }
  }

  /**
   * The raw server: an accept loop and one platform thread per connection, the classic blocking
   * design (on Java 17 ipc4j's server also runs platform threads per connection).
   */
  private static final class RawServer {
    static Server start(String endpoint, Service service) throws IOException {
      SocketAddress address = address(endpoint);
      boolean unix = address instanceof UnixDomainSocketAddress;
      ServerSocketChannel listener =
          ServerSocketChannel.open(
              unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
      listener.bind(address);
      String bound =
          unix
              ? endpoint
              : "tcp://127.0.0.1:" + ((InetSocketAddress) listener.getLocalAddress()).getPort();
      Daemon.start(
          "raw-accept " + bound,
          () -> {
            while (listener.isOpen()) {
              SocketChannel channel;
              try {
                channel = listener.accept();
              } catch (IOException e) {
                return; // Closed.
              }
              Daemon.start("raw " + bound, () -> serveOne(channel, service, unix));
            }
          });
      return new Server(
          bound,
          () -> {
            listener.close();
            if (unix) {
              Files.deleteIfExists(Path.of(endpoint.substring("unix://".length())));
            }
          });
    }

    private static void serveOne(SocketChannel channel, Service service, boolean unix) {
      try (Link link = new RawLink(channel)) {
        if (!unix) {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        service.serve(link);
      } catch (IOException e) {
        // The client went away: its workload is over.
      }
    }
  }
}
