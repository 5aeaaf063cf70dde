package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.core.TempNamespaces;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.testkit.Serialized;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Namespaces: directories and their permissions, kinds and sizes of names, closing. */
@Tag("unit")
class NamespaceTest {
  private Ipc scratch;
  private Path base;

  @BeforeEach
  void scratch() {
    scratch = Ipc.temp(); // a private 0700 directory to make test namespaces in
    base = scratch.dir();
  }

  @AfterEach
  void clean() {
    scratch.close();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void tempIsPrivateAndRemovedByClose() throws IOException {
    Path dir;
    try (Ipc ipc = Ipc.temp()) {
      dir = ipc.dir();
      assertTrue(dir.isAbsolute());
      if (System.getenv("XDG_RUNTIME_DIR") == null && Files.isDirectory(Path.of("/dev/shm"))
          && Files.isWritable(Path.of("/dev/shm"))) {
        assertTrue(dir.startsWith("/dev/shm"), "prefers /dev/shm without XDG_RUNTIME_DIR: " + dir);
      }
      assertEquals("rwx------", mode(dir));
      assertEquals("rwx------", mode(dir.getParent()), "the per-user base directory too");
      ipc.sharedLong("v", 1);
      ipc.longArray("a", 10);
      ipc.lock("l");
      ipc.rlock("r");
      ipc.fileLock("f");
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.collect(Collectors.toList());
      }
      assertEquals(List.of(TempNamespaces.MARKER, ".registry", ".slab-0000", ".slab-index-0", "a", "f"),
          files.stream().map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(Registry.LIVE_PREFIX))
              .sorted().collect(Collectors.toList()),
          "a file per large object, the slab for small ones, no temporary names left behind");
      for (Path f : files) {
        assertEquals("rw-------", mode(f), f.toString());
      }
    }
    assertFalse(Files.exists(dir), "removed by close()");
  }

  @Test
  void twoTempNamespacesAreDistinct() {
    try (Ipc a = Ipc.temp(); Ipc b = Ipc.temp()) {
      assertNotEquals(a.dir(), b.dir());
      a.sharedLong("v", 1);
      assertEquals(2, b.sharedLong("v", 2).get());
    }
  }

  @Test
  void openCreatesMissingDirectoriesPrivateAndSharesObjects() throws IOException {
    Path dir = base.resolve("sub/ns");
    try (Ipc a = Ipc.open(dir); Ipc b = Ipc.open(dir.getParent().resolve("../sub/./ns"))) {
      assertEquals("rwx------", mode(a.dir()));
      assertEquals(a.dir(), b.dir(), "one real path");
      SharedLong v = a.sharedLong("v", 41);
      assertEquals(41, b.sharedLong("v", 0).get(), "the initial value is ignored when the object exists");
      b.sharedLong("v", 0).incrementAndGet();
      assertEquals(42, v.get());
    }
    assertTrue(Files.isDirectory(dir), "an opened namespace stays on close()");
  }

  @Test
  void refusesADirectoryWritableByGroupOrOthers() throws IOException {
    for (String perms : new String[] {"rwxrwx---", "rwx---rwx", "rwxrwxrwx", "rwx-w----"}) {
      Path dir = Files.createDirectory(base.resolve("open-" + perms.replace('-', '_')));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.open(dir));
      assertEquals("namespace directory " + dir + " has mode " + perms + ": group or others may write it;"
          + " use a directory with mode 0700 (chmod 700 " + dir + ")", e.getMessage());
      assertEquals(0, Files.list(dir).count(), "nothing created in a refused directory");
    }
  }

  @Test
  void refusesADirectoryOwnedByAnotherUser() throws IOException {
    Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Path dir;
    if (Integer.valueOf(0).equals(me)) {
      dir = Files.createDirectory(base.resolve("theirs"));
      Files.setAttribute(dir, "unix:uid", 65534); // root can give it away
    } else {
      dir = Path.of("/"); // owned by root, and not by this user
    }
    Object owner = Files.getAttribute(dir, "unix:uid");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.open(dir));
    assertEquals("namespace directory " + dir + " is owned by uid " + owner + ", not by this user (uid " + me
        + "): refusing to share objects through it", e.getMessage());
  }

  @Test
  void refusesAPathThatIsNotADirectory() throws IOException {
    Path file = Files.writeString(base.resolve("plain-file"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.open(file));
    assertEquals("namespace path " + file + " is not a directory", e.getMessage());
  }

  @Test
  void openingANameAsAnotherKindNamesBoth() throws Exception {
    Path dir = base.resolve("kinds");
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.sharedLong("x", 0);
      ipc.lock("l");
      assertKindMismatch(dir, "x", "SharedLong", "SharedInt", () -> ipc.sharedInt("x", 0));
      assertKindMismatch(dir, "x", "SharedLong", "SharedDouble", () -> ipc.sharedDouble("x", 0));
      assertKindMismatch(dir, "x", "SharedLong", "SharedLongArray", () -> ipc.longArray("x", 1));
      assertKindMismatch(dir, "x", "SharedLong", "lock", () -> ipc.lock("x"));
      assertKindMismatch(dir, "l", "lock", "rlock", () -> ipc.rlock("l"));
      assertKindMismatch(dir, "l", "lock", "fileLock", () -> ipc.fileLock("l"));
      assertKindMismatch(dir, "l", "lock", "SharedLong", () -> ipc.sharedLong("l", 0));
    }
    // the same from the file on disk, in a fresh opening of the directory (nothing mapped yet)
    try (Ipc ipc = Ipc.open(dir)) {
      assertKindMismatch(dir, "x", "SharedLong", "SharedInt", () -> ipc.sharedInt("x", 0));
      assertKindMismatch(dir, "l", "lock", "fileLock", () -> ipc.fileLock("l"));
      assertEquals(0, ipc.sharedLong("x", 5).get(), "still the long it was");
    }
  }

  private static void assertKindMismatch(Path dir, String name, String is, String asked,
      org.junit.jupiter.api.function.Executable open) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, open);
    assertEquals("\"" + name + "\" in " + dir.toAbsolutePath() + " is a " + is + ", not a " + asked, e.getMessage());
  }

  @Test
  void anArrayOfAnotherLengthIsRefused() throws Exception {
    Path dir = base.resolve("lengths");
    try (Ipc ipc = Ipc.open(dir)) {
      SharedIntArray a = ipc.intArray("a", 3);
      assertEquals(3, ipc.intArray("a", 3).length());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.intArray("a", 4));
      assertEquals("SharedIntArray \"a\" in " + ipc.dir() + " already exists with length 3, not 4", e.getMessage());
      a.set(2, 9);
    }
    try (Ipc ipc = Ipc.open(dir)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.intArray("a", 0));
      assertEquals("SharedIntArray \"a\" in " + ipc.dir() + " already exists with length 3, not 0", e.getMessage());
      assertEquals(9, ipc.intArray("a", 3).get(2));
    }
  }

  @Test
  void arrayLengthsAreChecked() {
    try (Ipc ipc = Ipc.open(base.resolve("sizes"))) {
      IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> ipc.longArray("n", -1));
      assertEquals("length must not be negative: length=-1", neg.getMessage());
      IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
          () -> ipc.longArray("big", Integer.MAX_VALUE));
      long body = (8L * Integer.MAX_VALUE + 63) & -64; // rounded up to whole cache lines
      assertEquals("SharedLongArray \"big\" would need " + (128 + body)
          + " bytes; at most 2147483647 fit one file", big.getMessage());
      assertFalse(Files.exists(ipc.dir().resolve("big")));
      assertEquals(0, ipc.doubleArray("empty", 0).length());
    }
  }

  @Test
  void badNamesAreRefusedBeforeTouchingTheDirectory() throws IOException {
    try (Ipc ipc = Ipc.temp()) {
      assertThrows(IllegalArgumentException.class, () -> ipc.sharedLong("", 0));
      assertThrows(IllegalArgumentException.class, () -> ipc.lock("../escape"));
      assertThrows(IllegalArgumentException.class, () -> ipc.fileLock(".registry"));
      assertThrows(IllegalArgumentException.class, () -> ipc.intArray("a/b", 1));
      assertThrows(IllegalArgumentException.class, () -> ipc.rlock("x".repeat(201)));
      assertThrows(IllegalArgumentException.class, () -> ipc.sharedDouble("tab\there", 0));
      assertThrows(NullPointerException.class, () -> ipc.sharedInt(null, 0));
      try (Stream<Path> s = Files.list(ipc.dir())) {
        assertEquals(List.of(TempNamespaces.MARKER, Registry.FILE_NAME), s.map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith(Registry.LIVE_PREFIX)).sorted().collect(Collectors.toList()));
      }
      assertFalse(Files.exists(ipc.dir().getParent().resolve("escape")));
    }
  }

  @Test
  void aClosedHandleSaysSoAndClosingTwiceIsHarmless() {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 3);
      SharedLong other = ipc.sharedLong("v", 0);
      IpcLock l = ipc.lock("l");
      v.close();
      assertDoesNotThrow(v::close);
      IllegalStateException e = assertThrows(IllegalStateException.class, v::get);
      assertEquals("SharedLong \"v\" in " + ipc.dir() + " is closed", e.getMessage());
      assertThrows(IllegalStateException.class, () -> v.set(1));
      assertThrows(IllegalStateException.class, v::incrementAndGet);
      assertThrows(IllegalStateException.class, () -> v.compareAndSet(3, 4));
      assertThrows(IllegalStateException.class, v::getLock);
      assertEquals(4, other.incrementAndGet(), "other handles of the name are unaffected");
      l.close();
      l.close();
      assertEquals("lock \"l\" in " + ipc.dir() + " is closed",
          assertThrows(IllegalStateException.class, l::lock).getMessage());
      assertThrows(IllegalStateException.class, l::tryLock);
      assertThrows(IllegalStateException.class, l::unlock);
    }
  }

  @Test
  void aClosedNamespaceClosesItsHandlesAndRefusesNewOnes() {
    Ipc ipc = Ipc.temp();
    Path dir = ipc.dir();
    SharedInt i = ipc.sharedInt("i", 1);
    SharedIntArray a = ipc.intArray("a", 2);
    IpcLock l = ipc.lock("l");
    IpcLock f = ipc.fileLock("f");
    ipc.close();
    assertDoesNotThrow(ipc::close);
    assertEquals("SharedInt \"i\" in " + dir + " is closed",
        assertThrows(IllegalStateException.class, i::get).getMessage());
    assertEquals("SharedIntArray \"a\" in " + dir + " is closed",
        assertThrows(IllegalStateException.class, () -> a.get(0)).getMessage());
    assertEquals("lock \"l\" in " + dir + " is closed",
        assertThrows(IllegalStateException.class, l::lock).getMessage());
    assertEquals("fileLock \"f\" in " + dir + " is closed",
        assertThrows(IllegalStateException.class, f::lock).getMessage());
    assertEquals("namespace " + dir + " is closed",
        assertThrows(IllegalStateException.class, () -> ipc.sharedLong("new", 0)).getMessage());
    assertEquals("namespace " + dir + " is closed",
        assertThrows(IllegalStateException.class, () -> ipc.lock("new")).getMessage());
    assertDoesNotThrow(i::close);
  }

  @Test
  void closingOneInstanceLeavesAnotherOfTheSameDirectoryWorking() {
    Path dir = base.resolve("shared");
    Ipc a = Ipc.open(dir);
    try (Ipc b = Ipc.open(dir)) {
      SharedLong va = a.sharedLong("v", 0);
      SharedLong vb = b.sharedLong("v", 0);
      IpcLock lb = b.fileLock("f");
      a.fileLock("f");
      a.close();
      assertThrows(IllegalStateException.class, va::get);
      assertEquals(1, vb.incrementAndGet());
      lb.lock(); // the channel of the fileLock survives the other instance's close
      lb.unlock();
    }
  }

  @Test
  void anIpcExceptionIsARuntimeExceptionNamingTheFile() throws IOException {
    Path dir = base.resolve("dir-as-object");
    try (Ipc ipc = Ipc.open(dir)) {
      Files.createDirectory(dir.resolve("sub"));
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong("sub", 0));
      assertTrue(e.getMessage().startsWith("cannot open " + ipc.dir().resolve("sub")), e.getMessage());
    }
  }

  @Test
  void aHandleThatOutlivedItsNamespaceDoesNotReopenAsAFreshObject() throws Exception {
    Ipc ipc = Ipc.temp();
    Path dir = ipc.dir();
    byte[] v = Serialized.bytes(ipc.sharedLong("v", 42));
    ipc.close();
    IpcException e = assertThrows(IpcException.class, () -> Serialized.read(v));
    assertEquals("cannot attach to the namespace " + dir + ": the directory does not exist (was it closed or"
        + " removed?)", e.getMessage());
    assertFalse(Files.exists(dir), "not recreated");

    Path kept = base.resolve("kept");
    byte[] l;
    String name = "l-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own";   // (SlabTest: a slot's handle)
    try (Ipc open = Ipc.open(kept)) {
      l = Serialized.bytes(open.lock(name));
      assertTrue(Serialized.read(l) instanceof IpcLock);
    }
    Files.delete(kept.resolve(name));
    IpcException gone = assertThrows(IpcException.class, () -> Serialized.read(l));
    assertEquals("cannot reopen lock \"" + name + "\": " + kept.resolve(name) + " does not exist (was its namespace"
        + " closed or removed?)", gone.getMessage());
  }
}
