package dev.ipckit.shm.sync;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.BarrierConformance;

/** {@link BarrierConformance} over the shared-memory backend. */
class ShmBarrierConformanceTest extends BarrierConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
