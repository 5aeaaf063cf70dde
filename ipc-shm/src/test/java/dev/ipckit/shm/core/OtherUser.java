package dev.ipckit.shm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Acting as another local user, for the cases only another user can set up (a directory of theirs where ours
 * should be, a symbolic link of theirs): needs root, as CI runs; elsewhere those cases are skipped, saying why.
 * The user {@code ipckit-other} (no home, no login shell) is made with {@code useradd} if missing; commands run as
 * it through {@code setpriv}, with no supplementary groups.
 */
final class OtherUser {
  static final String NAME = "ipckit-other";

  private OtherUser() {
  }

  /** Skips the calling test unless it runs as root. */
  static void assumeRoot() {
    Assumptions.assumeTrue(SafeFiles.UID == 0, "acting as another user needs root; these tests run as uid "
        + SafeFiles.UID + " (" + System.getProperty("user.name") + "), so this case is skipped");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no /usr/bin/setpriv on this machine");
  }

  /** The other user's uid; creates the user first if needed. */
  static int uid() throws IOException, InterruptedException {
    String out = exec(false, "id", "-u", NAME);
    if (out == null) {
      exec(false, "useradd", "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", NAME);
      out = exec(true, "id", "-u", NAME);   // a concurrent useradd may have won: id says either way
    }
    return Integer.parseInt(out.trim());
  }

  /** Runs {@code sh -c script} as the other user; fails the test unless it exits 0. */
  static void run(String script) throws IOException, InterruptedException {
    uid();
    exec(true, "/usr/bin/setpriv", "--reuid=" + NAME, "--regid=" + NAME, "--clear-groups", "--", "/bin/sh", "-c",
        script);
  }

  /** A directory everybody may enter and write, sticky (as /dev/shm): where the other user plants things. */
  static Path stickyRoot() throws IOException {
    Path parent = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
        : Path.of(System.getProperty("java.io.tmpdir"));
    Path root = Files.createDirectory(parent.resolve("ipckit-test-" + Long.toHexString(
        ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)));
    Files.setAttribute(root, "unix:mode", 01777);
    return root.toRealPath();
  }

  /** The output of a command; null if it failed and {@code check} is false. */
  private static String exec(boolean check, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 30 s");
    }
    if (p.exitValue() != 0) {
      if (check) {
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + out);
      }
      return null;
    }
    return out;
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
