package dev.ipckit.shm;

import dev.ipckit.Codec;
import dev.ipckit.IpcQueue;

final class ShmQueue {
  private ShmQueue() {
  }

  static <E> IpcQueue<E> open(ShmNamespace ns, String name, int capacity, Codec<E> codec) {
    throw new UnsupportedOperationException("queues are not implemented yet");
  }
}
