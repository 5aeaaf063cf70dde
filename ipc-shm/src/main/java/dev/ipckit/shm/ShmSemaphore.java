package dev.ipckit.shm;

import dev.ipckit.IpcSemaphore;

final class ShmSemaphore {
  private ShmSemaphore() {
  }

  static IpcSemaphore open(ShmNamespace ns, String name, int permits, boolean bounded) {
    throw new UnsupportedOperationException("semaphores are not implemented yet");
  }
}
