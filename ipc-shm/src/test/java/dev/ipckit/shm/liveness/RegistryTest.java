package dev.ipckit.shm.liveness;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The process registry: liveness answered by the kernel's file locks, generations against slot reuse. */
@Tag("crash")
class RegistryTest {
  @RegisterExtension
  final Children children = new Children();

  @Test
  void tokensEncodeSlotAndGenerationAndAreNeverZero() {
    for (int slot : new int[] {0, 1, 4095}) {
      for (long gen : new long[] {1, 2, 1L << 40}) {
        long t = Registry.token(slot, gen);
        assertNotEquals(0L, t);
        assertEquals(slot, Registry.slotOf(t));
        assertEquals(gen, Registry.generationOf(t));
      }
    }
    try (Ipc ipc = Ipc.temp()) {
      Registry r = NamespaceTestKit.registryOf(ipc);
      assertNotEquals(0L, r.token());
      assertTrue(r.isAlive(r.token()), "this process is alive");
      assertFalse(r.isAlive(0L), "0 is nobody");
      assertFalse(r.isAlive(Registry.token(4000, 1)), "a slot never claimed");
      assertFalse(r.isAlive(Registry.token(r.slot(), Registry.generationOf(r.token()) - 1)),
          "an older generation of this process's own slot");
      assertFalse(r.isAlive(-1L), "garbage");
      assertEquals(ProcessHandle.current().pid(), r.pidOf(r.token()));
    }
  }

  /** Child publishes its registry token and pid, then waits to be killed. */
  private IpcProcess liveChild(SharedLong token, SharedLong pid) {
    return children.start(() -> {
      Registry r = (Registry) ((ShmHandle) token).ns.liveness();
      pid.set(ProcessHandle.current().pid());
      token.set(r.token());
      new CountDownLatch(1).await();
    });
  }

  @Test
  void aKilledProcessIsDeadAndItsReusedSlotGetsANewGeneration() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Registry r = NamespaceTestKit.registryOf(ipc);
      SharedLong token1 = ipc.sharedLong("token1", 0);
      SharedLong pid1 = ipc.sharedLong("pid1", 0);
      IpcProcess first = liveChild(token1, pid1);
      until("the first child's token", START, () -> token1.get() != 0);
      long t1 = token1.get();
      assertTrue(r.isAlive(t1), "a live child");
      assertEquals(first.pid(), r.pidOf(t1));
      assertNotEquals(r.slot(), Registry.slotOf(t1), "a slot of its own");

      Crash.kill(first);
      until("the kernel to drop the killed child's liveness lock", Duration.ofSeconds(5), () -> !r.isAlive(t1));

      SharedLong token2 = ipc.sharedLong("token2", 0);
      SharedLong pid2 = ipc.sharedLong("pid2", 0);
      IpcProcess second = liveChild(token2, pid2);
      until("the second child's token", START, () -> token2.get() != 0);
      long t2 = token2.get();
      assertEquals(Registry.slotOf(t1), Registry.slotOf(t2), "the lowest free slot is reused");
      assertNotEquals(Registry.generationOf(t1), Registry.generationOf(t2), "with a new generation");
      assertTrue(r.isAlive(t2));
      assertFalse(r.isAlive(t1), "the dead predecessor is not revived by its slot's new owner");
      assertEquals(second.pid(), r.pidOf(t2));
    }
  }

  @Test
  void closingTheLastInstanceReleasesTheSlot() throws Exception {
    try (Ipc scratch = Ipc.temp()) {
      Path dir = scratch.dir().resolve("ns");
      long t;
      try (Ipc a = Ipc.open(dir); Ipc b = Ipc.open(dir)) {
        t = NamespaceTestKit.registryOf(a).token();
        assertEquals(t, NamespaceTestKit.registryOf(b).token(), "one process identity per JVM and directory");
      }
      try (Ipc again = Ipc.open(dir)) {
        Registry r = NamespaceTestKit.registryOf(again);
        assertEquals(Registry.slotOf(t), r.slot(), "the released slot is claimed again");
        assertNotEquals(Registry.generationOf(t), Registry.generationOf(r.token()), "with a new generation");
        assertFalse(r.isAlive(t), "the closed membership is over");
        assertTrue(r.isAlive(r.token()));
      }
    }
  }
}
