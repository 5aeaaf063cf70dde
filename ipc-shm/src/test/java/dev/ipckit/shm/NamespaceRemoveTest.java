package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.Pipe;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** names() lists the objects of a namespace and nothing else; remove(name) deletes one unless it is in use. */
@Tag("unit")
class NamespaceRemoveTest {
  @TempDir
  Path dir;

  @Test
  void namesListsOneOfEveryKindAndNoInternalFile() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      assertTrue(ipc.names().isEmpty(), ipc.names().toString());
      ipc.sharedInt("int", 1);
      ipc.sharedLong("long", 1).getLock().lock();     // its lock is an internal rlock: long@lock
      ipc.sharedLong("long", 1).getLock().unlock();
      ipc.sharedDouble("double", 1);
      ipc.intArray("intArray", 1);
      ipc.longArray("longArray", 1);
      ipc.doubleArray("doubleArray", 1);
      ipc.byteArray("byteArray", 1);
      ipc.floatArray("floatArray", 1);
      ipc.booleanArray("booleanArray", 1);
      ipc.buffer("buffer", 1);
      ipc.lock("lock");
      ipc.rlock("rlock");
      ipc.fileLock("fileLock");
      ipc.semaphore("semaphore", 1);
      ipc.boundedSemaphore("boundedSemaphore", 1);
      ipc.event("event");
      ipc.barrier("barrier", 2);
      IpcQueue<byte[]> q = ipc.queue("queue", 4, Codec.bytes());
      q.put(new byte[100_000]);                        // longer than the data area takes: a spill side file
      ipc.pipe("pipe", true, Codec.string());
      Set<String> expected = new TreeSet<>(List.of("int", "long", "double", "intArray", "longArray", "doubleArray",
          "byteArray", "floatArray", "booleanArray", "buffer", "lock", "rlock", "fileLock", "semaphore",
          "boundedSemaphore", "event", "barrier", "queue", "pipe"));
      assertEquals(expected, ipc.names());
      assertEquals(List.copyOf(expected), List.copyOf(ipc.names()), "sorted");
      Set<String> files = files();
      assertTrue(files.contains(".slab-0000") && files.contains(".registry"), "internal files exist: " + files);
      assertTrue(files.stream().anyMatch(f -> f.startsWith("queue@spill-")), "a side file exists: " + files);
      assertThrows(UnsupportedOperationException.class, () -> ipc.names().add("x"), "a snapshot, unmodifiable");
    }
  }

  @Test
  void removeDeletesTheObjectSoThatTheNameIsCreatedAnew() throws IOException {
    try (Ipc ipc = Ipc.open(dir); Ipc other = Ipc.open(dir)) {
      SharedLong v = ipc.sharedLong("v", 5);
      v.getLock().lock();
      v.getLock().unlock();
      v.addAndGet(10);
      v.close();
      assertTrue(ipc.remove("v"));
      assertFalse(files().contains("v") || files().contains("v@lock"), "the value and its lock are gone: " + files());
      assertFalse(ipc.names().contains("v"));
      assertEquals(7, ipc.sharedLong("v", 7).get(), "a fresh value with the new initial");
      assertEquals(7, other.sharedLong("v", 0).get(), "the other instance of the directory maps the new file too");
      assertFalse(ipc.remove("never-made"));
      SharedLongArray a = ipc.longArray("a", new long[] {1, 2});
      a.close();
      assertTrue(ipc.remove("a"));
      assertEquals(3, ipc.longArray("a", 3).length(), "another length is fine for a new array");
    }
  }

  @Test
  void removeRefusesAnObjectOpenInThisProcess() {
    try (Ipc ipc = Ipc.open(dir); Ipc other = Ipc.open(dir)) {
      SharedLong v = ipc.sharedLong("v", 1);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.remove("v"));
      assertEquals("SharedLong \"v\" in " + ipc.dir() + " is in use: open in this process (1 handle); close it there"
          + " first", e.getMessage());
      assertThrows(IllegalStateException.class, () -> other.remove("v"), "open through any instance of the dir");
      assertEquals(1, v.get(), "untouched");
      v.close();
      Pipe<String> p = ipc.pipe("p", false, Codec.string());
      e = assertThrows(IllegalStateException.class, () -> ipc.remove("p"));
      assertTrue(e.getMessage().startsWith("pipe \"p\" in " + ipc.dir() + " is in use: open in this process"),
          e.getMessage());
      p.close();
      assertTrue(ipc.remove("p"));
      assertTrue(ipc.remove("v"));
    }
  }

  @Test
  void removeRefusesALockHeldByThisProcessEvenThroughAClosedHandle() {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcLock lock = ipc.lock("l");
      lock.lock();
      lock.close();                                    // closed, still held
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.remove("l"));
      assertEquals("lock \"l\" in " + ipc.dir() + " is in use: process " + ProcessHandle.current().pid()
          + " (this one), which is alive, holds it", e.getMessage());
      SharedLong v = ipc.sharedLong("v", 0);
      IpcLock valueLock = v.getLock();
      valueLock.lock();
      v.close();
      e = assertThrows(IllegalStateException.class, () -> ipc.remove("v"));
      assertTrue(e.getMessage().startsWith("SharedLong \"v\" in " + ipc.dir() + " (its lock v@lock) is in use"),
          e.getMessage());
      valueLock.unlock();
      assertTrue(ipc.remove("v"));
      assertThrows(IllegalStateException.class, valueLock::lock, "the removed value's lock handles are closed");
    }
  }

  @Test
  void removeTakesAQueuesSideFilesAlong() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("q", 4, Codec.bytes());
      q.put(new byte[100_000]);
      q.put(new byte[100_000]);
      assertTrue(files().stream().filter(f -> f.startsWith("q@")).count() >= 2, files().toString());
      q.close();
      assertTrue(ipc.remove("q"));
      assertEquals(Set.of(), files().stream().filter(f -> f.startsWith("q")).collect(Collectors.toSet()));
      IpcQueue<byte[]> fresh = ipc.queue("q", 8, Codec.bytes());
      assertEquals(8, fresh.capacity(), "a new queue, of the new capacity");
      assertTrue(fresh.isEmpty());
    }
  }

  @Test
  void removeRefusesWhatThisLibraryDidNotMake() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      Path foreign = ipc.dir().resolve("notes.txt");
      Files.writeString(foreign, "not an ipckit object, but long enough to hold a whole header of one. ".repeat(3));
      Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-------"));
      assertTrue(ipc.names().contains("notes.txt"), "listed by name");
      IpcException e = assertThrows(IpcException.class, () -> ipc.remove("notes.txt"));
      assertTrue(e.getMessage().startsWith("not removing " + foreign + ": it is not an ipckit object (magic 0x"),
          e.getMessage());
      assertTrue(Files.exists(foreign), "never deleted");
      assertThrows(IllegalArgumentException.class, () -> ipc.remove(".registry"), "internal names are not names");
      assertThrows(IllegalArgumentException.class, () -> ipc.remove("v@lock"));
    }
  }

  @Test
  void aClosedNamespaceNeitherListsNorRemoves() {
    Ipc ipc = Ipc.open(dir);
    ipc.close();
    assertThrows(IllegalStateException.class, ipc::names);
    assertThrows(IllegalStateException.class, () -> ipc.remove("v"));
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
