package dev.ipckit.shm.core;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Namespace directories: created 0700; refused when another user owns them, when group or others may write them,
 * or when a parent directory is writable by others without the sticky bit (anyone could then rename the namespace
 * away and put a directory of their own in its place). A group-writable parent is allowed: its group is trusted.
 * {@code /tmp} and {@code /dev/shm} are world-writable but sticky: only a file's owner may rename or remove it
 * there, so they are fine.
 */
public final class Dirs {
  private Dirs() {
  }

  /** Creates {@code dir} (0700) if missing, checks it, and returns its real path. */
  public static Path prepare(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = abs.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(abs, SafeFiles.DIR_ATTRIBUTE);
        } catch (FileAlreadyExistsException raced) {
          // another process made it first: check it below like any existing directory
        }
      }
      Path real = abs.toRealPath();
      check(real);
      return real;
    } catch (IOException e) {
      throw new IpcException("cannot create or open the namespace directory " + abs + ": " + e, e);
    }
  }

  /** The real path of an existing namespace directory, checked like {@link #prepare}; never creates it. */
  public static Path existing(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Path real = abs.toRealPath();
      check(real);
      return real;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IpcException("cannot attach to the namespace " + abs + ": the directory does not exist"
          + " (was it closed or removed?)", e);
    } catch (IOException e) {
      throw new IpcException("cannot open the namespace directory " + abs + ": " + e, e);
    }
  }

  /**
   * Refuses a directory (a real path) that is not ours, that group or others may write, or that has a parent others
   * may write without the sticky bit.
   */
  static void check(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("namespace path " + dir + " is not a directory");
    }
    if (SafeFiles.UID >= 0) {
      Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner instanceof Integer && (Integer) owner != SafeFiles.UID) {
        throw new IllegalArgumentException("namespace directory " + dir + " is owned by uid " + owner
            + ", not by this user (uid " + SafeFiles.UID + "): refusing to share objects through it");
      }
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IllegalArgumentException("namespace directory " + dir + " has mode "
          + PosixFilePermissions.toString(perms) + ": group or others may write it; use a directory with mode 0700"
          + " (chmod 700 " + dir + ")");
    }
    checkParents(dir);
  }

  /**
   * Refuses {@code dir} when one of its parents is writable by others without the sticky bit: anyone could rename
   * the namespace directory (or a parent of it) away and put one of their own in its place.
   */
  static void checkParents(Path dir) throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      int mode = SafeFiles.mode(p);
      if (mode < 0) {
        return;                               // no Unix attributes on this file system: nothing to check
      }
      if ((mode & 0002) != 0 && (mode & SafeFiles.STICKY_BIT) == 0) {
        throw new IllegalArgumentException("namespace directory " + dir + " is inside " + p + ", which has mode "
            + SafeFiles.modeString(mode) + ": others may write it without the sticky bit, so anyone could replace"
            + " the namespace directory; refusing it (chmod o-w " + p + ", or chmod +t " + p + " as /tmp has)");
      }
    }
  }
}
