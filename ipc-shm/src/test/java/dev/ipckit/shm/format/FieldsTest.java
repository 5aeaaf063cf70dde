package dev.ipckit.shm.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.lock.LockDescriptor;
import dev.ipckit.shm.value.ValueDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The read-only decoders say what each word of a file holds, and never read past a truncated file's end. */
@Tag("unit")
class FieldsTest {
  /** A copy of a namespace file in a direct buffer (atomic access needs aligned native memory). */
  private static ByteBuffer copy(Ipc ipc, String name, int keep) throws IOException {
    byte[] bytes = Files.readAllBytes(ipc.dir().resolve(name));
    ByteBuffer b = ByteBuffer.allocateDirect(Math.min(keep, bytes.length)).order(ByteOrder.nativeOrder());
    b.put(bytes, 0, b.capacity()).clear();
    return b;
  }

  /** Names too long for a slab slot: objects with files of their own, whose words these tests read. */
  private static final String L = "l-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own";
  private static final String V = "v-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own";

  @Test
  void aHeldLockShowsItsOwnerAndAValueItsValue() throws IOException {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = ipc.lock(L);
      SharedLong v = ipc.sharedLong(V, 42);
      lock.lock();
      try {
        Fields f = LockDescriptor.decode(copy(ipc, L, Integer.MAX_VALUE));
        assertEquals(FileHeader.MAGIC, f.get("magic"));
        assertEquals((long) Kind.LOCK.code(), f.get("kind"));
        assertNotEquals(0L, f.get("owner"), "held: the owner word holds a token");
        assertEquals(0L, f.get("takeovers"));
      } finally {
        lock.unlock();
      }
      assertEquals(0L, LockDescriptor.decode(copy(ipc, L, Integer.MAX_VALUE)).get("owner"));
      assertEquals(42L, ValueDescriptor.decode(copy(ipc, V, Integer.MAX_VALUE), false).get("value"));
      assertEquals(v.get(), 42L);
    }
  }

  @Test
  void aTruncatedFileReportsMissingFieldsInsteadOfReadingPastItsEnd() throws IOException {
    try (Ipc ipc = Ipc.temp()) {
      ipc.lock(L);
      Fields f = LockDescriptor.decode(copy(ipc, L, FileHeader.LENGTH + 4));
      assertEquals(FileHeader.MAGIC, f.get("magic"));
      assertNull(f.get("owner"), "the owner word lies past the end");
      assertNull(f.get("signals"));
    }
  }
}
