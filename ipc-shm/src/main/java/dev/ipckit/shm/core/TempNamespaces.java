package dev.ipckit.shm.core;

import dev.ipckit.IpcException;
import dev.ipckit.shm.liveness.Registry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Private namespaces for {@link dev.ipckit.Ipc#temp()}: {@code /dev/shm/ipckit-USER/ns-PID-RANDOM} (or under
 * {@code java.io.tmpdir} without {@code /dev/shm}). Creating one also sweeps the ones whose processes are all
 * gone - a creator killed before {@code close()} - so they do not pile up.
 */
public final class TempNamespaces {
  public static final String PREFIX = "ns-";
  /** A namespace younger than this is never swept: its creator may not have joined its registry yet. */
  public static final long MIN_AGE_MILLIS = 10_000;

  private TempNamespaces() {
  }

  public static Path base() {
    Path shm = Path.of("/dev/shm");
    Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    return Dirs.prepare(root.resolve("ipckit-" + user));
  }

  /**
   * A new private namespace directory; first sweeps dead ones, leaving alone those {@code openHere} says this JVM
   * has open (probing them would open and close a channel on our own registry and drop our slot lock).
   */
  public static Path create(Predicate<Path> openHere) {
    Path base = base();
    sweep(base, openHere);
    for (int attempt = 0; attempt < 100; attempt++) {
      Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir.toRealPath();
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // try another name
      } catch (IOException e) {
        throw new IpcException("cannot create a temporary namespace in " + base + ": " + e, e);
      }
    }
    throw new IpcException("cannot find a free temporary namespace name in " + base);
  }

  /** Removes namespaces in {@code base} that are old enough and whose registry has no live process. */
  static int sweep(Path base, Predicate<Path> openHere) {
    List<Path> dead = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path d : ds) {
        Path real = d.toAbsolutePath().normalize();
        if (openHere.test(real)) {
          continue; // ours: probing would open and close a channel on our own registry and drop our slot lock
        }
        Path reg = d.resolve(Registry.FILE_NAME);
        try {
          FileTime t = Files.exists(reg) ? Files.getLastModifiedTime(reg) : Files.getLastModifiedTime(d);
          if (now - t.toMillis() < MIN_AGE_MILLIS) {
            continue;
          }
          if (!Files.exists(reg) || Registry.nobodyAlive(d)) {
            dead.add(d);
          }
        } catch (IOException ignored) {
          // gone already, or not ours to judge
        }
      }
    } catch (IOException e) {
      return 0;
    }
    for (Path d : dead) {
      delete(d);
    }
    return dead.size();
  }

  /** Deletes a namespace directory and everything in it; quietly skips what is already gone. */
  public static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a file still open elsewhere stays until its last user exits
        }
      });
    } catch (NoSuchFileException ignored) {
      // already gone
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // best effort
    }
  }
}
