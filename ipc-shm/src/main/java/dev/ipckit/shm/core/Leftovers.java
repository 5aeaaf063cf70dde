package dev.ipckit.shm.core;

import dev.ipckit.shm.format.MappedFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What creators that died left in a namespace directory: temporary files {@code .tmp-<pid>-…} in which a process
 * was writing a new object (or its liveness file) when it was killed. A file is published under its real name by
 * a hard link, so a leftover temporary name is never part of any object; a killed creator's can be as large as
 * the object it was making (a queue: megabytes of {@code /dev/shm}). Removed when a JVM opens the namespace.
 *
 * <p>A file is removed when its creator's pid is not a running process and it is older than
 * {@link #MIN_AGE_MILLIS}: a creator runs for milliseconds, and a process of another pid namespace that shares the
 * directory (a container) may show a pid this one cannot see, so a young file is always left alone. A pid reused by
 * an unrelated process only keeps a leftover longer.
 */
public final class Leftovers {
  private static final String TEMP_PREFIX = MappedFile.TEMP_PREFIX;
  static final long MIN_AGE_MILLIS = TimeUnit.SECONDS.toMillis(10);

  private Leftovers() {
  }

  /** Removes the temporary files of dead creators in {@code dir}; returns how many. Never throws. */
  public static int sweep(Path dir) {
    int removed = 0;
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path p : ds) {
        long pid = creatorOf(p.getFileName().toString());
        if (pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile() && now - a.lastModifiedTime().toMillis() >= MIN_AGE_MILLIS && Files.deleteIfExists(p)) {
            removed++;
          }
        } catch (IOException ignored) {
          // gone already, or not ours to remove
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable directory: nothing to sweep
    }
    return removed;
  }

  /** The pid in {@code .tmp-<pid>-…}, or -1. */
  static long creatorOf(String name) {
    int end = name.indexOf('-', TEMP_PREFIX.length());
    if (!name.startsWith(TEMP_PREFIX) || end < 0) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(TEMP_PREFIX.length(), end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
