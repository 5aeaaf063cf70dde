package dev.ipckit.internal.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Why a child could not run its task, told to its parent: the child writes the reason to a file named after its
 * process id in its parent's report directory and exits with {@link ChildMain#EXIT_BAD_TASK}; the parent reads
 * it when it sees that exit code. Nothing is written or read when the task starts, so a start costs no more.
 *
 * <p>The directory is {@code ipckit-reports-PID-RANDOM} in {@code java.io.tmpdir}, created once per parent JVM
 * with owner-only permissions (only this user's processes can write there), removed when the JVM exits; one left
 * by a JVM that was killed is removed by the next one that creates its own. The child creates its report with
 * {@code CREATE_NEW}, so it never writes through a link.
 */
public final class StartReports {
  private static final String PREFIX = "ipckit-reports-";
  private static volatile Path dir;

  private StartReports() {
  }

  /** This JVM's report directory, created on first use; "" if it cannot be (the child then reports on stderr only). */
  public static String dir() {
    Path d = dir;
    if (d == null) {
      synchronized (StartReports.class) {
        d = dir;
        if (d == null) {
          d = create();
          dir = d;
        }
      }
    }
    return d.toString();
  }

  private static Path create() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    sweep(tmp);
    try {
      Path d = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(d), "ipckit-reports-cleanup"));
      return d;
    } catch (IOException | UncheckedIOException e) {
      return Path.of("");
    }
  }

  /** Removes report directories whose JVM is gone. */
  private static void sweep(Path tmp) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path p : ds) {
        String rest = p.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty() && Files.isWritable(p)) {
            removeAll(p);
          }
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    } catch (IOException | RuntimeException e) {
      // an optimisation: a stale directory is only clutter
    }
  }

  private static void removeAll(Path d) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort
    }
    try {
      Files.deleteIfExists(d);
    } catch (IOException e) {
      // best effort
    }
  }

  /** In the child: records {@code reason} for the parent whose report directory is {@code dir}. */
  static void write(String dir, String reason) {
    if (dir == null || dir.isEmpty()) {
      return;
    }
    Path file = Path.of(dir, Long.toString(ProcessHandle.current().pid()));
    try {
      Files.writeString(file, reason, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      // the reason is on standard error too
    }
  }

  /** In the parent: the reason child {@code pid} recorded, removing the record; empty if it left none. */
  public static Optional<String> take(long pid) {
    Path d = dir;
    if (d == null || d.toString().isEmpty()) {
      return Optional.empty();
    }
    Path file = d.resolve(Long.toString(pid));
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      Files.deleteIfExists(file);
      return Optional.of(s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
