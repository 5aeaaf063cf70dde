package dev.ipckit.shm.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Processes that die while they create small objects: at each step of an insert and of an index rebuild (a child
 * JVM that halts there, as kill -9 stops it: no shutdown hook, no unlock), and at random instants (a storm of real
 * kill -9s). Afterwards the slab is whole: every live name found by its name and in one slot only, no slot leaked,
 * the counts right, and the next creator carries on.
 */
@Tag("crash")
class SlabCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  final Children children = new Children();

  private static IpcProcess.Builder haltingAt(int step) {
    return IpcProcess.builder().jvmOptions("-D" + SlabLayout.HALT_PROPERTY + "=" + step);
  }

  @ParameterizedTest(name = "halted at step {0} of an insert")
  @ValueSource(ints = {SlabLayout.HALT_AFTER_JOURNAL, SlabLayout.HALT_BEFORE_COMMIT, SlabLayout.HALT_AFTER_COMMIT,
      SlabLayout.HALT_BEFORE_CLEAR})
  void aCreatorThatDiesMidInsertLeavesTheSlabWhole(int step) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      String dir = ipc.dir().toString();
      for (int i = 0; i < 10; i++) {
        ipc.sharedLong("before" + i, i);
      }
      IpcProcess child = children.start(haltingAt(step), () -> {
        try (Ipc c = Ipc.open(Path.of(dir))) {
          c.sharedLong("victim", 7);             // halts inside this insert
        }
        System.exit(5);                          // not reached
      });
      Children.assertKilled(child, WAIT);
      Slab slab = NamespaceTestKit.slabOf(ipc);
      Census c = slab.census();             // takes the lock over from the dead child, recovers
      assertEquals(List.of(), c.problems, c.toString());
      assertEquals(1, c.takeovers, "the dead creator's lock was taken over");
      boolean committed = step >= SlabLayout.HALT_AFTER_COMMIT;
      assertEquals(committed, ipc.names().contains("victim"), "an insert is there once its bucket is written");
      assertEquals(committed ? 11 : 10, c.live);
      SharedLong victim = ipc.sharedLong("victim", 9);
      assertEquals(committed ? 7 : 9, victim.get());
      for (int i = 0; i < 10; i++) {
        assertEquals(i, ipc.sharedLong("before" + i, -1).get());
      }
      ipc.sharedLong("after", 1);
      assertEquals(List.of(), slab.census().problems);
    }
  }

  @Test
  void aCreatorThatDiesRebuildingTheIndexLeavesItWhole() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      String dir = ipc.dir().toString();
      SharedInt made = ipc.sharedInt("made", 0);
      IpcProcess child = children.start(haltingAt(SlabLayout.HALT_BEFORE_PUBLISH), () -> {
        try (Ipc c = Ipc.open(Path.of(dir))) {
          for (int i = 0; ; i++) {
            c.sharedLong("n" + i, i);            // halts when the index is full enough to rebuild
            made.set(i + 1);
          }
        }
      });
      Children.assertKilled(child, WAIT);
      int n = made.get();
      assertTrue(n > 100, "the child made " + n + " before the rebuild");
      Census c = NamespaceTestKit.slabOf(ipc).census();
      assertEquals(List.of(), c.problems, c.toString());
      for (int i = 0; i < n; i++) {
        assertEquals(i, ipc.sharedLong("n" + i, -1).get(), "n" + i);
      }
      for (int i = n; i < 3 * n; i++) {
        ipc.sharedLong("n" + i, i);               // the rebuild is done again, by this process
      }
      c = NamespaceTestKit.slabOf(ipc).census();
      assertEquals(List.of(), c.problems, c.toString());
      assertTrue(c.buckets > 1 << SlabLayout.MIN_INDEX_LOG, c.toString());
    }
  }

  @Test
  void aStormOfKillsDuringCreationAndRemovalLeavesEveryNameOneObject() throws Exception {
    int rounds = 6;
    try (Ipc ipc = Ipc.temp()) {
      String dir = ipc.dir().toString();
      SharedInt progress = ipc.sharedInt("progress", 0);
      Random random = new Random();
      long takeovers = 0;
      for (int round = 0; round < rounds; round++) {
        List<IpcProcess> storm = new ArrayList<>();
        int before = progress.get();
        for (int k = 0; k < 2; k++) {
          storm.add(children.start(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            try (Ipc c = Ipc.open(Path.of(dir))) {
              for (;;) {
                String name = "s" + r.nextInt(4_000);
                if (r.nextInt(8) == 0) {
                  try {
                    c.remove(name);
                  } catch (IllegalStateException busy) {
                    // open in this process or held: fine
                  }
                } else if (r.nextBoolean()) {
                  c.sharedLong(name, 0).close();
                } else {
                  c.lock("l" + name).close();
                }
                progress.incrementAndGet();
              }
            }
          }));
        }
        Await.until("the storm's children to create", WAIT, () -> progress.get() > before + 200);
        for (IpcProcess p : storm) {
          int now = progress.get();
          int more = random.nextInt(3_000);          // a random instant: after a random number of operations
          Await.until("more operations", WAIT, () -> progress.get() > now + more);
          Crash.kill(p);
          Children.assertKilled(p, WAIT);
        }
        Census c = NamespaceTestKit.slabOf(ipc).census();
        assertEquals(List.of(), c.problems, "round " + round + ": " + c);
        takeovers = c.takeovers;
      }
      Census c = NamespaceTestKit.slabOf(ipc).census();
      for (String name : c.names) {
        if (name.startsWith("s")) {
          ipc.sharedLong(name, 0).close();        // each opens, as the kind it is
        } else if (name.startsWith("ls")) {
          ipc.lock(name).close();
        }
      }
      System.out.println("slab kill storm: " + c + " (the slab lock taken over " + takeovers + " times)");
    }
  }
}
