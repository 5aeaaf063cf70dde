package dev.ipckit.shm;

import dev.ipckit.Codec;
import dev.ipckit.Pipe;
import dev.ipckit.spi.HandleRef;

final class ShmPipe {
  private ShmPipe() {
  }

  static <E> Pipe<E> open(ShmNamespace ns, String name, boolean duplex, Codec<E> codec) {
    throw new UnsupportedOperationException("pipes are not implemented yet");
  }

  static Object reopen(ShmNamespace ns, HandleRef ref) {
    throw new UnsupportedOperationException("pipes are not implemented yet");
  }
}
