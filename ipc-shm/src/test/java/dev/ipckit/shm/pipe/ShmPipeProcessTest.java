package dev.ipckit.shm.pipe;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.PipeProcessSuite;

/** {@link PipeProcessSuite} on shared memory. */
class ShmPipeProcessTest extends PipeProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
