package dev.ipckit.shm.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.testkit.Serialized;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small objects in the slab, in one JVM: what they share, how names find them, growth, removal and reuse. */
@Tag("unit")
class SlabTest {
  @TempDir
  Path tmp;

  private static Slab slabOf(Ipc ipc) {
    return dev.ipckit.shm.NamespaceTestKit.slabOf(ipc);
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void smallObjectsShareTheSlabAndKeepTheirValues() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      SharedLong a = ipc.sharedLong("a", 7);
      SharedInt b = ipc.sharedInt("b", 3);
      SharedDouble c = ipc.sharedDouble("c", 2.5);
      IpcLock l = ipc.lock("l");
      IpcLock r = ipc.rlock("r");
      IpcEvent e = ipc.event("e");
      assertEquals(7, a.getAndAdd(1));
      assertEquals(8, ipc.sharedLong("a", 99).get(), "opening again keeps the value");
      assertEquals(3, b.get());
      assertEquals(2.5, c.get());
      l.lock();
      assertTrue(l.isLocked());
      l.unlock();
      r.lock();
      r.lock();
      r.unlock();
      r.unlock();
      e.set();
      assertTrue(ipc.event("e").isSet());
      a.getLock().lock();                           // the value's rlock is a slot too
      a.getLock().unlock();
      List<String> names = files(ipc.dir());
      assertFalse(names.contains("a") || names.contains("l") || names.contains("e"), "no file per object: " + names);
      assertTrue(names.contains(".slab-0000"), names.toString());
      assertEquals(Set.of("a", "b", "c", "e", "l", "r"), ipc.names());
    }
  }

  @Test
  void aNameHoldsOneKind() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      ipc.sharedLong("x", 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.lock("x"));
      assertEquals("\"x\" in " + ipc.dir() + " is a SharedLong, not a lock", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("x", 4, dev.ipckit.Codec.string()));
      assertEquals("\"x\" in " + ipc.dir() + " is a SharedLong, not a queue", e.getMessage());
      ipc.queue("q", 4, dev.ipckit.Codec.string());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.sharedInt("q", 0));
      assertTrue(e.getMessage().contains("\"q\" in " + ipc.dir()) && e.getMessage().contains("not a SharedInt"),
          e.getMessage());
      assertEquals(Set.of("q", "x"), ipc.names(), "the refused kinds left nothing behind");
    }
  }

  @Test
  void aLongNameKeepsAFileOfItsOwn() throws Exception {
    String longName = "n".repeat(SlabLayout.MAX_NAME_BYTES + 1);
    String fits = "f".repeat(SlabLayout.MAX_NAME_BYTES);
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      ipc.sharedLong(longName, 5).incrementAndGet();
      ipc.lock(fits).lock();
      assertTrue(Files.exists(ipc.dir().resolve(longName)));
      assertFalse(Files.exists(ipc.dir().resolve(fits)));
      assertEquals(6, ipc.sharedLong(longName, 0).get());
      assertEquals(Set.of(longName, fits), ipc.names());
    }
  }

  @Test
  void aHandleSentToAnotherJvmReopensTheSameSlot() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      SharedLong a = ipc.sharedLong("a", 40);
      SharedLong back = Serialized.roundTrip(a);
      back.addAndGet(2);
      assertEquals(42, a.get());
    }
  }

  @Test
  void thousandsOfObjectsGrowTheIndexAndChunksAndAllStayFindable() throws Exception {
    int n = 20_000;
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      for (int i = 0; i < n; i++) {
        ipc.sharedLong("c" + i, i);
      }
      for (int i = 0; i < n; i++) {
        assertEquals(i, ipc.sharedLong("c" + i, -1).get(), "c" + i);
      }
      Census c = slabOf(ipc).census();
      assertEquals(List.of(), c.problems);
      assertEquals(n, c.live);
      assertTrue(c.buckets >= 2L * n, "the index stays at most half full: " + c);
      List<String> names = files(ipc.dir());
      assertEquals(1, names.stream().filter(f -> f.startsWith(SlabLayout.INDEX_PREFIX)).count(),
          "old index generations are deleted: " + names);
      assertEquals(SlabLayout.chunkOf(n - 1) + 1, names.stream().filter(f -> f.matches("\\.slab-\\d{4}")).count());
    }
  }

  @Test
  void threadsCreatingTheSameNamesAgreeOnOneObjectEach() throws Exception {
    int threads = 4;
    int names = 3_000;
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Thread> ts = new ArrayList<>();
      Set<Throwable> failures = ConcurrentHashMap.newKeySet();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < names; i++) {
              ipc.sharedLong("k" + i, 0).incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        th.start();
        ts.add(th);
      }
      for (Thread th : ts) {
        th.join(60_000);
      }
      assertEquals(Set.of(), failures);
      for (int i = 0; i < names; i++) {
        assertEquals(threads, ipc.sharedLong("k" + i, 0).get(), "k" + i);
      }
      assertEquals(List.of(), slabOf(ipc).census().problems);
    }
  }

  @Test
  void removedObjectsAreGoneAndTheirSlotsReusedOnceAlone() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      for (int i = 0; i < SlabLayout.FIRST_SLOTS - 1; i++) {
        ipc.sharedLong("v" + i, i).close();
      }
      IpcLock held = ipc.lock("held");                 // the last slot of the first chunk
      held.lock();
      IllegalStateException busy = assertThrows(IllegalStateException.class, () -> ipc.remove("held"));
      assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
      held.unlock();
      held.close();
      SharedLong open = ipc.sharedLong("v0", 0);
      assertThrows(IllegalStateException.class, () -> ipc.remove("v0"), "open here");
      open.close();
      for (int i = 0; i < 100; i++) {
        assertTrue(ipc.remove("v" + i), "v" + i);
      }
      assertFalse(ipc.remove("v0"), "already removed");
      assertFalse(ipc.names().contains("v0"));
      Census before = slabOf(ipc).census();
      assertEquals(List.of(), before.problems);
      assertEquals(100, before.removed);
      assertEquals(SlabLayout.FIRST_SLOTS, before.slots);
      // the first chunk is full: the next inserts reuse the removed slots instead of making chunk 1
      assertEquals(0, ipc.sharedLong("v0", 0).get(), "made anew");
      for (int i = 0; i < 49; i++) {
        ipc.sharedLong("w" + i, 0);
      }
      Census after = slabOf(ipc).census();
      assertEquals(List.of(), after.problems);
      assertEquals(0, after.removed);
      assertEquals(50, after.free);
      assertEquals(before.slots, after.slots, "no slot was added: " + after);
      assertFalse(Files.exists(ipc.dir().resolve(SlabLayout.chunkName(1))));
      for (int i = 100; i < SlabLayout.FIRST_SLOTS - 1; i++) {
        assertEquals(i, ipc.sharedLong("v" + i, -1).get(), "kept v" + i);
      }
    }
  }

  @Test
  void slotsAreNotReusedWhileAnotherProcessMayHoldOne() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      ipc.sharedLong("a", 1).close();
      assertTrue(ipc.remove("a"));
      Slab others = Slab.open(ipc.dir(), dev.ipckit.shm.format.SafeFiles.fileKey(ipc.dir()),
          dev.ipckit.shm.NamespaceTestKit.registryOf(ipc), () -> true);   // as if another process had it open
      for (int i = 0; i < SlabLayout.FIRST_SLOTS + 1; i++) {
        others.open("x" + i, dev.ipckit.shm.format.Kind.LONG, null);
      }
      Census c = others.census();
      assertEquals(1, c.removed, "kept while others may hold it: " + c);
      assertNotEquals(0, c.slots);
    }
  }

  @Test
  void aHandleOfARemovedObjectDoesNotReopenAsAFreshOne() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      SharedLong a = ipc.sharedLong("a", 40);
      byte[] bytes = Serialized.bytes(a);
      a.close();
      assertTrue(ipc.remove("a"));
      dev.ipckit.IpcException e = assertThrows(dev.ipckit.IpcException.class, () -> Serialized.read(bytes));
      assertEquals("cannot reopen SharedLong \"a\": " + ipc.dir().resolve("a") + " does not exist (was its"
          + " namespace closed or removed?)", e.getMessage());
    }
  }

  @Test
  void damagedWordsAreRefusedOrPassedOverNeverFollowed() throws Exception {
    Path dir = tmp.resolve("ns");
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.sharedLong("a", 1);
      ipc.sharedLong("b", 2);
    }
    // a bucket that points past the slots in use, or at a free slot: no match, the name is made afresh
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(
        SlabLayout.indexName(0)), java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
      v.putLong(0, SlabLayout.entry(SlabLayout.hash("c"), 123_456));
      ch.write(v, SlabLayout.bucketOffset(SlabLayout.hash("c") & ((1 << SlabLayout.MIN_INDEX_LOG) - 1)));
    }
    try (Ipc ipc = Ipc.open(dir)) {
      assertEquals(9, ipc.sharedLong("c", 9).get());
      assertEquals(1, ipc.sharedLong("a", 0).get());
    }
    // every bucket taken by entries that point nowhere: lookups miss, the next creator rebuilds the index
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(
        SlabLayout.indexName(0)), java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
      for (int i = 0; i < 1 << SlabLayout.MIN_INDEX_LOG; i++) {
        v.putLong(0, SlabLayout.entry(0x1234_5678 + i, 999_999));
        ch.write(v.clear(), SlabLayout.bucketOffset(i));
      }
    }
    try (Ipc ipc = Ipc.open(dir)) {
      assertEquals(5, ipc.sharedLong("e", 5).get());
      assertEquals(List.of(), slabOf(ipc).census().problems);
      assertTrue(ipc.names().containsAll(Set.of("a", "b", "c", "e")), ipc.names().toString());
    }
    // a journal naming an operation this version does not know: refused by name, not guessed at
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(SlabLayout.chunkName(0)),
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
      v.putLong(0, 99);
      ch.write(v, SlabLayout.J_OP);
    }
    try (Ipc ipc = Ipc.open(dir)) {
      assertEquals(2, ipc.sharedLong("b", 0).get(), "lookups need no lock: still found");
      dev.ipckit.IpcException e = assertThrows(dev.ipckit.IpcException.class, () -> ipc.sharedLong("d", 0));
      assertEquals("the slab of " + ipc.dir() + " is damaged: its journal holds op 99", e.getMessage());
    }
    // the journal cleared again; a free list that starts at a live slot, then a next fresh slot far past the last
    // chunk: refused, never handed out or made
    writeLong(dir.resolve(SlabLayout.chunkName(0)), SlabLayout.J_OP, 0);
    writeLong(dir.resolve(SlabLayout.chunkName(0)), SlabLayout.FREE_HEAD, 1);     // slot 0: "a", live
    try (Ipc ipc = Ipc.open(dir)) {
      dev.ipckit.IpcException e = assertThrows(dev.ipckit.IpcException.class, () -> ipc.sharedLong("d", 0));
      assertEquals("the slab of " + ipc.dir() + " is damaged: its free list starts at slot 0, which is not free",
          e.getMessage());
      assertEquals(1, ipc.sharedLong("a", 0).get(), "and \"a\" is untouched");
    }
    writeLong(dir.resolve(SlabLayout.chunkName(0)), SlabLayout.FREE_HEAD, 0);
    writeLong(dir.resolve(SlabLayout.chunkName(0)), SlabLayout.NEXT_FRESH, SlabLayout.chunkStart(9));
    try (Ipc ipc = Ipc.open(dir)) {
      dev.ipckit.IpcException e = assertThrows(dev.ipckit.IpcException.class, () -> ipc.sharedLong("d", 0));
      assertTrue(e.getMessage().startsWith("the slab of " + ipc.dir() + " is damaged: a word names a slot of chunk 8"),
          e.getMessage());
      assertFalse(Files.exists(dir.resolve(SlabLayout.chunkName(9))), "no chunk made past the damage");
    }
    // a chunk that is not one: the usual refusal naming the file
    Files.write(dir.resolve(SlabLayout.chunkName(0)), new byte[4096]);
    try (Ipc ipc = Ipc.open(dir)) {
      dev.ipckit.IpcException e = assertThrows(dev.ipckit.IpcException.class, () -> ipc.sharedLong("a", 0));
      assertTrue(e.getMessage().startsWith(dir.resolve(SlabLayout.chunkName(0)) + " is not an ipckit file"),
          e.getMessage());
    }
  }

  private static void writeLong(Path file, int at, long value) throws Exception {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
      v.putLong(0, value);
      ch.write(v, at);
    }
  }

  @Test
  void aCopyReadsTheSlabFromOutsideAndFindsByName() throws Exception {
    try (Ipc ipc = Ipc.open(tmp.resolve("ns"))) {
      for (int i = 0; i < 3000; i++) {
        ipc.sharedLong("v" + i, i);
      }
      IpcLock l = ipc.lock("l");
      l.lock();
      SlabCopy copy = SlabCopy.of(ipc.dir());
      SlabCopy.Item v = copy.find("v2999");
      assertEquals("v2999", v.name());
      assertEquals(dev.ipckit.shm.format.Kind.LONG, v.kind());
      assertEquals(2999, v.body().getLong(0));
      assertEquals(dev.ipckit.shm.NamespaceTestKit.registryOf(ipc).token(), copy.find("l").body().getLong(0),
          "the lock's owner word");
      assertEquals(null, copy.find("nope"));
      assertEquals(3001, copy.items().size());
      l.unlock();
    }
  }
}
