package dev.ipckit.shm.format;

import dev.ipckit.IpcException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one way the library opens a file of its own in a namespace directory: never through a symbolic link, and only
 * a regular file owned by this user with mode {@code rw-------}.
 *
 * <p>{@link #openOwnFile} always adds {@link LinkOption#NOFOLLOW_LINKS} ({@code O_NOFOLLOW}: a symbolic link as the
 * last component is an error, never followed), creates with mode 0600, and after opening checks the file by its name,
 * without following links: regular, owned by {@link #UID}, mode 0600. Anything else is an {@link IpcException}
 * naming the file and what was found; the channel is closed first.
 *
 * <p><b>The window that remains on JDK 17.</b> Java has no {@code openat}/{@code fstat}: every call resolves the
 * path by name again, so the check after opening looks at whatever the name means at that moment, and a parent
 * directory swapped between two calls is not seen. The namespace directory is this user's and 0700 and no parent
 * may be writable by others without the sticky bit ({@code Dirs}), so only this user, root, or a member of the
 * group of a group-writable parent can swap anything in that window.
 *
 * <p><b>Thread safety.</b> Stateless; safe for any number of threads.
 */
public final class SafeFiles {
  /** This process's uid (effective), or -1 where the file system has no Unix attributes (then owners are not checked). */
  public static final int UID = uid();
  /** The mode of every namespace file. */
  public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  /** The mode of every namespace directory the library makes. */
  public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  public static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(FILE_MODE);
  public static final FileAttribute<Set<PosixFilePermission>> DIR_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(DIR_MODE);

  /** {@code S_ISVTX}: in a directory, only a file's owner may remove or rename it. */
  public static final int STICKY_BIT = 01000;
  private static final int PERMISSION_BITS = 0777;

  private SafeFiles() {
  }

  /** {@link #openOwnFile(Path, Set)} with these options. */
  public static FileChannel openOwnFile(Path path, OpenOption... options) throws IOException {
    return openOwnFile(path, new HashSet<>(Arrays.asList(options)));
  }

  /**
   * Opens {@code path} with {@code options} plus {@link LinkOption#NOFOLLOW_LINKS}, creating it with mode 0600 when
   * the options create, then checks it ({@link #checkOwnFile}). A symbolic link, another user's file, a directory,
   * or a file with another mode is an {@link IpcException}; a missing file is a {@link NoSuchFileException} and an
   * existing one under {@code CREATE_NEW} a {@link FileAlreadyExistsException}, as from {@link FileChannel#open}.
   */
  public static FileChannel openOwnFile(Path path, Set<? extends OpenOption> options) throws IOException {
    Set<OpenOption> opts = new HashSet<>(options);
    opts.add(LinkOption.NOFOLLOW_LINKS);
    boolean creates = opts.contains(StandardOpenOption.CREATE) || opts.contains(StandardOpenOption.CREATE_NEW);
    FileChannel ch;
    try {
      ch = creates ? FileChannel.open(path, opts, FILE_ATTRIBUTE) : FileChannel.open(path, opts);
    } catch (NoSuchFileException | FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      if (Files.isSymbolicLink(path)) {   // ELOOP from O_NOFOLLOW (a plain IOException on JDK 17)
        throw refused(path, "is " + describe(path), e);
      }
      throw e;
    }
    try {
      checkOwnFile(path);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Throws an {@link IpcException} naming {@code path} and what it is unless it is a regular file (not a symbolic
   * link) owned by this user with mode 0600.
   */
  public static void checkOwnFile(Path path) throws IOException {
    String found = problem(path, false);
    if (found != null) {
      throw refused(path, found, null);
    }
  }

  /** True when {@code dir} is a directory (not a symbolic link) owned by this user with mode 0700. */
  public static boolean isOwnPrivateDirectory(Path dir) {
    try {
      return problem(dir, true) == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * What is wrong with {@code p} as a file (or, with {@code directory}, a directory) of the library's own: null when
   * it is one (not a link, the right type, owned by this user, mode 0600 or 0700), else what was found
   * ("is a symbolic link to /x", "is a directory", "is owned by uid 1001", "has mode rw-r--r--").
   */
  public static String problem(Path p, boolean directory) throws IOException {
    Map<String, Object> a = unixAttributes(p);
    if (a == null) {                        // no Unix attributes on this file system: links are all we can check
      BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return b.isSymbolicLink() ? "is " + describe(p) : null;
    }
    int mode = (Integer) a.get("mode");
    int type = mode & 0170000;
    if (type == 0120000) {
      return "is " + describe(p);
    }
    if (directory ? type != 0040000 : type != 0100000) {
      return type == 0040000 ? "is a directory" : type == 0100000 ? "is a regular file"
          : "is neither a regular file nor a directory (mode 0" + Integer.toOctalString(mode) + ")";
    }
    int uid = (Integer) a.get("uid");
    if (UID >= 0 && uid != UID) {
      return "is owned by uid " + uid;
    }
    int perms = mode & 07777;
    if (perms != (directory ? 0700 : 0600)) {
      return "has mode " + modeString(mode);
    }
    return null;
  }

  /** The file key (device and inode) of {@code p} itself, never of a link's target; {@code p} if there is none. */
  public static Object fileKey(Path p) throws IOException {
    Object key = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return key != null ? key : p;
  }

  /** Throws an {@link IpcException} unless {@code dir} is still the directory whose file key was {@code key}. */
  public static void checkSameDirectory(Path dir, Object key) {
    Object now;
    try {
      now = fileKey(dir);
    } catch (IOException e) {
      throw new IpcException("the namespace directory " + dir + " is gone: " + e, e);
    }
    if (!now.equals(key)) {
      throw new IpcException("the namespace directory " + dir + " was replaced (file key " + key + ", now " + now
          + "): refusing to create files in it");
    }
  }

  /**
   * The mode bits of {@code p} itself ({@code unix:mode}: type, sticky, permissions), or -1 where the file system
   * has no Unix attributes.
   */
  public static int mode(Path p) throws IOException {
    Map<String, Object> a = unixAttributes(p);
    return a == null ? -1 : (Integer) a.get("mode");
  }

  /** {@code rwxrwxrwt} and the like, from {@code unix:mode}. */
  public static String modeString(int mode) {
    StringBuilder s = new StringBuilder(PosixFilePermissions.toString(permissions(mode)));
    if ((mode & STICKY_BIT) != 0) {
      s.setCharAt(8, s.charAt(8) == 'x' ? 't' : 'T');
    }
    if ((mode & 04000) != 0) {
      s.setCharAt(2, s.charAt(2) == 'x' ? 's' : 'S');
    }
    if ((mode & 02000) != 0) {
      s.setCharAt(5, s.charAt(5) == 'x' ? 's' : 'S');
    }
    return s.toString();
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = new HashSet<>();
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i) & PERMISSION_BITS) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }

  /** "a symbolic link to TARGET" (or "a symbolic link" if it cannot be read), never following it. */
  public static String describe(Path link) {
    try {
      return "a symbolic link to " + Files.readSymbolicLink(link);
    } catch (IOException | UnsupportedOperationException e) {
      return "a symbolic link";
    }
  }

  private static IpcException refused(Path path, String found, Throwable cause) {
    return new IpcException(path + " " + found + "; a namespace file must be a regular file owned by this user"
        + (UID >= 0 ? " (uid " + UID + ")" : "") + " with mode rw-------: refusing to use it", cause);
  }

  private static Map<String, Object> unixAttributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The effective uid: the owner of {@code /proc/self} (Linux), else of a file this process creates; -1 if the file
   * system has no Unix attributes. Needs no native code.
   */
  private static int uid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (uid instanceof Integer) {
        return (Integer) uid;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not Linux: ask a file of our own
    }
    try {
      Path probe = Files.createTempFile("ipckit-uid", ".tmp");
      try {
        Object uid = Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return uid instanceof Integer ? (Integer) uid : -1;
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }
}
