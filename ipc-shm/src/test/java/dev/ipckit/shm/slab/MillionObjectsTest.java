package dev.ipckit.shm.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.format.MapLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A million counters and a hundred thousand locks in one namespace, all open at once in one JVM: a few mappings,
 * where a file per object would pass the kernel's limit of 65,530 and abort the JVM. The creation rate is printed,
 * not asserted (the benchmark measures it).
 */
@Tag("process")
class MillionObjectsTest {
  private static final int LONGS = 1_000_000;
  private static final int LOCKS = 100_000;

  private static long mapsOfThisProcess() throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.count();
    }
  }

  @Test
  void aMillionSharedLongsAndAHundredThousandLocksInOneNamespace() throws Exception {
    long mapsBefore = mapsOfThisProcess();
    int mappedBefore = MapLimit.mapped();
    try (Ipc ipc = Ipc.temp()) {
      SharedLong[] longs = new SharedLong[LONGS];
      long t0 = System.nanoTime();
      for (int i = 0; i < LONGS; i++) {
        longs[i] = ipc.sharedLong("c" + i, i);
      }
      long t1 = System.nanoTime();
      IpcLock[] locks = new IpcLock[LOCKS];
      for (int i = 0; i < LOCKS; i++) {
        locks[i] = ipc.lock("l" + i);
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < LONGS; i++) {
        longs[i].addAndGet(1);
      }
      for (int i = 0; i < LONGS; i += 997) {
        assertEquals(i + 1, ipc.sharedLong("c" + i, -1).get(), "c" + i + " opened again by name");
      }
      for (int i = 0; i < LONGS; i++) {
        assertEquals(i + 1, longs[i].get(), "c" + i);
      }
      for (IpcLock l : locks) {
        assertTrue(l.tryLock());
        l.unlock();
      }
      int mapped = MapLimit.mapped() - mappedBefore;
      long maps = mapsOfThisProcess() - mapsBefore;
      assertTrue(mapped < 40, mapped + " mappings counted for " + (LONGS + LOCKS) + " objects");   // (less what GC freed)
      assertTrue(maps < 200, "the process gained " + maps + " mappings");
      Census c = NamespaceTestKit.slabOf(ipc).census();
      assertEquals(List.of(), c.problems);
      assertEquals(LONGS + LOCKS, c.live);
      System.out.printf("slab: %,d SharedLongs created at %,.0f/s, %,d locks at %,.0f/s, the process gained %d"
          + " mappings, %s%n", LONGS, LONGS / ((t1 - t0) / 1e9), LOCKS, LOCKS / ((t2 - t1) / 1e9), maps, c);
    }
  }
}
