package io.ipc4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories directly under /tmp: a Unix socket path must stay under about a hundred
 * bytes, wherever the build's temporary directory is. JUnit deletes them after the test.
 */
final class ShortTempDir implements TempDirFactory {
  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
      throws IOException {
    return Files.createTempDirectory(Path.of("/tmp"), "ipc4j-");
  }
}
