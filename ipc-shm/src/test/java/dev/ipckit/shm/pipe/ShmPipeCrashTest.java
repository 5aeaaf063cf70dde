package dev.ipckit.shm.pipe;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.PipeCrashSuite;

/** {@link PipeCrashSuite} on shared memory. */
class ShmPipeCrashTest extends PipeCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
