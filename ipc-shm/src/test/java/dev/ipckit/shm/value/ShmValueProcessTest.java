package dev.ipckit.shm.value;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueProcessSuite;

/** The value and array suite across child JVMs, on shared memory. */
class ShmValueProcessTest extends ValueProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
