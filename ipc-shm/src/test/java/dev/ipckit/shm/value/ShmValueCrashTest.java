package dev.ipckit.shm.value;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueCrashSuite;

/** The value and array suite with children killed by {@code kill -9}, on shared memory. */
class ShmValueCrashTest extends ValueCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
