package io.ipc4j.transport.jdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.AddressInUseException;
import io.ipc4j.Endpoint;
import io.ipc4j.IpcOptions;
import io.ipc4j.MessageTooLargeException;
import io.ipc4j.spi.DatagramSocket;
import io.ipc4j.testkit.TransportContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK provider's UDP sockets at the SPI level, on loopback. */
@Timeout(30)
class JdkDatagramSocketTest extends TransportContract {
  private final JdkTransportProvider provider = new JdkTransportProvider();

  @Override
  protected Endpoint newEndpoint() {
    return Endpoint.parse("udp://127.0.0.1:0");
  }

  private DatagramSocket bind(String endpoint) throws IOException {
    return closeAfter(provider.bindDatagram(Endpoint.parse(endpoint), IpcOptions.DEFAULTS));
  }

  private DatagramSocket connect(Endpoint remote) throws IOException {
    return closeAfter(provider.connectDatagram(remote, IpcOptions.DEFAULTS));
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(US_ASCII));
  }

  /** Receives one datagram and returns its text; the sender goes to {@code from[0]}. */
  private static String receiveText(DatagramSocket socket, Endpoint[] from) throws IOException {
    ByteBuffer dst = ByteBuffer.allocate(1024);
    from[0] = socket.receive(dst);
    return US_ASCII.decode(dst.flip()).toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"udp://127.0.0.1:0", "udp4://127.0.0.1:0", "udp://[::1]:0", "udp6://[::1]:0"})
  void roundTripsAndReportsTheSenderWithItsRealPort(String endpoint) throws Exception {
    DatagramSocket a = bind(endpoint);
    DatagramSocket b = bind(endpoint);
    Endpoint requested = Endpoint.parse(endpoint);
    assertEquals(requested.scheme(), a.localEndpoint().scheme());
    assertEquals(requested.host(), a.localEndpoint().host());
    assertNotEquals(0, a.localEndpoint().port(), "port 0 resolved");
    assertEquals(Optional.empty(), a.remoteEndpoint());

    ByteBuffer ping = ascii("ping");
    a.send(ping, b.localEndpoint());
    assertFalse(ping.hasRemaining(), "send advances the position to the limit");
    Endpoint[] from = new Endpoint[1];
    assertEquals("ping", receiveText(b, from));
    assertEquals(a.localEndpoint(), from[0], "the sender, with the socket's scheme");
    int realPort =
        ((InetSocketAddress) a.unwrap(DatagramChannel.class).orElseThrow().getLocalAddress())
            .getPort();
    assertEquals(realPort, from[0].port());

    b.send(ascii("pong"), from[0]);
    assertEquals("pong", receiveText(a, from));
    assertEquals(b.localEndpoint(), from[0]);
  }

  @Test
  void repeatedSenderIsReportedWithTheSameEndpointInstance() throws Exception {
    DatagramSocket receiver = bind("udp://127.0.0.1:0");
    DatagramSocket one = bind("udp://127.0.0.1:0");
    DatagramSocket two = bind("udp://127.0.0.1:0");
    one.send(ascii("1"), receiver.localEndpoint());
    one.send(ascii("2"), receiver.localEndpoint());
    two.send(ascii("3"), receiver.localEndpoint());
    one.send(ascii("4"), receiver.localEndpoint());
    ByteBuffer dst = ByteBuffer.allocate(16);
    Endpoint first = receiver.receive(dst.clear());
    Endpoint second = receiver.receive(dst.clear());
    Endpoint third = receiver.receive(dst.clear());
    Endpoint fourth = receiver.receive(dst.clear());
    assertEquals(one.localEndpoint(), first);
    assertSame(first, second, "a repeated sender allocates no new endpoint");
    assertEquals(two.localEndpoint(), third);
    assertEquals(one.localEndpoint(), fourth);
    assertNotSame(third, fourth);
  }

  @Test
  void maximumDatagramSizeIsTheIpLimitAndSuchADatagramArrivesWhole() throws Exception {
    for (String endpoint : new String[] {"udp://127.0.0.1:0", "udp6://[::1]:0"}) {
      DatagramSocket a = bind(endpoint);
      DatagramSocket b = bind(endpoint);
      int max = endpoint.startsWith("udp6") ? 65_527 : 65_507;
      assertEquals(max, a.maxDatagramSize(), endpoint);
      byte[] payload = randomBytes(max, max);
      a.send(ByteBuffer.wrap(payload), b.localEndpoint());
      ByteBuffer dst = ByteBuffer.allocate(max + 1);
      assertEquals(a.localEndpoint(), b.receive(dst));
      assertBytesEqual(payload, bytesOf(dst.flip()), endpoint);
    }
  }

  @Test
  void emptyDatagramsArriveAsEmpty() throws Exception {
    DatagramSocket a = bind("udp://127.0.0.1:0");
    DatagramSocket b = bind("udp://127.0.0.1:0");
    a.send(ByteBuffer.allocate(0), b.localEndpoint());
    a.send(ascii("x"), b.localEndpoint());
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertEquals(a.localEndpoint(), b.receive(dst));
    assertEquals(0, dst.position());
    b.receive(dst);
    assertEquals(1, dst.position(), "the empty datagram came first, on its own");
  }

  @Test
  void datagramLargerThanTheBufferIsCutToItAndTheNextOneArrives() throws Exception {
    DatagramSocket a = bind("udp://127.0.0.1:0");
    DatagramSocket b = bind("udp://127.0.0.1:0");
    byte[] big = randomBytes(100, 7);
    a.send(ByteBuffer.wrap(big), b.localEndpoint());
    a.send(ascii("0123456789"), b.localEndpoint());
    a.send(ascii("after"), b.localEndpoint());

    ByteBuffer dst = ByteBuffer.allocate(60).position(10);
    assertEquals(a.localEndpoint(), b.receive(dst));
    assertEquals(60, dst.position(), "filled to its limit, the rest is lost");
    assertBytesEqual(
        java.util.Arrays.copyOf(big, 50), bytesOf(dst.flip().position(10)), "first 50 bytes");

    ByteBuffer none = ByteBuffer.allocate(0);
    assertEquals(a.localEndpoint(), b.receive(none), "a buffer with no room takes a datagram");
    ByteBuffer next = ByteBuffer.allocate(64);
    b.receive(next);
    assertEquals("after", US_ASCII.decode(next.flip()).toString());
  }

  @Test
  void connectedSocketTalksToItsPeerOnly() throws Exception {
    DatagramSocket server = bind("udp://127.0.0.1:0");
    DatagramSocket client = connect(server.localEndpoint());
    assertEquals(Optional.of(server.localEndpoint()), client.remoteEndpoint());
    assertEquals("127.0.0.1", client.localEndpoint().host(), "bound where the peer can answer");
    assertNotEquals(0, client.localEndpoint().port());

    client.send(ascii("hello"), null);
    // The JDK would skip it on a connected channel and report success: refused instead.
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class, () -> client.send(ByteBuffer.allocate(0), null));
    assertTrue(empty.getMessage().contains(server.localEndpoint().toString()), empty.getMessage());
    client.send(ascii("again"), server.localEndpoint());
    Endpoint[] from = new Endpoint[1];
    assertEquals("hello", receiveText(server, from));
    assertEquals(client.localEndpoint(), from[0]);
    assertEquals("again", receiveText(server, from));
    server.send(ByteBuffer.allocate(0), client.localEndpoint());
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertSame(client.remoteEndpoint().orElseThrow(), client.receive(dst));
    assertEquals(0, dst.position(), "an empty datagram from the peer arrives empty");

    DatagramSocket stranger = bind("udp://127.0.0.1:0");
    stranger.send(ascii("intruder"), client.localEndpoint());
    server.send(ascii("reply"), client.localEndpoint());
    assertEquals("reply", receiveText(client, from), "datagrams from others are dropped");
    assertSame(client.remoteEndpoint().orElseThrow(), from[0]);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.send(ascii("x"), stranger.localEndpoint()));
    assertEquals(
        "not the peer of this connected socket (expected: "
            + server.localEndpoint()
            + ", or null): "
            + stranger.localEndpoint(),
        e.getMessage());
  }

  @Test
  void connectedSocketReportsAPeerNobodyListensAt() throws Exception {
    DatagramSocket gone = bind("udp://127.0.0.1:0");
    Endpoint peer = gone.localEndpoint();
    gone.close();
    DatagramSocket client = connect(peer);
    client.send(ascii("anyone?"), null);
    // The kernel queues the ICMP error on the socket; the next receive reports it.
    PortUnreachableException e =
        assertThrows(PortUnreachableException.class, () -> client.receive(ByteBuffer.allocate(16)));
    assertTrue(e.getMessage().endsWith(": " + peer), e.getMessage());
    assertTrue(client.isOpen(), "the socket stays usable");
  }

  @Test
  void connectingToPortZeroOrAGroupFailsNamingTheEndpoint() {
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class, () -> connect(Endpoint.parse("udp://127.0.0.1:0")));
    assertEquals(
        "port 0 cannot be connected to (expected: 1 to 65535): udp://127.0.0.1:0",
        zero.getMessage());
    IllegalArgumentException group =
        assertThrows(
            IllegalArgumentException.class,
            () -> connect(Endpoint.parse("udp://239.1.2.3:5000?interface=lo")));
    assertEquals(
        "cannot connect to a multicast group (expected: a unicast address; bind the group to"
            + " send to it and receive from it): udp://239.1.2.3:5000?interface=lo",
        group.getMessage());
  }

  @Test
  void targetsOfAnotherKindOrFamilyAreRejectedByName() throws Exception {
    DatagramSocket v4 = bind("udp://127.0.0.1:0");
    DatagramSocket v6 = bind("udp://[::1]:0");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> v4.send(ascii("x"), Endpoint.parse("tcp://127.0.0.1:7")));
    assertEquals(
        "not a udp target (expected: udp, udp4 or udp6): tcp://127.0.0.1:7", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> v4.send(ascii("x"), Endpoint.parse("udp://[::1]:7")));
    assertEquals(
        "not an IPv4 target for "
            + v4.localEndpoint()
            + " (expected: an IPv4 address, or a host that has one): udp://[::1]:7",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> v6.send(ascii("x"), Endpoint.parse("udp://127.0.0.1:7")));
    assertEquals(
        "not an IPv6 target for "
            + v6.localEndpoint()
            + " (expected: an IPv6 address, or a host that has one): udp://127.0.0.1:7",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> v4.send(ascii("x"), Endpoint.parse("udp://127.0.0.1:0")));
    assertEquals(
        "port 0 cannot be sent to (expected: 1 to 65535): udp://127.0.0.1:0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> v4.send(ascii("x"), null));
    assertEquals(
        "no target for a socket that is not connected (expected: an endpoint to send to): "
            + v4.localEndpoint(),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"udp", "udp6"})
  void dualStackSocketTalksToIpv4PeersInItsScheme(String scheme) throws Exception {
    DatagramSocket dual = bind(scheme + "://[::]:0");
    DatagramSocket v4 = bind("udp://127.0.0.1:0");
    v4.send(ascii("hi"), Endpoint.parse("udp://127.0.0.1:" + dual.localEndpoint().port()));
    Endpoint[] from = new Endpoint[1];
    assertEquals("hi", receiveText(dual, from));
    String host = scheme.equals("udp6") ? "[::ffff:127.0.0.1]" : "127.0.0.1";
    assertEquals(scheme + "://" + host + ":" + v4.localEndpoint().port(), from[0].toString());
    dual.send(ascii("back"), from[0]);
    assertEquals("back", receiveText(v4, from));

    MessageTooLargeException e =
        assertThrows(
            MessageTooLargeException.class,
            () -> dual.send(ByteBuffer.allocate(65_508), v4.localEndpoint()));
    assertEquals(
        "datagram of 65508 bytes exceeds the IPv4 maximum of 65507 bytes: " + v4.localEndpoint(),
        e.getMessage());
    assertEquals(65_508, e.size());
    assertEquals(65_507, e.limit());
  }

  /** The address a dual-stack udp6 socket names an IPv4 peer by can be bound and connected to. */
  @Test
  void bindsAndConnectsToAnIpv4MappedUdp6Address() throws Exception {
    DatagramSocket mapped = bind("udp6://[::ffff:127.0.0.1]:0");
    assertEquals(
        "udp6://[::ffff:127.0.0.1]:" + mapped.localEndpoint().port(),
        mapped.localEndpoint().toString());
    DatagramSocket v4 = bind("udp://127.0.0.1:0");
    v4.send(ascii("hi"), Endpoint.parse("udp://127.0.0.1:" + mapped.localEndpoint().port()));
    Endpoint[] from = new Endpoint[1];
    assertEquals("hi", receiveText(mapped, from));
    assertEquals("udp6://[::ffff:127.0.0.1]:" + v4.localEndpoint().port(), from[0].toString());
    mapped.send(ascii("back"), from[0]);
    assertEquals("back", receiveText(v4, from));
    v4.send(ascii("to mapped"), mapped.localEndpoint());
    assertEquals("to mapped", receiveText(mapped, from), "an IPv4 socket sends to it as IPv4");

    DatagramSocket connected = connect(mapped.localEndpoint());
    connected.send(ascii("connected"), null);
    assertEquals("connected", receiveText(mapped, from));
  }

  @Test
  void broadcastsReachAWildcardReceiverOnLoopback() throws Exception {
    // On Linux lo is 127.0.0.0/8, whose broadcast address is 127.255.255.255; sending there needs
    // SO_BROADCAST, and only sockets bound to the wildcard address receive it.
    DatagramSocket receiver = bind("udp://0.0.0.0:0");
    DatagramSocket sender = bind("udp://127.0.0.1:0");
    assertTrue(
        sender
            .unwrap(DatagramChannel.class)
            .orElseThrow()
            .getOption(StandardSocketOptions.SO_BROADCAST));
    sender.send(
        ascii("to all"),
        Endpoint.parse("udp://127.255.255.255:" + receiver.localEndpoint().port()));
    Endpoint[] from = new Endpoint[1];
    assertEquals("to all", receiveText(receiver, from));
    assertEquals(sender.localEndpoint(), from[0]);
  }

  @Test
  void multicastMembersOnLoopbackAllReceiveTheGroupsDatagrams() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String group = "239.255." + random.nextInt(1, 255) + "." + random.nextInt(1, 255);
    DatagramSocket first = bind("udp://" + group + ":0?interface=lo");
    int port = first.localEndpoint().port();
    assertNotEquals(0, port);
    assertEquals("udp://" + group + ":" + port + "?interface=lo", first.localEndpoint().toString());
    DatagramSocket second = bind("udp://" + group + ":" + port + "?interface=lo");
    DatagramSocket sender = bind("udp://" + group + ":0?interface=lo");
    DatagramChannel channel = sender.unwrap(DatagramChannel.class).orElseThrow();
    assertEquals(
        NetworkInterface.getByName("lo"), channel.getOption(StandardSocketOptions.IP_MULTICAST_IF));
    assertTrue(channel.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));

    sender.send(ascii("to the group"), Endpoint.parse("udp://" + group + ":" + port));
    Endpoint[] from = new Endpoint[1];
    assertEquals("to the group", receiveText(first, from));
    assertEquals(port, first.localEndpoint().port());
    assertEquals(sender.localEndpoint().port(), from[0].port());
    assertEquals("to the group", receiveText(second, from));
    assertEquals(sender.localEndpoint().port(), from[0].port());
  }

  @Test
  void multicastEndpointsAreCheckedBeforeBinding() throws Exception {
    IllegalArgumentException notGroup =
        assertThrows(IllegalArgumentException.class, () -> bind("udp://127.0.0.1:0?interface=lo"));
    assertEquals(
        "?interface= is for multicast groups only (expected: a group address, 224.0.0.0 to"
            + " 239.255.255.255 or ff00::/8): udp://127.0.0.1:0?interface=lo",
        notGroup.getMessage());
    IllegalArgumentException noInterface =
        assertThrows(IllegalArgumentException.class, () -> bind("udp://239.1.2.3:0"));
    assertEquals(
        "multicast group without an interface (expected: ?interface=NAME, such as"
            + " ?interface=lo): udp://239.1.2.3:0",
        noInterface.getMessage());
    SocketException noSuchInterface =
        assertThrows(SocketException.class, () -> bind("udp://239.1.2.3:0?interface=nosuch0"));
    String names =
        NetworkInterface.networkInterfaces()
            .map(NetworkInterface::getName)
            .sorted()
            .collect(Collectors.joining(", "));
    assertEquals(
        "no network interface \"nosuch0\" (expected: one of "
            + names
            + "): udp://239.1.2.3:0?interface=nosuch0",
        noSuchInterface.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> bind("udp://127.0.0.1:0?ttl=3"));
    assertEquals(
        "unknown parameter \"ttl\" (expected: interface, for a multicast group):"
            + " udp://127.0.0.1:0?ttl=3",
        unknown.getMessage());
    IllegalArgumentException stream =
        assertThrows(IllegalArgumentException.class, () -> bind("tcp://127.0.0.1:0"));
    assertEquals(
        "not a udp endpoint (expected: udp, udp4 or udp6): tcp://127.0.0.1:0", stream.getMessage());
  }

  @Test
  void bindingATakenPortFailsWithAddressInUseNamingTheEndpoint() throws Exception {
    DatagramSocket holder = bind("udp://127.0.0.1:0");
    AddressInUseException e =
        assertThrows(AddressInUseException.class, () -> bind(holder.localEndpoint().toString()));
    assertEquals(holder.localEndpoint() + ": address already in use", e.getMessage());
    assertEquals(holder.localEndpoint(), e.endpoint());
    assertTrue(e.holderAlive());
  }

  @Test
  void closingFromAnotherThreadUnblocksReceive() throws Exception {
    DatagramSocket socket = bind("udp://127.0.0.1:0");
    Call<Endpoint> receive = start("receive", () -> socket.receive(ByteBuffer.allocate(16)));
    assertTrue(receive.awaitBlocked(STEP), "receive should block on a silent socket");
    socket.close();
    assertInstanceOf(AsynchronousCloseException.class, receive.failure(STEP));
    assertFalse(socket.isOpen());
    socket.close();
    assertThrows(
        ClosedChannelException.class, () -> socket.send(ascii("x"), socket.localEndpoint()));
    assertThrows(ClosedChannelException.class, () -> socket.receive(ByteBuffer.allocate(1)));
  }

  @Test
  void closingAConnectedSocketFromAnotherThreadUnblocksReceive() throws Exception {
    DatagramSocket server = bind("udp://127.0.0.1:0");
    DatagramSocket client = connect(server.localEndpoint());
    Call<Endpoint> receive = start("receive", () -> client.receive(ByteBuffer.allocate(16)));
    assertTrue(receive.awaitBlocked(STEP), "receive should block on a silent peer");
    client.close();
    assertInstanceOf(AsynchronousCloseException.class, receive.failure(STEP));
  }
}
