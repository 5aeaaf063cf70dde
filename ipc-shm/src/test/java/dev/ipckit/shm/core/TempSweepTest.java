package dev.ipckit.shm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweep of dead temporary namespaces deletes only what it can prove it made: a real directory of this user,
 * 0700, with this user's own 0600 marker naming exactly that directory and its file key; it never follows a
 * symbolic link, neither into a namespace nor while deleting one. Runs against a scratch root.
 */
@Tag("unit")
class TempSweepTest {
  private Path root;
  private Path base;
  private Path outside;

  @BeforeEach
  void scratch() throws IOException {
    root = OtherUser.stickyRoot();
    base = TempNamespaces.base(root, null);
    outside = Files.createDirectory(root.resolve("outside"), SafeFiles.DIR_ATTRIBUTE);
  }

  @AfterEach
  void clean() {
    TempNamespaces.delete(root);
  }

  private static Path age(Path p) throws IOException {
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - TempNamespaces.MIN_AGE_MILLIS
        - 60_000));
    return p;
  }

  private Path marked() throws IOException {
    Path ns = TempNamespaces.createIn(base);
    assertNotNull(ns);
    return age(ns);
  }

  private int sweep() {
    return TempNamespaces.sweep(root, null, p -> false);
  }

  @Test
  void anOldMarkedNamespaceWithNobodyInItIsSwept() throws IOException {
    Path ns = marked();
    assertEquals("rw-------", OtherUser.mode(ns.resolve(TempNamespaces.MARKER)));
    assertEquals(1, sweep());
    assertFalse(Files.exists(ns));
  }

  @Test
  void aDirectoryWithoutTheMarkerIsKept() throws IOException {
    Path plain = age(Files.createDirectory(base.resolve(TempNamespaces.PREFIX + "1-plain"), SafeFiles.DIR_ATTRIBUTE));
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(plain));
  }

  @Test
  void aMarkerCopiedFromAnotherNamespaceIsNotProof() throws IOException {
    Path ns = marked();
    Path copy = Files.createDirectory(base.resolve(TempNamespaces.PREFIX + "1-copy"), SafeFiles.DIR_ATTRIBUTE);
    Files.copy(ns.resolve(TempNamespaces.MARKER), copy.resolve(TempNamespaces.MARKER));
    age(copy);
    Files.move(ns, base.resolve(TempNamespaces.PREFIX + "1-renamed"));  // the same key under another name
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(copy));
    assertTrue(Files.isDirectory(base.resolve(TempNamespaces.PREFIX + "1-renamed")));
  }

  @Test
  void aMarkerThatIsASymbolicLinkOrHasAnotherModeIsNotProof() throws IOException {
    Path linked = marked();
    Path real = outside.resolve("marker");
    Files.move(linked.resolve(TempNamespaces.MARKER), real);
    Files.createSymbolicLink(linked.resolve(TempNamespaces.MARKER), real);
    age(linked);
    Path loose = marked();
    Files.setPosixFilePermissions(loose.resolve(TempNamespaces.MARKER), PosixFilePermissions.fromString("rw-r--r--"));
    age(loose);
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(linked));
    assertTrue(Files.isDirectory(loose));
  }

  @Test
  void aNamespaceWithAnotherModeIsKept() throws IOException {
    Path ns = marked();
    Files.setPosixFilePermissions(ns, PosixFilePermissions.fromString("rwxr-x---"));
    age(ns);
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(ns));
  }

  @Test
  void aSymbolicLinkNamedLikeANamespaceIsNotFollowed() throws IOException {
    Path ns = marked();
    Path elsewhere = Files.move(ns, outside.resolve(ns.getFileName()));  // still carries a marker naming ns
    Files.createSymbolicLink(ns, elsewhere);
    assertEquals(0, sweep());
    assertTrue(Files.isSymbolicLink(ns));
    assertTrue(Files.exists(elsewhere.resolve(TempNamespaces.MARKER)), "the link's target is untouched");
  }

  @Test
  void deletingASweptNamespaceRemovesLinksNotTheirTargets() throws IOException {
    Path file = Files.writeString(outside.resolve("keep.txt"), "keep");
    Path dir = Files.createDirectory(outside.resolve("keep-dir"));
    Files.writeString(dir.resolve("inside.txt"), "keep");
    Path ns = marked();
    Files.createSymbolicLink(ns.resolve("to-file"), file);
    Files.createSymbolicLink(ns.resolve("to-dir"), dir);
    age(ns);
    assertEquals(1, sweep());
    assertFalse(Files.exists(ns, LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(file));
    assertEquals("keep", Files.readString(dir.resolve("inside.txt")));
  }

  @Test
  void aBaseThatIsNotPrivateIsNotSwept() throws IOException {
    Path open = Files.createDirectory(root.resolve(TempNamespaces.BASE_NAME + "-open"), SafeFiles.DIR_ATTRIBUTE);
    Path ns = age(TempNamespaces.createIn(open));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(ns));
  }

  @Test
  void aDirectoryReplacedAfterTheCheckIsNotDeleted() throws IOException {
    Path ns = marked();
    Object key = SafeFiles.fileKey(ns);
    Files.move(ns, outside.resolve("moved"));
    Files.createDirectory(ns, SafeFiles.DIR_ATTRIBUTE);
    Files.writeString(ns.resolve("x"), "x");
    assertFalse(TempNamespaces.delete(ns, key), "another directory now: its key differs");
    assertTrue(Files.exists(ns.resolve("x")));
  }

  @Test
  void anEmptyOldFreshBaseIsRemovedAndAFullOneKept() throws IOException {
    Path empty = age(Files.createDirectory(root.resolve(TempNamespaces.BASE_NAME + "-empty"),
        SafeFiles.DIR_ATTRIBUTE));
    Path full = Files.createDirectory(root.resolve(TempNamespaces.BASE_NAME + "-full"), SafeFiles.DIR_ATTRIBUTE);
    Files.writeString(full.resolve("file"), "x");
    age(full);
    sweep();
    assertFalse(Files.exists(empty));
    assertTrue(Files.exists(full.resolve("file")));
  }

  @Test
  void aNamespaceOfAnotherUserIsKept() throws Exception {
    OtherUser.assumeRoot();
    int other = OtherUser.uid();
    Path ns = marked();
    Files.setAttribute(ns, "unix:uid", other, LinkOption.NOFOLLOW_LINKS);
    age(ns);
    assertEquals(0, sweep());
    assertTrue(Files.isDirectory(ns));
  }
}
