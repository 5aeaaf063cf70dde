package dev.ipckit.shm.value;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueSuite;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/** The value and array suite on shared memory. */
class ShmValueTest extends ValueSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }

  /** A write through the array's file at the element's offset (the mapping shares its pages). */
  @Override
  protected void writeForeignByte(Ipc ipc, String array, int index, byte b) throws Exception {
    try (FileChannel ch = FileChannel.open(ipc.dir().resolve(array), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {b}), ValueDescriptor.ELEMENTS_OFFSET + index);
    }
  }
}
