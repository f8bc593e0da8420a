package io.ipc4j.spi;

import java.io.FileDescriptor;

/**
 * Implemented by provider sockets ({@link StreamSocket}, {@link PacketSocket}) that can pass file
 * descriptors (SCM_RIGHTS); reached through their {@code unwrap}. ipc4j builds {@link
 * io.ipc4j.DescriptorPassing} on it, so that a framed message carries its descriptors with its
 * first write.
 */
public interface DescriptorChannel {
  /**
   * Attaches {@code descriptors} to the next write or send on this socket (and only to it),
   * replacing any attached and not sent yet; none takes those back.
   *
   * @throws IllegalArgumentException if a descriptor is not valid
   */
  void attachToNextWrite(FileDescriptor... descriptors);

  /**
   * Returns and forgets the descriptors received by reads since the last call; empty if none. The
   * caller owns them.
   */
  FileDescriptor[] takeReceived();

  /**
   * Whether this socket receives descriptors: opened (connected, or accepted by a listener opened)
   * with {@link io.ipc4j.StandardIpcOptions#RECEIVE_DESCRIPTORS} on. A provider must leave its
   * sockets not receiving otherwise, so that the kernel closes the descriptors a peer sends, and
   * {@link #takeReceived()} has none.
   */
  boolean receivesDescriptors();
}
