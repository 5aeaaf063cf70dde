package dev.ipckit.shm.sync;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.testkit.suite.SyncSuite;

/**
 * {@link SyncSuite} over the shared-memory backend: a dead holder or party is its entry in the file's table,
 * written as a process that is gone leaves it (a slot that nobody has this generation).
 */
class ShmSyncTest extends SyncSuite {
  private static final int[] DEAD_SLOTS = {SemaphoreHoldingsTest.DEAD_SLOT, SemaphoreHoldingsTest.DEAD_SLOT - 1};
  private static final long[] DEAD_TOKENS = {SemaphoreHoldingsTest.DEAD, SemaphoreHoldingsTest.OTHER_DEAD};

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }

  @Override
  protected long heldByThisProcess(IpcSemaphore s) {
    return ((ShmSemaphore) s).heldByThisProcess();
  }

  @Override
  protected void playDeadHolder(IpcSemaphore s, int which, long permits) {
    SemaphoreHoldingsTest.deadHolder((ShmSemaphore) s, DEAD_TOKENS[which], DEAD_SLOTS[which], permits);
  }

  @Override
  protected long heldByDeadHolder(IpcSemaphore s, int which) {
    return SemaphoreHoldingsTest.entryHeld((ShmSemaphore) s, DEAD_SLOTS[which]);
  }

  @Override
  protected void playDeadParty(IpcBarrier b, boolean runningItsAction) {
    ShmBarrier shm = (ShmBarrier) b;
    long gen = BarrierPeerDeathTest.generation(shm);
    BarrierPeerDeathTest.deadParty(shm, gen);
    if (runningItsAction) {
      // its arrival made the count reach the parties: the generation is tripping, its action running
      Mem.LONG.setRelease(shm.buffer(), SyncDescriptor.STATE_OFFSET, gen << 32 | b.parties());
    }
  }
}
