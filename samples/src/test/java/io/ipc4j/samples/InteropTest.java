package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample servers driven by real third-party peers over tcp and unix: socat, OpenBSD netcat,
 * Python 3's socket module and curl. A test whose program is missing is skipped with the reason;
 * {@code scripts/install-test-tools} installs them.
 */
@Timeout(60)
class InteropTest {
  /** A frame-speaking client: pipelines its requests, prints the replies as they come. */
  private static final String PYTHON_RPC =
      String.join(
          "\n",
          "import socket, struct, sys",
          "family, address = (socket.AF_UNIX, sys.argv[1]) if len(sys.argv) == 2 \\",
          "    else (socket.AF_INET, (sys.argv[1], int(sys.argv[2])))",
          "s = socket.socket(family, socket.SOCK_STREAM)",
          "s.connect(address)",
          "def recv_exact(n):",
          "    data = b''",
          "    while len(data) < n:",
          "        chunk = s.recv(n - len(data))",
          "        if not chunk: raise EOFError('closed after %d of %d bytes' % (len(data), n))",
          "        data += chunk",
          "    return data",
          "requests = [b'1 sleep 1000', b'2 add 2 3', b'bad', 'é echo ünïcode'.encode()]",
          "for m in requests:",
          "    s.sendall(struct.pack('>I', len(m)) + m)",
          "for _ in requests:",
          "    (n,) = struct.unpack('>I', recv_exact(4))",
          "    print(recv_exact(n).decode())",
          "");

  /**
   * The sleep answers last: its second is ample for a fresh server JVM on a busy 2-core machine to
   * answer the other three (200 ms was not always).
   */
  private static final String PYTHON_RPC_REPLIES =
      "2 ok 5\n"
          + "bad error malformed request: no method (expected: ID METHOD [ARGS])\n"
          + "- error malformed request (expected: ID METHOD [ARGS], ID of 1 to 32 letters,"
          + " digits, '.', '-' or '_'): \"é echo ünïcode\"\n"
          + "1 ok slept 1000 ms\n";

  @TempDir(factory = ShortTempDir.class)
  Path tmp;

  /**
   * socat waits {@code -t} seconds for the server once its input ends (half a second by default,
   * too short for a busy machine), and exits as soon as the server closes.
   */
  @Test
  void socatTalksToEchoServerOverTcpAndUnix() throws Exception {
    Interop.assume("socat", "socat");
    try (Sample tcp = Sample.start("echo-server", "tcp://127.0.0.1:0");
        Sample unix = Sample.start("echo-server", "unix://" + tmp.resolve("e.sock"))) {
      URI t = URI.create(tcp.awaitListening());
      unix.awaitListening();
      Interop.Run overTcp =
          Interop.run(
              List.of("socat", "-t", "10", "-", "TCP:" + t.getHost() + ":" + t.getPort()),
              "hello\nno newline");
      assertEquals("hello\nno newline", overTcp.out, overTcp.toString());
      Interop.Run overUnix =
          Interop.run(
              List.of("socat", "-t", "10", "-", "UNIX-CONNECT:" + tmp.resolve("e.sock")), "unix\n");
      assertEquals("unix\n", overUnix.out, overUnix.toString());
    }
  }

  @Test
  void netcatTalksToEchoServerOverTcpAndUnix() throws Exception {
    String nc = Interop.netcat();
    try (Sample tcp = Sample.start("echo-server", "tcp://127.0.0.1:0");
        Sample unix = Sample.start("echo-server", "unix://" + tmp.resolve("e.sock"))) {
      URI t = URI.create(tcp.awaitListening());
      unix.awaitListening();
      // -N: shut down the sending side at the end of input, so the server sees it and closes.
      Interop.Run overTcp =
          Interop.run(List.of(nc, "-N", t.getHost(), Integer.toString(t.getPort())), "a\nb\n");
      assertEquals("a\nb\n", overTcp.out, overTcp.toString());
      Interop.Run overUnix =
          Interop.run(List.of(nc, "-N", "-U", tmp.resolve("e.sock").toString()), "over unix");
      assertEquals("over unix", overUnix.out, overUnix.toString());
    }
  }

  @Test
  void netcatJoinsTheChatOverUnix() throws Exception {
    String nc = Interop.netcat();
    Path socket = tmp.resolve("c.sock");
    try (Sample server = Sample.start("chat-server", "unix://" + socket)) {
      server.awaitListening();
      try (Sample bob = Sample.start("chat-client", "unix://" + socket, "--name", "bob")) {
        server.awaitLine("bob joined");
        Interop.Run carol =
            Interop.run(List.of(nc, "-N", "-U", socket.toString()), "carol\r\nhello from nc\n");
        assertEquals("* welcome carol; here: bob, carol\n", carol.out, carol.toString());
        bob.awaitLine("* carol joined");
        bob.awaitLine("carol: hello from nc");
        bob.awaitLine("* carol left");
      }
    }
  }

  @Test
  void pythonSpeaksFramesToRpcServerOverTcpAndUnix() throws Exception {
    Interop.assume("python3", "python3");
    try (Sample tcp = Sample.start("rpc-server", "tcp://127.0.0.1:0");
        Sample unix = Sample.start("rpc-server", "unix://" + tmp.resolve("r.sock"))) {
      URI t = URI.create(tcp.awaitListening());
      unix.awaitListening();
      Interop.Run overTcp =
          Interop.run(
              List.of("python3", "-c", PYTHON_RPC, t.getHost(), Integer.toString(t.getPort())), "");
      assertEquals(PYTHON_RPC_REPLIES, overTcp.out, overTcp.toString());
      Interop.Run overUnix =
          Interop.run(List.of("python3", "-c", PYTHON_RPC, tmp.resolve("r.sock").toString()), "");
      assertEquals(PYTHON_RPC_REPLIES, overUnix.out, overUnix.toString());
    }
  }

  /**
   * A client bound to a path of 107 bytes, which the kernel allows and no endpoint can hold (the
   * JDK's channels take at most 106): the server serves it as an unnamed peer, and goes on serving
   * everyone else.
   */
  @Test
  void aPeerNoEndpointCanNameIsServedAsUnnamed() throws Exception {
    Interop.assume("python3", "python3");
    String echo =
        String.join(
            "\n",
            "import socket, struct, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.settimeout(20)",
            "if sys.argv[1] != '-': s.bind(sys.argv[1])",
            "s.connect(sys.argv[2])",
            "data = b''",
            "try:",
            "    s.sendall(struct.pack('>I', 5) + b'hello')",
            "    while len(data) < 9:",
            "        chunk = s.recv(9 - len(data))",
            "        if not chunk: break",
            "        data += chunk",
            "except (ConnectionResetError, BrokenPipeError):",
            "    pass  # closed with the request unread",
            "print('echo ' + data[4:].decode() if len(data) == 9 else 'closed after %d bytes' % len(data))",
            "");
    Path socket = tmp.resolve("e.sock");
    String dir = tmp.toString() + "/";
    String longName = dir + "x".repeat(107 - dir.length());
    try (Sample server = Sample.start("echo-server", "unix://" + socket)) {
      server.awaitListening();
      Interop.Run nameless =
          Interop.run(List.of("python3", "-c", echo, longName, socket.toString()), "");
      assertEquals("echo hello\n", nameless.out, nameless.toString());
      Interop.Run next = Interop.run(List.of("python3", "-c", echo, "-", socket.toString()), "");
      assertEquals("echo hello\n", next.out, "the server still serves: " + next);
    }
  }

  @Test
  void curlGetsStatusOverUnixAndFilesOverTcpReusingTheConnection() throws Exception {
    Interop.assume("curl", "curl");
    Path www = Files.createDirectory(tmp.resolve("www"));
    Files.writeString(www.resolve("hello.txt"), "hello, curl\n");
    Path socket = tmp.resolve("h.sock");
    try (Sample unix = Sample.start("http-server", "unix://" + socket, "--dir", www.toString());
        Sample tcp = Sample.start("http-server", "tcp://127.0.0.1:0", "--dir", www.toString())) {
      unix.awaitListening();
      String base = "http://" + tcp.awaitListening().substring("tcp://".length());

      Interop.Run status =
          Interop.run(
              List.of("curl", "-sS", "--unix-socket", socket.toString(), "http://localhost/status"),
              "");
      assertEquals(0, status.exit, status.toString());
      assertTrue(
          status.out.startsWith(
              "{\"server\":\"ipc4j-samples http-server\",\"endpoint\":\"unix://" + socket + "\""),
          status.out);

      Interop.Run two =
          Interop.run(List.of("curl", "-sS", "-v", base + "/hello.txt", base + "/hello.txt"), "");
      assertEquals(0, two.exit, two.toString());
      assertEquals("hello, curl\nhello, curl\n", two.out);
      assertTrue(two.err.contains("Re-using existing connection"), two.err);

      Interop.Run missing =
          Interop.run(
              List.of(
                  "curl",
                  "-s",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  "--unix-socket",
                  socket.toString(),
                  "http://localhost/missing"),
              "");
      assertEquals("404", missing.out);
      Interop.Run post =
          Interop.run(
              List.of(
                  "curl",
                  "-s",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  "-d",
                  "x",
                  base + "/hello.txt"),
              "");
      assertEquals("405", post.out);
    }
  }

  @Test
  void socatAndPythonExchangeDatagramsWithEchoServerOverUdp() throws Exception {
    Transports.assumeUdp();
    Interop.assume("python3", "python3");
    try (Sample server = Sample.start("echo-server", "udp://127.0.0.1:0")) {
      URI u = URI.create(server.awaitListening());
      String python =
          String.join(
              "\n",
              "import socket, sys",
              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
              "s.settimeout(10)",
              "for m in (b'one', b'two'):",
              "    s.sendto(m, (sys.argv[1], int(sys.argv[2])))",
              "    data, sender = s.recvfrom(2048)",
              "    print(data.decode(), sender[1] == int(sys.argv[2]))",
              "");
      Interop.Run py =
          Interop.run(
              List.of("python3", "-c", python, u.getHost(), Integer.toString(u.getPort())), "");
      assertEquals("one True\ntwo True\n", py.out, py.toString());
      if (Interop.has("socat")) {
        // UDP has no end: socat waits its whole -t for replies, so keep it short.
        Interop.Run socat =
            Interop.run(
                List.of("socat", "-t", "2", "-", "UDP:" + u.getHost() + ":" + u.getPort()),
                "datagram\n");
        assertEquals("datagram\n", socat.out, socat.toString());
      }
    }
  }
}
