package dev.ipckit.shm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where temporary namespaces live: {@code $XDG_RUNTIME_DIR/ipckit}, else {@code ROOT/ipckit-UID}, else a fresh
 * {@code ROOT/ipckit-UID-RANDOM}; a base that another user made first, or a symbolic link in its place, is passed
 * over (never followed, never waited for). Each case runs against a scratch root (sticky and world-writable, as
 * {@code /dev/shm}) instead of the machine's.
 */
@Tag("unit")
class TempBaseTest {
  private Path root;
  private Path outside;

  @BeforeEach
  void scratch() throws IOException {
    root = OtherUser.stickyRoot();
    outside = Files.createDirectory(root.resolve("outside"), SafeFiles.DIR_ATTRIBUTE);
  }

  @AfterEach
  void clean() {
    TempNamespaces.delete(root);
  }

  private Path shared() {
    return root.resolve(TempNamespaces.BASE_NAME);
  }

  private static void assertFresh(Path root, Path base) {
    assertEquals(root, base.getParent());
    assertTrue(base.getFileName().toString().startsWith(TempNamespaces.BASE_NAME + "-"), "a fresh base: " + base);
    assertTrue(SafeFiles.isOwnPrivateDirectory(base), base + " is ours, a real directory, 0700");
  }

  @Test
  void theBaseIsMadePrivateOnceAndKept() throws IOException {
    Path base = TempNamespaces.base(root, null);
    assertEquals(root.resolve("ipckit-" + SafeFiles.UID), base, "named by uid, not by user name");
    assertEquals("rwx------", OtherUser.mode(base));
    assertEquals(base, TempNamespaces.base(root, null), "the same base again");
  }

  @Test
  void aBaseWithAnotherModeIsPassedOverNotRefused() throws IOException {
    Files.createDirectory(shared());
    Files.setPosixFilePermissions(shared(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path base = TempNamespaces.base(root, null);
    assertFresh(root, base);
    assertEquals("rwxr-xr-x", OtherUser.mode(shared()), "left as it was");
  }

  @Test
  void aSymbolicLinkInPlaceOfTheBaseIsNotFollowed() throws IOException {
    Files.createSymbolicLink(shared(), outside);
    Path base = TempNamespaces.base(root, null);
    assertFresh(root, base);
    assertTrue(Files.isSymbolicLink(shared()));
    try (var s = Files.list(outside)) {
      assertEquals(0, s.count(), "nothing made through the link");
    }
  }

  @Test
  void aDanglingSymbolicLinkInPlaceOfTheBaseCreatesNothingAtItsTarget() throws IOException {
    Path target = outside.resolve("made-through-the-link");
    Files.createSymbolicLink(shared(), target);
    assertFresh(root, TempNamespaces.base(root, null));
    assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "mkdir never follows the link");
  }

  @Test
  void theRuntimeDirectoryIsPreferredWhenItIsOursAndPrivate() throws IOException {
    Path run = Files.createDirectory(root.resolve("run"), SafeFiles.DIR_ATTRIBUTE);
    assertEquals(run.resolve("ipckit"), TempNamespaces.base(root, run.toString()));
    assertEquals("rwx------", OtherUser.mode(run.resolve("ipckit")));
  }

  @Test
  void aRuntimeDirectoryThatIsNotPrivateOrNotAbsoluteIsIgnored() throws IOException {
    Path run = Files.createDirectory(root.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(shared(), TempNamespaces.base(root, run.toString()));
    assertFalse(Files.exists(run.resolve("ipckit")));
    assertEquals(shared(), TempNamespaces.base(root, "relative/run"));
    assertEquals(shared(), TempNamespaces.base(root, ""));
    Path link = Files.createSymbolicLink(root.resolve("run-link"), outside);
    assertEquals(shared(), TempNamespaces.base(root, link.toString()), "a link as the runtime directory: not used");
  }

  @Test
  void aNamespaceInAFreshBaseWorks() throws IOException {
    Files.createDirectory(shared());
    Files.setPosixFilePermissions(shared(), PosixFilePermissions.fromString("rwx--x--x"));
    Path base = TempNamespaces.base(root, null);
    try (Ipc ipc = Ipc.open(base.resolve("ns"))) {
      SharedLong v = ipc.sharedLong("v", 41);
      assertEquals(42, v.incrementAndGet());
    }
  }

  /** Reproduced: another user made {@code /dev/shm/ipckit-USER} first, and every {@code Ipc.temp()} failed. */
  @Test
  void aBaseAnotherUserMadeFirstDoesNotBlock() throws Exception {
    OtherUser.assumeRoot();
    int other = OtherUser.uid();
    OtherUser.run("mkdir -m 700 " + shared());
    assertEquals(other, Files.getAttribute(shared(), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    Path base = TempNamespaces.base(root, null);
    assertFresh(root, base);
    assertNotEquals(shared(), base);
    try (Ipc ipc = Ipc.open(base.resolve("ns"))) {
      assertEquals(1, ipc.sharedLong("v", 1).get());
    }
    assertEquals(other, Files.getAttribute(shared(), "unix:uid", LinkOption.NOFOLLOW_LINKS), "theirs, untouched");
  }

  /**
   * Reproduced (where {@code fs.protected_symlinks=0}): another user planted the base as a symbolic link to a
   * directory of ours; namespaces went there, and the sweep deleted what it found there.
   */
  @Test
  void aBaseAnotherUserPlantedAsALinkIsNotFollowedAndItsTargetNotSwept() throws Exception {
    OtherUser.assumeRoot();
    Path victim = Files.createDirectory(outside.resolve("home"), SafeFiles.DIR_ATTRIBUTE);
    Path precious = Files.createDirectory(victim.resolve(TempNamespaces.PREFIX + "1-precious"),
        SafeFiles.DIR_ATTRIBUTE);
    // a marker as the sweep would read it through the link: only not following the link keeps it
    Files.writeString(Files.createFile(precious.resolve(TempNamespaces.MARKER), SafeFiles.FILE_ATTRIBUTE),
        TempNamespaces.markerText(shared().resolve(precious.getFileName()), SafeFiles.fileKey(precious)));
    Files.setLastModifiedTime(precious, java.nio.file.attribute.FileTime.fromMillis(0));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx--x--x"));
    OtherUser.run("ln -s " + victim + " " + shared());
    Path base = TempNamespaces.base(root, null);
    assertFresh(root, base);
    assertEquals(0, TempNamespaces.sweep(root, null, p -> false), "nothing swept");
    assertTrue(Files.isDirectory(precious), "the link's target is untouched");
    try (var s = Files.list(victim)) {
      assertEquals(1, s.count(), "nothing made in the link's target");
    }
  }
}
