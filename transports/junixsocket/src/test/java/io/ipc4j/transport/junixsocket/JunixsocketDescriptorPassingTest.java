package io.ipc4j.transport.junixsocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.DescriptorPassing;
import io.ipc4j.Endpoint;
import io.ipc4j.Ipc;
import io.ipc4j.IpcOptions;
import io.ipc4j.IpcServer;
import io.ipc4j.Listener;
import io.ipc4j.MessageConnection;
import io.ipc4j.StandardIpcOptions;
import io.ipc4j.StreamConnection;
import io.ipc4j.TransportUnavailableException;
import io.ipc4j.spi.DescriptorChannel;
import io.ipc4j.spi.PacketAcceptor;
import io.ipc4j.spi.PacketSocket;
import io.ipc4j.spi.StreamAcceptor;
import io.ipc4j.spi.StreamSocket;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * File descriptors passed over {@code unix} and {@code unixpacket}: at the SPI, through {@link
 * DescriptorPassing}, and from one process to another.
 */
@Timeout(30)
class JunixsocketDescriptorPassingTest {
  private final JunixsocketTransportProvider provider = new JunixsocketTransportProvider();
  @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jd-");
  private Endpoint connected;

  /** A file with {@code content} in a new directory. */
  private Path newFile(String content) throws IOException {
    Path dir = fixture.newDirectory();
    return Files.writeString(dir.resolve("f.txt"), content);
  }

  /** One side of a connection at the SPI: sends one byte, receives one message's bytes. */
  private interface Side extends AutoCloseable {
    DescriptorChannel descriptors();

    void sendByte(byte b) throws IOException;

    byte receiveByte() throws IOException;

    @Override
    void close() throws IOException;
  }

  private static Side side(StreamSocket s) {
    return new Side() {
      public DescriptorChannel descriptors() {
        return s.unwrap(DescriptorChannel.class).orElseThrow();
      }

      public void sendByte(byte b) throws IOException {
        assertEquals(1, s.write(ByteBuffer.wrap(new byte[] {b})));
      }

      public byte receiveByte() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        assertEquals(1, s.read(b));
        return b.get(0);
      }

      public void close() throws IOException {
        s.close();
      }
    };
  }

  private static Side side(PacketSocket s) {
    return new Side() {
      public DescriptorChannel descriptors() {
        return s.unwrap(DescriptorChannel.class).orElseThrow();
      }

      public void sendByte(byte b) throws IOException {
        s.send(ByteBuffer.wrap(new byte[] {b}));
      }

      public byte receiveByte() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2);
        assertEquals(1, s.receive(b));
        return b.get(0);
      }

      public void close() throws IOException {
        s.close();
      }
    };
  }

  /**
   * A client and the server side of a connection on a fresh abstract name of {@code scheme}, both
   * receiving descriptors.
   */
  private Side[] connect(String scheme) throws IOException {
    return connect(scheme, TestEndpoints.RECEIVING);
  }

  /** As {@link #connect(String)}, both sides opened with {@code options}. */
  private Side[] connect(String scheme, IpcOptions options) throws IOException {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(scheme);
    connected = endpoint;
    if (scheme.equals("unix")) {
      StreamAcceptor acceptor = fixture.closeAfter(provider.listen(endpoint, options));
      Side client = fixture.closeAfter(side(provider.connect(endpoint, options)));
      return new Side[] {client, fixture.closeAfter(side(acceptor.accept()))};
    }
    PacketAcceptor acceptor = fixture.closeAfter(provider.listenPacket(endpoint, options));
    Side client = fixture.closeAfter(side(provider.connectPacket(endpoint, options)));
    return new Side[] {client, fixture.closeAfter(side(acceptor.accept()))};
  }

  private static String read(FileDescriptor fd) throws IOException {
    try (InputStream in = new FileInputStream(fd)) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  /**
   * The descriptor, not the path, travels: the file is deleted before sending, and read through
   * what arrives after both sockets closed (junixsocket would close what it received with them).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unix", "unixpacket"})
  void openFileArrivesUsableEvenAfterTheSocketsClose(String scheme) throws Exception {
    Side[] pair = connect(scheme);
    Path file = newFile("passed over " + scheme);
    FileDescriptor[] received;
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      Files.delete(file);
      pair[0].descriptors().attachToNextWrite(in.getFD());
      pair[0].sendByte((byte) 7);
    }
    assertEquals(7, pair[1].receiveByte());
    received = pair[1].descriptors().takeReceived();
    assertEquals(1, received.length, "descriptors: " + Arrays.toString(received));
    assertEquals(0, pair[1].descriptors().takeReceived().length, "each is taken once");
    pair[0].sendByte((byte) 8);
    assertEquals(8, pair[1].receiveByte());
    assertEquals(0, pair[1].descriptors().takeReceived().length, "only the next write carries it");
    pair[0].close();
    pair[1].close();
    assertTrue(received[0].valid());
    assertEquals("passed over " + scheme, read(received[0]));
  }

  @Test
  void sixtyDescriptorsArriveWithOneMessageAndMoreAreRefused() throws Exception {
    Side[] pair = connect("unixpacket");
    Path file = newFile("x");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      FileDescriptor[] sixty = new FileDescriptor[PassedDescriptors.MAX_PER_WRITE];
      Arrays.fill(sixty, in.getFD());
      FileDescriptor[] more = Arrays.copyOf(sixty, sixty.length + 1);
      more[sixty.length] = in.getFD();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> pair[0].descriptors().attachToNextWrite(more));
      assertEquals(
          "61 file descriptors (expected: at most 60 per message, what junixsocket can receive): "
              + connected,
          e.getMessage());
      pair[0].descriptors().attachToNextWrite(sixty);
      pair[0].sendByte((byte) 1);
    }
    assertEquals(1, pair[1].receiveByte());
    FileDescriptor[] received = pair[1].descriptors().takeReceived();
    assertEquals(60, received.length);
    for (FileDescriptor fd : received) {
      assertTrue(fd.valid());
      new FileInputStream(fd).close();
    }
  }

  /** junixsocket crashes the JVM on a null descriptor: every one is checked first. */
  @Test
  void rejectsNullAndClosedDescriptorsNamingThem() throws Exception {
    Side[] pair = connect("unix");
    FileDescriptor closed = new FileDescriptor();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pair[0].descriptors().attachToNextWrite(FileDescriptor.in, closed));
    Endpoint peer = connected;
    assertEquals(
        "invalid file descriptor (expected: an open one): " + closed + " for " + peer,
        e.getMessage());
    IllegalArgumentException n =
        assertThrows(
            IllegalArgumentException.class,
            () -> pair[0].descriptors().attachToNextWrite((FileDescriptor) null));
    assertEquals(
        "invalid file descriptor (expected: an open one): null for " + peer, n.getMessage());
    pair[0].sendByte((byte) 3);
    assertEquals(3, pair[1].receiveByte());
    assertEquals(0, pair[1].descriptors().takeReceived().length, "nothing was attached");
  }

  /** A peer cannot make this process hold more than 253 descriptors nobody takes. */
  @Test
  void keepsAtMost253UnclaimedDescriptorsAndClosesTheOldest() throws Exception {
    Side[] pair = connect("unixpacket");
    Path file = newFile("x");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      FileDescriptor[] sixty = new FileDescriptor[60];
      Arrays.fill(sixty, in.getFD());
      for (int i = 0; i < 5; i++) {
        pair[0].descriptors().attachToNextWrite(sixty);
        pair[0].sendByte((byte) i);
      }
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(i, pair[1].receiveByte());
    }
    FileDescriptor[] received = pair[1].descriptors().takeReceived();
    assertEquals(PassedDescriptors.MAX_UNCLAIMED, received.length);
    for (FileDescriptor fd : received) {
      new FileInputStream(fd).close();
    }
  }

  /**
   * Through the public API, over {@code unix} (forced to junixsocket) and {@code unixpacket}; over
   * {@code unix} also with a message too large to be copied into one write with its header (over 4
   * KiB), which is written gathered: the descriptors go with the message's first bytes either way,
   * not with the next message.
   */
  @ParameterizedTest(name = "{0}, {1} bytes")
  @CsvSource({"unix, 6", "unixpacket, 6", "unix, 20000"})
  void descriptorPassingThroughTheApi(String scheme, int size) throws Exception {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(scheme);
    Listener<MessageConnection> listener =
        fixture.closeAfter(Ipc.listenMessages(endpoint, TestEndpoints.RECEIVING));
    MessageConnection client =
        fixture.closeAfter(Ipc.connectMessages(endpoint, TestEndpoints.JUNIXSOCKET));
    MessageConnection server = fixture.closeAfter(listener.accept());
    DescriptorPassing sending = client.unwrap(DescriptorPassing.class).orElseThrow();
    DescriptorPassing receiving = server.unwrap(DescriptorPassing.class).orElseThrow();
    byte[] message = new byte[size];
    for (int i = 0; i < size; i++) {
      message[i] = (byte) (i * 7);
    }
    Path file = newFile("through the API over " + scheme);
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      Files.delete(file);
      sending.send(ByteBuffer.wrap(message), in.getFD());
    }
    client.send(ByteBuffer.wrap("no file".getBytes(UTF_8)));
    ByteBuffer m = server.receive();
    assertNotNull(m);
    byte[] received = new byte[m.remaining()];
    m.get(received);
    assertArrayEquals(message, received);
    List<FileDescriptor> fds = receiving.receivedDescriptors();
    assertEquals(1, fds.size());
    assertEquals("no file", UTF_8.decode(server.receive()).toString());
    assertEquals(List.of(), receiving.receivedDescriptors());
    client.close();
    server.close();
    assertEquals("through the API over " + scheme, read(fds.get(0)));
  }

  /**
   * Descriptors that a send could not carry (an empty write on a byte stream, which sends nothing;
   * an empty packet, which is refused) are refused with it and do not travel with the next send.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unix", "unixpacket"})
  void descriptorsOfAFailedSendDoNotGoWithTheNext(String scheme) throws Throwable {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(scheme);
    DescriptorPassing sending;
    DescriptorPassing receiving;
    Executable sendPlain;
    Executable receivePlain;
    if (scheme.equals("unix")) {
      Listener<StreamConnection> listener =
          fixture.closeAfter(Ipc.listen(endpoint, TestEndpoints.RECEIVING));
      StreamConnection client =
          fixture.closeAfter(Ipc.connect(endpoint, TestEndpoints.JUNIXSOCKET));
      StreamConnection server = fixture.closeAfter(listener.accept());
      sending = client.unwrap(DescriptorPassing.class).orElseThrow();
      receiving = server.unwrap(DescriptorPassing.class).orElseThrow();
      sendPlain = () -> client.write(ByteBuffer.wrap(new byte[] {7}));
      receivePlain = () -> assertEquals(1, server.read(ByteBuffer.allocate(8)));
    } else {
      Listener<MessageConnection> listener =
          fixture.closeAfter(Ipc.listenMessages(endpoint, TestEndpoints.RECEIVING));
      MessageConnection client =
          fixture.closeAfter(Ipc.connectMessages(endpoint, TestEndpoints.JUNIXSOCKET));
      MessageConnection server = fixture.closeAfter(listener.accept());
      sending = client.unwrap(DescriptorPassing.class).orElseThrow();
      receiving = server.unwrap(DescriptorPassing.class).orElseThrow();
      sendPlain = () -> client.send(ByteBuffer.wrap(new byte[] {7}));
      receivePlain = () -> assertEquals(1, server.receive().remaining());
    }
    try (FileInputStream in = new FileInputStream(newFile("not to be sent").toFile())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> sending.send(ByteBuffer.allocate(0), in.getFD()));
      assertTrue(e.getMessage().contains("expected: at least 1 byte"), e.getMessage());
    }
    sendPlain.execute();
    receivePlain.execute();
    assertEquals(List.of(), receiving.receivedDescriptors(), "nothing came with the next send");
  }

  /**
   * Another process receives the descriptor of a file whose path is gone, and reads it: {@link
   * DescriptorChild} prints what it read.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unix", "unixpacket"})
  void passesAnOpenFileToAnotherProcess(String scheme) throws Exception {
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(scheme);
    Listener<MessageConnection> listener =
        fixture.closeAfter(Ipc.listenMessages(endpoint, TestEndpoints.JUNIXSOCKET));
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-cp",
            System.getProperty("java.class.path"),
            DescriptorChild.class.getName(),
            endpoint.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    fixture.closeAfter(child::destroyForcibly);
    // Should the child fail before it connects, closing the listener ends the accept.
    child.onExit().thenRun(() -> closeQuietly(listener));
    String content = "from process " + ProcessHandle.current().pid() + " over " + scheme;
    Path file = newFile(content);
    try (MessageConnection server = listener.accept();
        FileInputStream in = new FileInputStream(file.toFile())) {
      Files.delete(file);
      assertFalse(Files.exists(file));
      server
          .unwrap(DescriptorPassing.class)
          .orElseThrow()
          .send(ByteBuffer.wrap("take this".getBytes(UTF_8)), in.getFD());
      ByteBuffer done = server.receive();
      assertNotNull(done, "the child answers once it has read the file");
    }
    String output;
    try (InputStream out = child.getInputStream()) {
      output = new String(out.readAllBytes(), UTF_8);
    }
    assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child exits: " + output);
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("message=take this descriptors=1\n"), output);
    assertTrue(output.contains("content=" + content + "\n"), output);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort: the test fails on its own
    }
  }

  /**
   * Without {@code RECEIVE_DESCRIPTORS} the receiver gets the message and no descriptor, and the
   * kernel closes what was sent: the socket passed is closed here once its sender closes its copy,
   * which its other end sees as the end of the stream. Had the receiver kept a copy (as one opened
   * to receive does until it is taken), that read would time out.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unix", "unixpacket"})
  void aSocketNotReceivingGetsNoDescriptorsAndTheKernelClosesThem(String scheme) throws Exception {
    Side[] pair = connect(scheme, TestEndpoints.JUNIXSOCKET);
    assertFalse(pair[1].descriptors().receivesDescriptors());
    try (AFUNIXSocketPair<AFUNIXSocketChannel> witness = AFUNIXSocketPair.open()) {
      pair[0].descriptors().attachToNextWrite(witness.getSocket2().getFileDescriptor());
      pair[0].sendByte((byte) 9);
      assertEquals(9, pair[1].receiveByte());
      assertArrayEquals(new FileDescriptor[0], pair[1].descriptors().takeReceived());

      witness.getSocket2().close();
      witness.getSocket1().socket().setSoTimeout(10_000);
      assertEquals(-1, witness.getSocket1().socket().getInputStream().read());
    }
  }

  /**
   * Asking a connection not opened to receive descriptors for them says which option it lacks and
   * which connection it is: message connections over {@code unix} (framed) and {@code unixpacket},
   * and a {@code unix} byte stream.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"messages unix", "messages unixpacket", "stream unix"})
  void takingDescriptorsFromAConnectionNotReceivingThemIsAClearError(String kind) throws Exception {
    String[] k = kind.split(" ");
    Endpoint endpoint = TestEndpoints.newAbstractEndpoint().withScheme(k[1]);
    AutoCloseable accepted;
    if (k[0].equals("messages")) {
      Listener<MessageConnection> listener =
          fixture.closeAfter(Ipc.listenMessages(endpoint, TestEndpoints.JUNIXSOCKET));
      fixture.closeAfter(Ipc.connectMessages(endpoint, TestEndpoints.JUNIXSOCKET));
      accepted = fixture.closeAfter(listener.accept());
    } else {
      Listener<StreamConnection> listener =
          fixture.closeAfter(Ipc.listen(endpoint, TestEndpoints.JUNIXSOCKET));
      fixture.closeAfter(Ipc.connect(endpoint, TestEndpoints.JUNIXSOCKET));
      accepted = fixture.closeAfter(listener.accept());
    }
    DescriptorPassing receiving =
        (accepted instanceof MessageConnection
                ? ((MessageConnection) accepted).unwrap(DescriptorPassing.class)
                : ((StreamConnection) accepted).unwrap(DescriptorPassing.class))
            .orElseThrow();

    IllegalStateException e =
        assertThrows(IllegalStateException.class, receiving::receivedDescriptors);

    assertEquals(
        "file descriptors are not received on this connection; the kernel closes any sent to it"
            + " (expected: StandardIpcOptions.RECEIVE_DESCRIPTORS set to true when it, or its"
            + " listener or server, was opened): "
            + accepted,
        e.getMessage());
    assertTrue(accepted.toString().contains(endpoint.toString()), accepted.toString());
  }

  /**
   * A server opened to receive descriptors hands them to its handler: the README's example. The
   * client sends over a {@code unix} path with junixsocket, which is all sending needs.
   */
  @Test
  void aServerOpenedToReceiveDescriptorsHandsThemToItsHandler() throws Exception {
    Endpoint endpoint = Endpoint.unix(fixture.newDirectory().resolve("s"));
    IpcServer server =
        fixture.closeAfter(
            IpcServer.builder(endpoint)
                .options(IpcOptions.of(StandardIpcOptions.RECEIVE_DESCRIPTORS, true))
                .messageHandler(
                    c -> {
                      DescriptorPassing fds = c.unwrap(DescriptorPassing.class).orElseThrow();
                      for (ByteBuffer m; (m = c.receive()) != null; ) {
                        for (FileDescriptor fd : fds.receivedDescriptors()) {
                          c.send(ByteBuffer.wrap(read(fd).getBytes(UTF_8)));
                        }
                      }
                    })
                .start());
    MessageConnection client =
        fixture.closeAfter(Ipc.connectMessages(server.endpoint(), TestEndpoints.JUNIXSOCKET));
    sendFileDescriptor(client, "to the handler");

    assertEquals("to the handler", UTF_8.decode(client.receive()).toString());
  }

  /**
   * Asking to receive descriptors over a {@code unix} path, which the JDK's provider serves by
   * default, picks junixsocket, which can.
   */
  @Test
  void receivingDescriptorsOverAUnixPathPicksAProviderThatCan() throws Exception {
    Endpoint endpoint = Endpoint.unix(fixture.newDirectory().resolve("s"));
    IpcOptions receiving = IpcOptions.of(StandardIpcOptions.RECEIVE_DESCRIPTORS, true);
    Listener<MessageConnection> listener =
        fixture.closeAfter(Ipc.listenMessages(endpoint, receiving));
    MessageConnection client = fixture.closeAfter(Ipc.connectMessages(endpoint, receiving));
    MessageConnection server = fixture.closeAfter(listener.accept());
    sendFile(client, "over a path", server);

    List<FileDescriptor> fds =
        server.unwrap(DescriptorPassing.class).orElseThrow().receivedDescriptors();
    assertEquals(1, fds.size());
    assertEquals("over a path", read(fds.get(0)));
  }

  /**
   * Sends the descriptor of a new file holding {@code content} from {@code client}, with the
   * message "a file", and receives that message on {@code server}.
   */
  private void sendFile(MessageConnection client, String content, MessageConnection server)
      throws IOException {
    sendFileDescriptor(client, content);
    assertEquals("a file", UTF_8.decode(server.receive()).toString());
  }

  /** Sends the descriptor of a new file holding {@code content} with the message "a file". */
  private void sendFileDescriptor(MessageConnection client, String content) throws IOException {
    try (FileInputStream in = new FileInputStream(newFile(content).toFile())) {
      client
          .unwrap(DescriptorPassing.class)
          .orElseThrow()
          .send(ByteBuffer.wrap("a file".getBytes(UTF_8)), in.getFD());
    }
  }

  /**
   * Where no provider can pass descriptors, asking to receive them is refused up front: a tcp
   * connection, a unixgram datagram endpoint, and a unix path forced to the JDK's provider.
   */
  @Test
  void receivingDescriptorsWhereNoProviderCanIsRefused() throws IOException {
    IpcOptions receiving = IpcOptions.of(StandardIpcOptions.RECEIVE_DESCRIPTORS, true);
    Path dir = fixture.newDirectory();

    TransportUnavailableException tcp =
        assertThrows(
            TransportUnavailableException.class,
            () -> Ipc.connectMessages("tcp://127.0.0.1:9", receiving));
    TransportUnavailableException unixgram =
        assertThrows(
            TransportUnavailableException.class,
            () -> Ipc.bind(Endpoint.unix(dir.resolve("g")).withScheme("unixgram"), receiving));
    TransportUnavailableException jdk =
        assertThrows(
            TransportUnavailableException.class,
            () ->
                Ipc.listenMessages(
                    Endpoint.unix(dir.resolve("s")),
                    receiving.with(StandardIpcOptions.PROVIDER, "jdk")));

    String expected = "(expected: unix or unixpacket, or receiveDescriptors=false)";
    assertTrue(
        tcp.getMessage().contains("jdk: passes no file descriptors over tcp " + expected),
        tcp.getMessage());
    assertTrue(
        unixgram
            .getMessage()
            .contains("junixsocket: passes no file descriptors over unixgram " + expected),
        unixgram.getMessage());
    assertTrue(
        jdk.getMessage().contains("provider \"jdk\" cannot serve unix://" + dir.resolve("s")),
        jdk.getMessage());
    assertTrue(jdk.getMessage().contains("passes no file descriptors over unix"), jdk.getMessage());
    assertFalse(Files.exists(dir.resolve("g")), "nothing bound");
    assertFalse(Files.exists(dir.resolve("s")), "nothing bound");
  }

  @Test
  void attachingNoDescriptorsAttachesNone() throws Exception {
    Side[] pair = connect("unixpacket");
    assertArrayEquals(new FileDescriptor[0], pair[1].descriptors().takeReceived());
    pair[0].descriptors().attachToNextWrite();
    pair[0].sendByte((byte) 1);
    assertEquals(1, pair[1].receiveByte());
    assertArrayEquals(new FileDescriptor[0], pair[1].descriptors().takeReceived());
  }
}
