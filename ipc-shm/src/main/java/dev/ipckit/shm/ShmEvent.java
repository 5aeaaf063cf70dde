package dev.ipckit.shm;

import dev.ipckit.IpcEvent;

final class ShmEvent {
  private ShmEvent() {
  }

  static IpcEvent open(ShmNamespace ns, String name) {
    throw new UnsupportedOperationException("events are not implemented yet");
  }
}
