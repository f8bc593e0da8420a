package io.ipc4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ServedDirectoryTest {
  @TempDir Path tmp;
  Path root;
  ServedDirectory served;

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectory(tmp.resolve("root"));
    Files.createDirectory(root.resolve("sub"));
    Files.writeString(root.resolve("sub/a.txt"), "a");
    Files.writeString(tmp.resolve("outside.txt"), "no");
    Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("sub/a.txt"));
    Files.createSymbolicLink(root.resolve("out-link"), tmp.resolve("outside.txt"));
    Files.createSymbolicLink(root.resolve("out-dir"), tmp);
    served = new ServedDirectory(root);
  }

  @Test
  void resolvesFilesAndLinksThatStayInside() throws Exception {
    assertEquals(root.toRealPath().resolve("sub/a.txt"), served.existingFile("sub/a.txt"));
    assertEquals(root.toRealPath().resolve("sub/a.txt"), served.existingFile("./inside-link"));
    assertEquals(root.toRealPath().resolve("sub/new.txt"), served.fileToWrite("sub/new.txt"));
  }

  @Test
  void refusesDotDotAbsoluteAndEmptyNamesBeforeLookingAtTheDisk() {
    assertRefused("../outside.txt: '..' is not allowed", "../outside.txt");
    assertRefused("sub/../../outside.txt: '..' is not allowed", "sub/../../outside.txt");
    assertRefused(tmp + "/outside.txt: absolute paths are not allowed", tmp + "/outside.txt");
    assertRefused("'': an empty name", "");
    assertRefused("a?b: NUL is not allowed", "a\0b");
    assertRefused(".: not a file in the served directory", ".");
  }

  @Test
  void refusesLinksOutOfTheDirectoryForReadingAndWriting() {
    assertRefused("out-link: a link out of the served directory", "out-link");
    assertRefused("out-dir/outside.txt: a link out of the served directory", "out-dir/outside.txt");
    AccessDeniedException e =
        assertThrows(AccessDeniedException.class, () -> served.fileToWrite("out-dir/new.txt"));
    assertEquals("out-dir/new.txt: a link out of the served directory", e.getMessage());
  }

  @Test
  void missingFilesAndDirectoriesAreNotFound() {
    NoSuchFileException missing =
        assertThrows(NoSuchFileException.class, () -> served.existingFile("nope"));
    assertEquals("nope: no such file", missing.getMessage());
    NoSuchFileException dir =
        assertThrows(NoSuchFileException.class, () -> served.existingFile("sub"));
    assertEquals("sub: not a regular file", dir.getMessage());
    NoSuchFileException noParent =
        assertThrows(NoSuchFileException.class, () -> served.fileToWrite("nodir/x"));
    assertEquals("nodir/x: no such directory", noParent.getMessage());
  }

  @Test
  void aPathThroughAFileOrALoopOfLinksIsNotFoundInTheClientsWords() throws Exception {
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    NoSuchFileException through =
        assertThrows(NoSuchFileException.class, () -> served.existingFile("sub/a.txt/x"));
    assertEquals("sub/a.txt/x: Not a directory", through.getMessage());
    NoSuchFileException loop =
        assertThrows(NoSuchFileException.class, () -> served.existingFile("loop/x"));
    assertEquals(
        "loop/x: Too many levels of symbolic links or unable to access attributes of symbolic"
            + " link",
        loop.getMessage());
    NoSuchFileException writeThrough =
        assertThrows(NoSuchFileException.class, () -> served.fileToWrite("sub/a.txt/x"));
    assertEquals("sub/a.txt/x: no such directory", writeThrough.getMessage());
    NoSuchFileException writeDeeper =
        assertThrows(NoSuchFileException.class, () -> served.fileToWrite("sub/a.txt/y/x"));
    assertEquals("sub/a.txt/y/x: Not a directory", writeDeeper.getMessage());
  }

  private void assertRefused(String message, String name) {
    AccessDeniedException e =
        assertThrows(AccessDeniedException.class, () -> served.existingFile(name));
    assertEquals(message, e.getMessage());
  }
}
