package dev.ipckit.shm.lock;

import static dev.ipckit.testkit.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.LockKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A chain of kill -9s: {@value #ROUNDS} child JVMs queue up on one lock; each one that gets it records whether it
 * took the lock over from a dead holder, and is then killed while holding it. Every acquisition after the first is
 * a takeover with {@code ownerDied()} true, no acquisition is ever shared, and the lock is never wedged.
 */
@Tag("crash")
class KillStormTest {
  private static final int ROUNDS = 30;
  private static final Duration TAKEOVER = Duration.ofSeconds(30);

  @RegisterExtension
  final Children children = new Children();

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void everyHolderKilledWhileHoldingIsTakenOverWithOwnerDied(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "storm");
      SharedInt holder = ipc.sharedInt("holder", -1);
      SharedInt holders = ipc.sharedInt("holders", 0);      // how many hold it at once: never more than one
      SharedIntArray died = ipc.intArray("died", ROUNDS);   // 1: took over from the dead, 2: a clean acquisition
      List<IpcProcess> queue = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        int me = i;
        queue.add(children.start(() -> {
          lock.lock();
          if (holders.incrementAndGet() != 1) {
            System.exit(3);                                 // two holders at once
          }
          died.set(me, lock.ownerDied() ? 1 : 2);
          holder.set(me);
          new CountDownLatch(1).await();                    // holds it until killed
        }));
      }
      long[] takeoverMicros = new long[ROUNDS - 1];
      int last = -1;
      long killedAt = 0L;
      for (int round = 0; round < ROUNDS; round++) {
        int previous = last;
        until("round " + round + ": the next child to hold the lock", TAKEOVER,
            () -> holder.get() != previous && holder.get() >= 0);
        int now = holder.get();
        if (round > 0) {
          takeoverMicros[round - 1] = (System.nanoTime() - killedAt) / 1_000;
        }
        holders.decrementAndGet();                         // the holder is about to die holding it
        killedAt = System.nanoTime();
        Crash.kill(queue.get(now));
        last = now;
      }
      assertTrue(lock.tryLock(TAKEOVER.toMillis(), TimeUnit.MILLISECONDS), "the last dead holder's lock is taken over");
      try {
        assertTrue(lock.ownerDied(), "and says so");
      } finally {
        lock.unlock();
      }
      int clean = 0;
      for (int i = 0; i < ROUNDS; i++) {
        assertTrue(died.get(i) != 0, "child " + i + " held the lock once");
        clean += died.get(i) == 2 ? 1 : 0;
      }
      assertEquals(1, clean, "only the first acquisition is clean: every other one took over from the dead");
      Arrays.sort(takeoverMicros);
      System.out.printf("%s: %d kill -9s while holding, takeover after kill() median %.1f ms, max %.1f ms%n",
          kind.label(), ROUNDS, takeoverMicros[takeoverMicros.length / 2] / 1000.0,
          takeoverMicros[takeoverMicros.length - 1] / 1000.0);
    }
  }
}
