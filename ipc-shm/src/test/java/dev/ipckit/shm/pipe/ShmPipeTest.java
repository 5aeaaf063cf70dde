package dev.ipckit.shm.pipe;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.PipeSuite;

/** {@link PipeSuite} on shared memory. */
class ShmPipeTest extends PipeSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
