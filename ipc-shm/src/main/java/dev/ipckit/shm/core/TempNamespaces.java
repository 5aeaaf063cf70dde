package dev.ipckit.shm.core;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Registry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Private namespaces for {@link dev.ipckit.Ipc#temp()}: {@code BASE/ns-PID-RANDOM}, each made 0700 with a marker
 * file {@code .ipckit-temp} (0600) that names the directory and its file key. Creating one also sweeps the ones
 * whose processes are all gone - a creator killed before {@code close()} - so they do not pile up.
 *
 * <p><b>The base directory</b>, in order, the first that is acceptable; a base another user made, or a symbolic
 * link planted in its place, is passed over, never followed and never waited for:
 * <ol>
 *   <li>{@code $XDG_RUNTIME_DIR/ipckit}, when {@code XDG_RUNTIME_DIR} is set and is a directory of this user with
 *   mode 0700 (nobody else can make anything in it);</li>
 *   <li>{@code /dev/shm/ipckit-UID}, created 0700 if missing, when it is a directory (not a symbolic link) of this
 *   user with mode 0700;</li>
 *   <li>else a fresh {@code /dev/shm/ipckit-UID-RANDOM}, created 0700 for this JVM.</li>
 * </ol>
 * Without a writable {@code /dev/shm}, the same forms under {@code java.io.tmpdir}.
 *
 * <p><b>The sweep</b> looks only at bases of those forms that are this user's, real directories and 0700, and
 * deletes only a namespace it can prove it made: a real directory of this user with mode 0700 holding a marker that
 * is this user's own 0600 file naming that directory's path and file key, old enough, with no live process in its
 * registry. The file key is read again just before the delete, and the delete walks the tree without following a
 * symbolic link (a link is removed, never its target). An empty fresh base of another JVM is removed too, once old.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads; the base chosen is kept for the JVM (and chosen again if
 * it disappears).
 */
public final class TempNamespaces {
  public static final String PREFIX = "ns-";
  /** The marker a temporary namespace is made with: what the sweep requires before deleting anything. */
  public static final String MARKER = ".ipckit-temp";
  /** A namespace younger than this is never swept: its creator may not have joined its registry yet. */
  public static final long MIN_AGE_MILLIS = 10_000;
  /** The name of the per-user base: {@code ipckit-UID}; fresh bases add {@code -RANDOM}. */
  static final String BASE_NAME = "ipckit-" + (SafeFiles.UID >= 0 ? String.valueOf(SafeFiles.UID)
      : System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"));
  /** The base under {@code XDG_RUNTIME_DIR}. */
  static final String XDG_NAME = "ipckit";
  private static final int MARKER_MAX = 4096;

  /** The base this JVM uses and its file key; guarded by the class. */
  private static Path chosen;
  private static Object chosenKey;

  private TempNamespaces() {
  }

  /** The base directory of this JVM's temporary namespaces (see the class comment), created if needed. */
  public static synchronized Path base() {
    if (chosen != null && isSame(chosen, chosenKey) && SafeFiles.isOwnPrivateDirectory(chosen)) {
      return chosen;
    }
    Path b = base(root(), System.getenv("XDG_RUNTIME_DIR"));
    try {
      chosenKey = SafeFiles.fileKey(b);
    } catch (IOException e) {
      throw new IpcException("cannot read the temporary namespace base " + b + ": " + e, e);
    }
    chosen = b;
    return b;
  }

  /** {@code /dev/shm} when it is a writable directory, else {@code java.io.tmpdir}; its real path. */
  static Path root() {
    Path shm = Path.of("/dev/shm");
    Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      return root.toRealPath();
    } catch (IOException e) {
      throw new IpcException("cannot use " + root + " for temporary namespaces: " + e, e);
    }
  }

  /** The base under {@code xdgRuntimeDir} if acceptable, else under {@code root} (a real path): never blocks. */
  static Path base(Path root, String xdgRuntimeDir) {
    Path xdg = xdgBase(xdgRuntimeDir);
    if (xdg != null) {
      return xdg;
    }
    Path shared = root.resolve(BASE_NAME);
    if (madeOrOurs(shared) && parentsOk(shared)) {
      return shared;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      Path fresh = root.resolve(BASE_NAME + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()
          & Long.MAX_VALUE));
      try {
        Files.createDirectory(fresh, SafeFiles.DIR_ATTRIBUTE);
      } catch (FileAlreadyExistsException e) {
        continue;                               // somebody's name: try another
      } catch (IOException e) {
        throw new IpcException("cannot create a base directory for temporary namespaces in " + root + ": " + e, e);
      }
      if (!SafeFiles.isOwnPrivateDirectory(fresh)) {
        throw new IpcException("the new base directory " + fresh + " is not this user's with mode rwx------"
            + " (umask?)");
      }
      try {
        Dirs.checkParents(fresh);
      } catch (IOException | IllegalArgumentException e) {
        throw new IpcException("cannot keep temporary namespaces in " + root + ": " + e.getMessage(), e);
      }
      return fresh;
    }
    throw new IpcException("cannot find a free base directory name for temporary namespaces in " + root);
  }

  /** {@code xdgRuntimeDir/ipckit} when the runtime directory is ours and 0700 and the base can be made; else null. */
  private static Path xdgBase(String xdgRuntimeDir) {
    if (xdgRuntimeDir == null || xdgRuntimeDir.isEmpty()) {
      return null;
    }
    try {
      Path run = Path.of(xdgRuntimeDir);
      if (!run.isAbsolute() || !SafeFiles.isOwnPrivateDirectory(run)) {
        return null;
      }
      Path b = run.toRealPath().resolve(XDG_NAME);
      return madeOrOurs(b) && parentsOk(b) ? b : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Creates {@code dir} 0700 if missing; true when it is then a real directory of this user with mode 0700. */
  private static boolean madeOrOurs(Path dir) {
    try {
      Files.createDirectory(dir, SafeFiles.DIR_ATTRIBUTE);
    } catch (FileAlreadyExistsException e) {
      // judged below, never followed: mkdir(2) does not follow a link at the name
    } catch (IOException e) {
      return false;
    }
    return SafeFiles.isOwnPrivateDirectory(dir);
  }

  private static boolean parentsOk(Path dir) {
    try {
      Dirs.checkParents(dir);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A new private namespace directory; first sweeps dead ones, leaving alone those {@code openHere} says this JVM
   * has open (probing them would open our own liveness file, and closing it would drop our lock on it).
   */
  public static Path create(Predicate<Path> openHere) {
    sweep(root(), System.getenv("XDG_RUNTIME_DIR"), openHere);
    for (int attempt = 0; attempt < 100; attempt++) {
      Path dir = createIn(base());
      if (dir != null) {
        return dir;
      }
    }
    throw new IpcException("cannot find a free temporary namespace name in " + base());
  }

  /**
   * A new namespace directory in {@code base}, 0700 with its marker; null if the name was taken or the base was
   * removed meanwhile (try again).
   */
  static Path createIn(Path base) {
    Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
    try {
      Files.createDirectory(dir, SafeFiles.DIR_ATTRIBUTE);
    } catch (FileAlreadyExistsException | NoSuchFileException e) {
      return null;                              // another name, or the base was removed: base() chooses again
    } catch (IOException e) {
      throw new IpcException("cannot create a temporary namespace in " + base + ": " + e, e);
    }
    try {
      writeMarker(dir);
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw new IpcException("cannot create a temporary namespace in " + base + ": " + e, e);
    }
    return dir;
  }

  /** What the marker of {@code dir} (file key {@code key}) says: ties it to that directory. */
  static String markerText(Path dir, Object key) {
    return "ipckit temporary namespace\npath=" + dir + "\nkey=" + key + "\n";
  }

  private static void writeMarker(Path dir) throws IOException {
    if (!SafeFiles.isOwnPrivateDirectory(dir)) {
      throw new IpcException(dir + " is not a directory of this user with mode rwx------ (umask?)");
    }
    String text = markerText(dir, SafeFiles.fileKey(dir));
    try (FileChannel ch = SafeFiles.openOwnFile(dir.resolve(MARKER), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  /** True when {@code dir} (file key {@code key}) holds our own marker naming exactly it. */
  static boolean hasMarker(Path dir, Object key) {
    try (FileChannel ch = SafeFiles.openOwnFile(dir.resolve(MARKER), StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(MARKER_MAX);
      while (b.hasRemaining() && ch.read(b) > 0) {
        // the marker is a few lines
      }
      b.flip();
      return StandardCharsets.UTF_8.decode(b).toString().equals(markerText(dir, key));
    } catch (IOException | RuntimeException e) {
      return false;                             // missing, a link, not ours, not readable: not provably ours
    }
  }

  /** The bases of the forms this class makes under {@code root} and {@code xdgRuntimeDir} that are ours and 0700. */
  static List<Path> bases(Path root, String xdgRuntimeDir) {
    List<Path> found = new ArrayList<>();
    if (xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty()) {
      try {
        Path run = Path.of(xdgRuntimeDir);
        if (run.isAbsolute() && SafeFiles.isOwnPrivateDirectory(run)) {
          Path b = run.toRealPath().resolve(XDG_NAME);
          if (SafeFiles.isOwnPrivateDirectory(b)) {
            found.add(b);
          }
        }
      } catch (IOException | RuntimeException e) {
        // no usable runtime directory
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> {
      String n = p.getFileName().toString();
      return n.equals(BASE_NAME) || n.startsWith(BASE_NAME + "-");
    })) {
      for (Path b : ds) {
        if (SafeFiles.isOwnPrivateDirectory(b)) {
          found.add(b);
        }
      }
    } catch (IOException | RuntimeException e) {
      // nothing to sweep there
    }
    return found;
  }

  /** Sweeps every base of ours under {@code root} and {@code xdgRuntimeDir}; returns the namespaces removed. */
  static int sweep(Path root, String xdgRuntimeDir, Predicate<Path> openHere) {
    int n = 0;
    Path inUse;
    synchronized (TempNamespaces.class) {
      inUse = chosen;
    }
    for (Path b : bases(root, xdgRuntimeDir)) {
      n += sweep(b, openHere);
      if (b.getFileName().toString().startsWith(BASE_NAME + "-") && !b.equals(inUse)) {
        removeIfEmptyAndOld(b);
      }
    }
    return n;
  }

  /**
   * Removes the temporary namespaces in {@code base} that are provably ours, older than {@link #MIN_AGE_MILLIS} and
   * whose registry has no live process, for a process that has none of them open (the {@code ipckit gc} command);
   * returns how many.
   */
  public static int sweepDead(Path base) {
    return sweep(base, d -> false);
  }

  /** Removes namespaces in {@code base} that are provably ours, old enough, and whose registry has no live process. */
  static int sweep(Path base, Predicate<Path> openHere) {
    if (!SafeFiles.isOwnPrivateDirectory(base)) {
      return 0;
    }
    List<Path> dead = new ArrayList<>();
    List<Object> keys = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path d : ds) {
        try {
          if (!SafeFiles.isOwnPrivateDirectory(d)) {
            continue;                           // a link, another user's, another mode: not ours to judge
          }
          Object key = SafeFiles.fileKey(d);
          if (openHere.test(d)) {
            continue; // ours: probing would open and close our own liveness file and drop our lock on it
          }
          if (!hasMarker(d, key)) {
            continue;                           // not provably made by this class
          }
          Path reg = d.resolve(Registry.FILE_NAME);
          boolean hasRegistry = Files.exists(reg, LinkOption.NOFOLLOW_LINKS);
          long t = Files.readAttributes(hasRegistry ? reg : d, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .lastModifiedTime().toMillis();
          if (now - t < MIN_AGE_MILLIS) {
            continue;
          }
          if (!hasRegistry || Registry.nobodyAlive(d)) {
            dead.add(d);
            keys.add(key);
          }
        } catch (IOException | RuntimeException ignored) {
          // gone already, or not ours to judge
        }
      }
    } catch (IOException e) {
      return 0;
    }
    int removed = 0;
    for (int i = 0; i < dead.size(); i++) {
      if (delete(dead.get(i), keys.get(i))) {
        removed++;
      }
    }
    return removed;
  }

  private static void removeIfEmptyAndOld(Path base) {
    try {
      long t = Files.readAttributes(base, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime()
          .toMillis();
      if (System.currentTimeMillis() - t >= MIN_AGE_MILLIS) {
        Files.delete(base);                     // rmdir(2): fails unless empty
      }
    } catch (IOException | RuntimeException ignored) {
      // not empty, or gone: another JVM's base in use
    }
  }

  private static boolean isSame(Path dir, Object key) {
    try {
      return SafeFiles.fileKey(dir).equals(key);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes {@code dir} and everything in it if it is still the directory whose file key was {@code key} (and not
   * a symbolic link); true if it did.
   */
  public static boolean delete(Path dir, Object key) {
    try {
      BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Object now = a.fileKey() != null ? a.fileKey() : dir;
      if (!a.isDirectory() || !now.equals(key)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    delete(dir);
    return true;
  }

  /**
   * Deletes a namespace directory and everything in it, never following a symbolic link (a link is removed, not
   * its target; {@code dir} itself a link: only the link goes); quietly skips what is already gone.
   */
  public static void delete(Path dir) {
    try {
      Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              deleteQuietly(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
              deleteQuietly(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a file still open elsewhere stays until its last user exits
    }
  }
}
