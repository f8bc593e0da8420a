package io.ipc4j;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Sends open file descriptors (files, sockets, pipes) with a message to another process on the same
 * host, over {@code unix} and {@code unixpacket} (SCM_RIGHTS). Reached by narrowing a connection
 * where the transport has {@link Capability#FILE_DESCRIPTORS}:
 *
 * <pre>{@code
 * DescriptorPassing fds = connection.unwrap(DescriptorPassing.class).orElseThrow();
 * try (FileInputStream in = new FileInputStream(file)) {
 *   fds.send(ByteBuffer.wrap(name), in.getFD());
 * }
 * // the other process, whose connection (or server) was opened to receive them:
 * //   IpcOptions.of(StandardIpcOptions.RECEIVE_DESCRIPTORS, true)
 * ByteBuffer m = connection.receive();
 * List<FileDescriptor> received = fds.receivedDescriptors();
 * new FileInputStream(received.get(0)).readAllBytes();
 * }</pre>
 *
 * <p>Only a connection opened with {@link StandardIpcOptions#RECEIVE_DESCRIPTORS} receives
 * descriptors (the receiving side's {@link Ipc#connect}, listener or server); on any other, the
 * kernel closes those a peer sends. The receiver owns the descriptors it receives and must close
 * them (for example through the stream that wraps them).
 */
public interface DescriptorPassing {
  /**
   * Sends {@code message} with {@code descriptors} attached; the sender's descriptors stay open. A
   * send that fails takes its descriptors back: they never go with a later message.
   *
   * @throws IllegalArgumentException if no descriptor is given or one is not valid, or if {@code
   *     message} is empty where nothing else would carry them (a byte stream, a packet)
   * @throws IOException as for the connection's own send
   */
  void send(ByteBuffer message, FileDescriptor... descriptors) throws IOException;

  /**
   * The descriptors that came with the message most recently received on this connection (by this
   * thread's last receive), now owned by the caller; empty if none came. Each call returns them
   * once.
   *
   * @throws IllegalStateException if the connection was not opened with {@link
   *     StandardIpcOptions#RECEIVE_DESCRIPTORS}
   */
  List<FileDescriptor> receivedDescriptors();
}
