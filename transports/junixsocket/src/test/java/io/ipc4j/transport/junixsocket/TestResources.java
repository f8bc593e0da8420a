package io.ipc4j.transport.junixsocket;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened and created: closed (last first) and deleted after it. Register with
 * {@code @RegisterExtension final TestResources fixture = new TestResources("ipc4j-jx-");}.
 */
final class TestResources implements AfterEachCallback {
  private final String prefix;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<Path> directories = new ArrayList<>();

  /**
   * @param prefix of the short temporary directories under /tmp
   */
  TestResources(String prefix) {
    this.prefix = prefix;
  }

  /** Closes {@code resource} after the test. */
  <T extends AutoCloseable> T closeAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A new directory under /tmp (short, for Unix socket paths), deleted after the test. */
  Path newDirectory() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
    directories.add(dir);
    return dir;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception failure = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    resources.clear();
    for (Path dir : directories) {
      deleteRecursively(dir);
    }
    directories.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** Tolerates files that vanish meanwhile: a closing socket may delete its own file. */
  private static void deleteRecursively(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
