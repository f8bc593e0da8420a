package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ipc4j.Datagram;
import io.ipc4j.DatagramEndpoint;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcEventListener;
import io.ipc4j.IpcServer;
import io.ipc4j.MessageConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A client bound to an abstract name no endpoint can hold (107 bytes, which the kernel allows, or
 * bytes that are not UTF-8) is served as an unnamed peer: naming it must not cost the server its
 * accepting, nor name another socket.
 */
@Timeout(30)
class NamelessPeerTest {
  @ParameterizedTest(name = "{0}, {1} name")
  @CsvSource({"unix, long", "unix, undecodable", "unixpacket, long", "unixpacket, undecodable"})
  void aPeerNoEndpointCanNameIsServedAsUnnamed(String scheme, String kind) throws Exception {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(scheme);
    LinkedBlockingQueue<Endpoint> opened = new LinkedBlockingQueue<>();
    try (IpcServer server =
        IpcServer.builder(endpoint)
            .eventListener(
                new IpcEventListener() {
                  @Override
                  public void connectionOpened(Endpoint s, Endpoint peer) {
                    opened.add(peer);
                  }
                })
            .messageHandler(
                c -> {
                  for (ByteBuffer m; (m = c.receive()) != null; ) {
                    c.send(m);
                  }
                })
            .start()) {
      AFUNIXSocketAddress address =
          AFUNIXSocketAddress.inAbstractNamespace(endpoint.abstractName());
      boolean stream = scheme.equals("unix");
      AFUNIXSocketAddress from = TestEndpoints.unnameableAddress(kind);
      try (ByteChannel nameless = stream ? streamFrom(from, address) : packetsFrom(from, address)) {
        ByteBuffer request = ByteBuffer.allocate(9);
        if (stream) {
          request.putInt(5); // a frame's header
        }
        request.put("hello".getBytes(US_ASCII)).flip();
        nameless.write(request);
        ByteBuffer reply = ByteBuffer.allocate(9);
        while (reply.position() < request.limit() && nameless.read(reply) > 0) {
          // A stream may answer in pieces.
        }
        assertEquals("hello", US_ASCII.decode(reply.flip().position(stream ? 4 : 0)).toString());
      }
      assertEquals(Endpoint.parse(scheme + ":"), opened.poll(10, TimeUnit.SECONDS));

      try (MessageConnection next = Ipc.connectMessages(endpoint)) {
        next.send(ByteBuffer.wrap("next".getBytes(US_ASCII)));
        assertEquals("next", US_ASCII.decode(next.receive()).toString(), "still serving");
      }
    }
  }

  /**
   * A datagram from such a sender cannot be answered: it is dropped, and receiving goes on. Named
   * wrongly, it would be delivered with a sender that a reply would go to instead.
   */
  @ParameterizedTest(name = "{0} name")
  @ValueSource(strings = {"long", "undecodable"})
  void aDatagramFromASenderNoEndpointCanNameIsDropped(String kind) throws Exception {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme("unixgram");
    try (DatagramEndpoint receiver = Ipc.bind(endpoint, TestEndpoints.JUNIXSOCKET);
        AFUNIXDatagramChannel nameless = AFUNIXDatagramChannel.open();
        DatagramEndpoint named =
            Ipc.bind(
                TestEndpoints.newAbstractEndpoint().withScheme("unixgram"),
                TestEndpoints.JUNIXSOCKET)) {
      AFUNIXSocketAddress address = UnixAddresses.of(endpoint);
      nameless.bind(TestEndpoints.unnameableAddress(kind));
      nameless.send(ByteBuffer.wrap("stranger".getBytes(US_ASCII)), address);
      named.send(endpoint, ByteBuffer.wrap("named".getBytes(US_ASCII)));
      Datagram d = receiver.receive();
      assertEquals("named", US_ASCII.decode(d.payload()).toString(), "from " + d.sender());
      assertEquals(named.localEndpoint(), d.sender());
    }
  }

  private static ByteChannel streamFrom(AFUNIXSocketAddress from, AFUNIXSocketAddress server)
      throws IOException {
    AFUNIXSocketChannel channel = AFUNIXSocketChannel.open();
    try {
      channel.bind(from);
      channel.connect(server);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static ByteChannel packetsFrom(AFUNIXSocketAddress from, AFUNIXSocketAddress server)
      throws IOException {
    AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance(AFSocketType.SOCK_SEQPACKET);
    try {
      socket.bind(from);
      socket.connect(server);
      return socket.getChannel();
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
