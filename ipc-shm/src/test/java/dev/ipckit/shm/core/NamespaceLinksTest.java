package dev.ipckit.shm.core;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.shm.sync.ShmEvent;
import dev.ipckit.shm.value.ValueDescriptor;
import dev.ipckit.shm.wait.Bell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library never follows a symbolic link in its own paths: a link planted where a namespace file, the bell or
 * the registry goes is refused (an {@link IpcException} naming it and what it points to), its target untouched; a
 * namespace file of another user or with another mode is refused; and a namespace directory replaced after it was
 * opened gets no new files.
 */
@Tag("unit")
class NamespaceLinksTest {
  private static final byte[] PRECIOUS = {42, 43, 44, 45};
  private Ipc scratch;
  private Path ns;
  private Path target;

  @BeforeEach
  void scratch() throws IOException {
    scratch = Ipc.temp();
    ns = Files.createDirectory(scratch.dir().resolve("ns"), SafeFiles.DIR_ATTRIBUTE);
    target = Files.write(Files.createFile(scratch.dir().resolve("precious"), SafeFiles.FILE_ATTRIBUTE), PRECIOUS);
  }

  @AfterEach
  void clean() {
    scratch.close();
  }

  /**
   * Reproduced: {@code .bell} is opened with create-if-missing on the first ring; a link planted there had byte 0
   * of its target overwritten.
   */
  /** A value whose name is too long for a slab slot: a file of its own. */
  private static final String V = "v-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own";

  @Test
  void aBellPlantedAsALinkIsNotFollowed() throws Exception {
    Files.createSymbolicLink(ns.resolve(Bell.FILE_NAME), target);
    try (Ipc ipc = Ipc.open(ns)) {
      ShmEvent event = (ShmEvent) ipc.event("e");
      // a waiter announced in the event's sleep word: the next change rings the bell
      Mem.LONG.setVolatile(event.buffer(), event.sleepAt(), System.nanoTime() + TimeUnit.HOURS.toNanos(1));
      long rings = Bell.rings();
      event.set();
      assertEquals(rings, Bell.rings(), "refused: no ring through the link");
      assertTrue(event.isSet(), "the change itself is made");
    }
    assertArrayEquals(PRECIOUS, Files.readAllBytes(target), "the link's target is untouched");
    assertTrue(Files.isSymbolicLink(ns.resolve(Bell.FILE_NAME)));
  }

  @Test
  void aNamespaceFileThatIsALinkIsRefused() throws IOException {
    try (Ipc ipc = Ipc.open(ns)) {
      ipc.sharedLong("real", 7);
    }
    Path real = ns.resolve("real");
    Files.createSymbolicLink(ns.resolve("v"), real);
    try (Ipc ipc = Ipc.open(ns)) {
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong("v", 0));
      assertEquals(ns.resolve("v") + " is a symbolic link to " + real + "; a namespace file must be a regular file"
          + " owned by this user (uid " + SafeFiles.UID + ") with mode rw-------: refusing to use it", e.getMessage());
      assertEquals(7, ipc.sharedLong("real", 0).get(), "the file itself is fine");
    }
  }

  @Test
  void aDanglingLinkIsNotCreatedThrough() throws IOException {
    Path made = scratch.dir().resolve("made-through-the-link");
    Files.createSymbolicLink(ns.resolve("v"), made);
    try (Ipc ipc = Ipc.open(ns)) {
      assertThrows(IpcException.class, () -> ipc.sharedLong("v", 0));
    }
    assertFalse(Files.exists(made, LinkOption.NOFOLLOW_LINKS), "nothing created at the link's target");
  }

  @Test
  void aRegistryThatIsALinkRefusesTheNamespace() throws IOException {
    Path other = Files.createDirectory(scratch.dir().resolve("other"), SafeFiles.DIR_ATTRIBUTE);
    Ipc.open(other).close();
    Files.createSymbolicLink(ns.resolve(Registry.FILE_NAME), other.resolve(Registry.FILE_NAME));
    IpcException e = assertThrows(IpcException.class, () -> Ipc.open(ns));
    assertTrue(e.getMessage().startsWith(ns.resolve(Registry.FILE_NAME) + " is a symbolic link to "), e.getMessage());
  }

  @Test
  void aNamespaceFileWithAnotherModeIsRefused() throws IOException {
    try (Ipc ipc = Ipc.open(ns)) {
      ipc.sharedLong(V, 1);
    }
    Files.setPosixFilePermissions(ns.resolve(V), java.nio.file.attribute.PosixFilePermissions.fromString(
        "rw-rw-rw-"));
    try (Ipc ipc = Ipc.open(ns)) {
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong(V, 0));
      assertTrue(e.getMessage().startsWith(ns.resolve(V) + " has mode rw-rw-rw-; "), e.getMessage());
    }
  }

  @Test
  void aNamespaceFileOfAnotherUserIsRefused() throws Exception {
    OtherUser.assumeRoot();
    int other = OtherUser.uid();
    try (Ipc ipc = Ipc.open(ns)) {
      ipc.sharedLong(V, 1);
    }
    Files.setAttribute(ns.resolve(V), "unix:uid", other, LinkOption.NOFOLLOW_LINKS);
    try (Ipc ipc = Ipc.open(ns)) {
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong(V, 0));
      assertTrue(e.getMessage().startsWith(ns.resolve(V) + " is owned by uid " + other + "; "), e.getMessage());
    }
  }

  /**
   * Reproduced (under a parent others could write): the namespace directory was swapped after it was opened, and a
   * new object's file went into the other directory. A replaced directory now gets no new file.
   */
  @Test
  void aNamespaceDirectoryReplacedAfterOpeningGetsNoNewFiles() throws IOException {
    try (Ipc ipc = Ipc.open(ns)) {
      ipc.sharedLong("before", 1);
      Path moved = Files.move(ns, scratch.dir().resolve("moved"));
      Files.createDirectory(ns, SafeFiles.DIR_ATTRIBUTE);
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong("after", 1));
      assertTrue(e.getMessage().startsWith("the namespace directory " + ns + " was replaced"), e.getMessage());
      assertFalse(Files.exists(ns.resolve("after"), LinkOption.NOFOLLOW_LINKS));
      assertTrue(Files.exists(moved.resolve(".slab-0000")), "the slab, and what is in it, stayed with the directory");
    }
  }

  @Test
  void mappedFileChecksTheDirectoryKeyItIsGiven() throws IOException {
    Object stale = SafeFiles.fileKey(scratch.dir());
    MappedFile.Spec spec = MappedFile.spec(Kind.LONG, 0, 0, ValueDescriptor.SCALAR_BODY, null);
    assertThrows(IpcException.class, () -> MappedFile.openOrCreate(ns, stale, "v", spec));
    assertFalse(Files.exists(ns.resolve("v")));
    assertEquals(Kind.LONG, MappedFile.openOrCreate(ns, SafeFiles.fileKey(ns), "v", spec).kind());
  }
}
