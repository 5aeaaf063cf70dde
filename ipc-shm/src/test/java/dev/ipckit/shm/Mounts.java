package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts for the tests that need one (a bind mount, a small tmpfs). Mounting needs root and a system that permits
 * it: where either is missing, {@link #mount} skips the test by assumption, saying why.
 */
public final class Mounts {
  private static final long WAIT_SECONDS = 30;

  private Mounts() {
  }

  /**
   * Runs {@code mount args}; skips the test when this JVM is not root, when there is no mount command, or when the
   * mount is refused (a container). {@code what} names the mount in the reason.
   */
  public static void mount(String what, String... args) throws InterruptedException {
    assumeTrue(SafeFiles.UID == 0, what + " needs root: skipped when the tests do not run as root (uid "
        + SafeFiles.UID + ")");
    List<String> command = new ArrayList<>(List.of("mount"));
    command.addAll(List.of(args));
    Process mount;
    try {
      mount = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException noMount) {
      assumeTrue(false, "no mount command here: " + noMount.getMessage());
      return;
    }
    assumeTrue(exitedOk(mount), what + " is not permitted here (a container?)");
  }

  /**
   * Detaches the mount at {@code point} at once, lazily: files this JVM still maps (a closed namespace's, until
   * their buffers are collected) would keep it busy. Fails the test if umount does.
   */
  public static void unmount(Path point) throws IOException, InterruptedException {
    Process umount = new ProcessBuilder("umount", "-l", point.toString()).inheritIO().start();
    assertTrue(exitedOk(umount), "umount -l " + point);
  }

  private static boolean exitedOk(Process p) throws InterruptedException {
    if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }
}
