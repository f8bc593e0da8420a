package io.ipc4j.samples.bench;

import io.ipc4j.StandardIpcOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The raw servers, the classic blocking designs: for connections an accept loop and one thread per
 * connection (a platform thread from a cached pool, which answers soonest and is not created anew
 * for each short connection, as ipc4j's server keeps its platform threads; for a server built to
 * hold many connections a virtual thread where the JVM has them, as ipc4j's server uses); for
 * datagrams one socket and one thread that answers every sender. Listeners use ipc4j's default
 * backlog, so that both contestants' queues of connections not yet accepted are alike.
 */
final class RawServers {
  private static final int BACKLOG = StandardIpcOptions.BACKLOG.defaultValue();

  private RawServers() {}

  static Contestant.Server start(String endpoint, Service service, boolean manyConnections)
      throws IOException {
    String scheme = Addresses.scheme(endpoint);
    switch (scheme) {
      case "tcp":
      case "unix":
        return streams(endpoint, service, manyConnections);
      case "unixpacket":
        return packets(endpoint, service);
      case "udp":
      case "unixgram":
        return datagrams(endpoint, service);
      default:
        throw new IllegalArgumentException("no raw server for " + endpoint);
    }
  }

  private static Contestant.Server streams(
      String endpoint, Service service, boolean manyConnections) throws IOException {
    boolean unix = Addresses.scheme(endpoint).equals("unix");
    ServerSocketChannel listener =
        ServerSocketChannel.open(unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
    listener.bind(
        unix ? UnixDomainSocketAddress.of(Addresses.path(endpoint)) : Addresses.inet(endpoint),
        BACKLOG);
    String bound =
        unix
            ? endpoint
            : Contestant.endpointOf("tcp", (InetSocketAddress) listener.getLocalAddress());
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
            Runnable serve = () -> serveStream(channel, service, unix);
            if (manyConnections) {
              Daemon.startVirtual("raw " + bound, serve);
            } else {
              Daemon.pooled(serve);
            }
          }
        });
    return new Contestant.Server(
        bound,
        () -> {
          listener.close();
          if (unix) {
            Files.deleteIfExists(Addresses.path(endpoint));
          }
        });
  }

  private static void serveStream(SocketChannel channel, Service service, boolean unix) {
    try (Link link = new RawLink(channel)) {
      if (!unix) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      service.serve(link);
    } catch (IOException e) {
      // The client went away: its workload is over.
    }
  }

  /** SOCK_SEQPACKET through junixsocket, which opens those as listening datagram sockets. */
  private static Contestant.Server packets(String endpoint, Service service) throws IOException {
    Path path = Addresses.path(endpoint);
    AFUNIXDatagramSocket listener = AFUNIXDatagramSocket.newInstance(AFSocketType.SOCK_SEQPACKET);
    try {
      listener.bind(AFUNIXSocketAddress.of(path));
      listener.listen(BACKLOG);
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    Daemon.start(
        "raw-accept " + endpoint,
        () -> {
          while (!listener.isClosed()) {
            AFDatagramSocket<AFUNIXSocketAddress> accepted;
            try {
              accepted = listener.accept();
            } catch (IOException e) {
              return; // Closed.
            }
            if (accepted == null) {
              continue; // junixsocket: an accept that did not complete.
            }
            Runnable serve = () -> servePackets((AFUNIXDatagramSocket) accepted, service);
            // junixsocket's blocking calls must not run on virtual threads (see ipc4j's README).
            Daemon.pooled(serve);
          }
        });
    return new Contestant.Server(
        endpoint,
        () -> {
          listener.close();
          Files.deleteIfExists(path);
        });
  }

  private static void servePackets(AFUNIXDatagramSocket socket, Service service) {
    try (Link link = new RawPacketLink(socket)) {
      service.serve(link);
    } catch (IOException e) {
      // The client went away: its workload is over.
    }
  }

  private static Contestant.Server datagrams(String endpoint, Service service) throws IOException {
    DatagramChannel channel;
    String bound;
    if (Addresses.scheme(endpoint).equals("udp")) {
      channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(Addresses.inet(endpoint));
      bound = Contestant.endpointOf("udp", (InetSocketAddress) channel.getLocalAddress());
    } else {
      AFUNIXDatagramChannel unix = AFUNIXDatagramChannel.open();
      try {
        unix.bind(AFUNIXSocketAddress.of(Addresses.path(endpoint)));
      } catch (IOException | RuntimeException e) {
        unix.close();
        throw e;
      }
      channel = unix;
      bound = endpoint;
    }
    Daemon.start("raw " + bound, () -> service.serve(new RawDatagrams(channel)));
    return new Contestant.Server(
        bound,
        () -> {
          channel.close();
          if (!bound.startsWith("udp")) {
            Files.deleteIfExists(Addresses.path(endpoint));
          }
        });
  }
}
