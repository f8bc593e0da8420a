package io.ipc4j.samples;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A directory that clients name files in, and cannot get out of: names are relative, {@code ..} is
 * refused outright, and every name is checked again after symbolic links are resolved, so a link
 * that points out of the directory is refused too. Shared by {@code file-server} and {@code
 * http-server}.
 *
 * <p>Refusals are {@link AccessDeniedException}s, and names of nothing (or of something other than
 * a regular file) {@link NoSuchFileException}s, each of whose message starts with the name the
 * client sent, then says why: {@code ../secret: '..' is not allowed}. Failures on the disk are told
 * the same way, never with the server's own path: {@code a.txt/x: Not a directory}.
 */
final class ServedDirectory {
  private final Path root;

  /**
   * @throws NoSuchFileException if {@code dir} does not exist
   * @throws FileSystemException if it is not a directory
   * @throws IOException if it cannot be resolved
   */
  ServedDirectory(Path dir) throws IOException {
    try {
      this.root = dir.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(dir.toString(), null, "no such directory");
    }
    if (!Files.isDirectory(root)) {
      throw new FileSystemException(dir.toString(), null, "not a directory");
    }
  }

  /** Opens {@code dir} for a command's {@code --dir} option: a bad one is a usage error. */
  static ServedDirectory option(CommandSpec spec, Path dir) {
    try {
      return new ServedDirectory(dir);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--dir: " + e.getMessage());
    }
  }

  /** The directory, with links resolved. */
  Path root() {
    return root;
  }

  /**
   * The regular file that {@code name} names: it must exist and lie inside the directory once links
   * are resolved.
   */
  Path existingFile(String name) throws IOException {
    Path file = inside(name);
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(name, null, "no such file");
    } catch (AccessDeniedException e) {
      throw inClientsWords(name, e);
    } catch (FileSystemException e) {
      // A path through a regular file, a loop of links: the name leads to nothing to serve.
      throw new NoSuchFileException(name, null, e.getReason());
    }
    if (!real.startsWith(root)) {
      throw new AccessDeniedException(name, null, "a link out of the served directory");
    }
    if (!Files.isRegularFile(real)) {
      throw new NoSuchFileException(name, null, "not a regular file");
    }
    return real;
  }

  /**
   * Opens {@code file}, which {@link #existingFile} found for {@code name}, for reading; a file
   * that cannot be opened (unreadable, gone since) is refused or not found in the client's words.
   */
  static FileChannel open(Path file, String name) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (FileSystemException e) {
      throw inClientsWords(name, e);
    }
  }

  /**
   * {@code e}, a failure on the disk while serving {@code name}, as the client is to hear it: the
   * same kind of exception, naming {@code name} rather than the server's path.
   */
  static FileSystemException inClientsWords(String name, FileSystemException e) {
    FileSystemException told;
    if (e instanceof AccessDeniedException) {
      told = new AccessDeniedException(name, null, "permission denied");
    } else if (e instanceof NoSuchFileException) {
      told = new NoSuchFileException(name, null, "no such file");
    } else {
      told = new FileSystemException(name, null, e.getReason());
    }
    told.initCause(e);
    return told;
  }

  /**
   * Where a file called {@code name} may be written: its directory must exist inside this one once
   * links are resolved (no directory is created), and the name itself must not be a directory. A
   * symbolic link at the name is replaced, not followed, by an atomic move onto it.
   */
  Path fileToWrite(String name) throws IOException {
    Path file = inside(name);
    Path parent;
    try {
      parent = file.getParent().toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(name, null, "no such directory");
    } catch (AccessDeniedException e) {
      throw inClientsWords(name, e);
    } catch (FileSystemException e) {
      throw new NoSuchFileException(name, null, e.getReason());
    }
    if (!parent.startsWith(root)) {
      throw new AccessDeniedException(name, null, "a link out of the served directory");
    }
    if (!Files.isDirectory(parent)) {
      throw new NoSuchFileException(name, null, "no such directory");
    }
    Path target = parent.resolve(file.getFileName());
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new AccessDeniedException(name, null, "a directory");
    }
    return target;
  }

  /** Checks the name's syntax and resolves it under the root, before looking at the disk. */
  private Path inside(String name) throws AccessDeniedException {
    if (name.isEmpty()) {
      throw new AccessDeniedException("''", null, "an empty name");
    }
    if (name.indexOf('\0') >= 0) {
      throw new AccessDeniedException(name.replace('\0', '?'), null, "NUL is not allowed");
    }
    if (name.startsWith("/")) {
      throw new AccessDeniedException(name, null, "absolute paths are not allowed");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        throw new AccessDeniedException(name, null, "'..' is not allowed");
      }
    }
    Path file = root.resolve(name).normalize();
    if (file.equals(root) || !file.startsWith(root)) {
      throw new AccessDeniedException(name, null, "not a file in the served directory");
    }
    return file;
  }
}
