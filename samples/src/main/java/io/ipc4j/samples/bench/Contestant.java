package io.ipc4j.samples.bench;

import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.StandardIpcOptions;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The two sides of every comparison: ipc4j as a user would call it, and the same workload written
 * directly on JDK channels (on junixsocket for {@code unixpacket} and {@code unixgram}, which the
 * JDK lacks and ipc4j uses there).
 */
enum Contestant {
  IPC4J {
    @Override
    Server serve(String endpoint, Service service, int connections) throws IOException {
      if (Addresses.isDatagram(Addresses.scheme(endpoint)) && service != Service.PEER_ECHO) {
        // One socket and one thread for every sender, as the raw datagram servers do.
        DatagramEndpoint socket = Ipc.bind(endpoint);
        Daemon.start("collect " + endpoint, () -> service.serve(new Ipc4jDatagrams(socket)));
        return new Server(socket.localEndpoint().toString(), socket);
      }
      IpcOptions options =
          connections > 0
              ? IpcOptions.of(StandardIpcOptions.MAX_CONNECTIONS, connections + HEADROOM)
              : IpcOptions.DEFAULTS;
      IpcServer server =
          IpcServer.builder(endpoint)
              .options(options)
              .messageHandler(c -> service.serve(new Ipc4jLink(c)))
              .start();
      return new Server(server.endpoint().toString(), server);
    }

    @Override
    Link connect(String endpoint) throws IOException {
      IpcOptions options =
          Addresses.isDatagram(Addresses.scheme(endpoint))
              ? IpcOptions.of(
                  StandardIpcOptions.READ_TIMEOUT, Duration.ofMillis(Link.DATAGRAM_TIMEOUT_MILLIS))
              : IpcOptions.DEFAULTS;
      return new Ipc4jLink(Ipc.connectMessages(endpoint, options));
    }
  },
  RAW {
    @Override
    Server serve(String endpoint, Service service, int connections) throws IOException {
      return RawServers.start(endpoint, service, connections > 0);
    }

    @Override
    Link connect(String endpoint) throws IOException {
      switch (Addresses.scheme(endpoint)) {
        case "tcp":
          // An IPv4 socket, as ipc4j opens for an IPv4 address: SocketChannel.open(address)
          // would open a dual-stack IPv6 one and connect through the IPv4-mapped address, a little
          // more kernel work per connect.
          SocketChannel tcp = SocketChannel.open(StandardProtocolFamily.INET);
          try {
            // As ipc4j does by default: a small message leaves at once.
            tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
            tcp.connect(Addresses.inet(endpoint));
          } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
          }
          return new RawLink(tcp);
        case "unix":
          return new RawLink(
              SocketChannel.open(UnixDomainSocketAddress.of(Addresses.path(endpoint))));
        case "unixpacket":
          AFUNIXDatagramSocket packets =
              AFUNIXDatagramSocket.newInstance(AFSocketType.SOCK_SEQPACKET);
          try {
            packets.connect(AFUNIXSocketAddress.of(Addresses.path(endpoint)));
          } catch (IOException | RuntimeException e) {
            packets.close();
            throw e;
          }
          return new RawPacketLink(packets);
        case "udp":
          return new RawDatagramLink(
              DatagramChannel.open(StandardProtocolFamily.INET).connect(Addresses.inet(endpoint)));
        case "unixgram":
          AFUNIXDatagramChannel gram = AFUNIXDatagramChannel.open();
          try {
            gram.bind(AFUNIXSocketAddress.inAbstractNamespace(answerableName()));
            gram.connect(AFUNIXSocketAddress.of(Addresses.path(endpoint)));
          } catch (IOException | RuntimeException e) {
            gram.close();
            throw e;
          }
          return new RawDatagramLink(gram);
        default:
          throw new IllegalArgumentException("no raw client for " + endpoint);
      }
    }
  };

  /**
   * A fresh abstract name for a raw {@code unixgram} client, which must be bound or the server
   * could not answer (ipc4j's client binds an abstract name too). It fills all of {@code sun_path}:
   * junixsocket reports every sender's address padded with NULs to that length, and a server
   * answering that address reaches only a socket whose name is exactly that long (ipc4j's server
   * cuts the padding instead).
   */
  private static String answerableName() {
    String name =
        "ipc4j-bench-" + ProcessHandle.current().pid() + "-" + names.incrementAndGet() + "-";
    return name + "x".repeat(SUN_PATH - 1 - name.length());
  }

  /** The size of {@code sun_path} on Linux; an abstract name's first byte is a NUL. */
  private static final int SUN_PATH = 108;

  /** Connections an idle-scale server accepts beyond those the client holds. */
  private static final int HEADROOM = 64;

  private static final AtomicLong names = new AtomicLong();

  /**
   * Starts serving {@code service} on {@code endpoint}. {@code connections}: 0 for a server built
   * for latency (the defaults; the raw server runs a platform thread per connection), or how many
   * connections it must hold at once (ipc4j's limit raised above it; the raw server runs a virtual
   * thread per connection where the JVM has them, as ipc4j's server does).
   */
  abstract Server serve(String endpoint, Service service, int connections) throws IOException;

  /**
   * A connection to {@code endpoint}. Over datagram transports its receives are bounded by {@link
   * Link#DATAGRAM_TIMEOUT_MILLIS}.
   */
  abstract Link connect(String endpoint) throws IOException;

  /** Its name on the command line, in output and in JSON. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Contestant of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
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

  /** For the raw servers, which print the port they bound as ipc4j does. */
  static String endpointOf(String scheme, InetSocketAddress bound) {
    return scheme + "://127.0.0.1:" + bound.getPort();
  }
}
