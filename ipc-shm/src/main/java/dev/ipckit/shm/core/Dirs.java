package dev.ipckit.shm.core;

import dev.ipckit.IpcException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Namespace directories: created 0700, refused when another user owns them or others may write them. */
public final class Dirs {
  private static final Integer MY_UID = myUid();

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
          Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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

  /** Refuses a directory that is not ours or that group or others may write. */
  static void check(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("namespace path " + dir + " is not a directory");
    }
    if (MY_UID != null) {
      Object owner = Files.getAttribute(dir, "unix:uid");
      if (owner instanceof Integer && !owner.equals(MY_UID)) {
        throw new IllegalArgumentException("namespace directory " + dir + " is owned by uid " + owner
            + ", not by this user (uid " + MY_UID + "): refusing to share objects through it");
      }
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IllegalArgumentException("namespace directory " + dir + " has mode "
          + PosixFilePermissions.toString(perms) + ": group or others may write it; use a directory with mode 0700"
          + " (chmod 700 " + dir + ")");
    }
  }

  private static Integer myUid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer ? (Integer) uid : null;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
