package dev.ipckit.shm.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.SharedBuffer;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared memory blocks in one JVM: typed access at offsets, bounds, the ByteBuffer view, opening by name. */
@Tag("unit")
class SharedBufferTest {
  @TempDir
  Path dir;

  @Test
  void typedAccessAtOffsetsIsSeenThroughASecondOpen() {
    try (Ipc a = Ipc.open(dir); Ipc b = Ipc.open(dir)) {
      SharedBuffer buf = a.buffer("shm", 40);
      assertEquals("shm", buf.name());
      assertEquals(40, buf.size());
      assertEquals(0L, buf.getLong(32), "zero-filled");
      buf.putByte(0, (byte) -7);
      buf.putInt(4, 0x01020304);
      buf.putLong(8, Long.MIN_VALUE + 1);
      buf.putDouble(16, Math.E);
      buf.putInt(25, -42);                            // unaligned: allowed, a plain access
      buf.putLong(29, 0x1122334455667788L);
      buf.put(37, new byte[] {1, 2, 3});
      SharedBuffer other = b.buffer("shm", 40);
      assertEquals(-7, other.getByte(0));
      assertEquals(0x01020304, other.getInt(4));
      assertEquals(Long.MIN_VALUE + 1, other.getLong(8));
      assertEquals(Math.E, other.getDouble(16));
      assertEquals(-42, other.getInt(25));
      assertEquals(0x1122334455667788L, other.getLong(29));
      byte[] tail = new byte[3];
      other.get(37, tail);
      assertArrayEquals(new byte[] {1, 2, 3}, tail);
      assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 4 : 1, other.getByte(4),
          "multi-byte values in native order");
      assertEquals("SharedBuffer[\"shm\", 40 bytes]", other.toString());
    }
  }

  @Test
  void offsetsOutOfRangeNameTheBufferOffsetWidthAndSize() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBuffer buf = ipc.buffer("blk", 16);
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> buf.getLong(9));
      assertEquals("SharedBuffer \"blk\": offset 9 and 8 bytes out of bounds for size 16", e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> buf.putByte(16, (byte) 1));
      assertEquals("SharedBuffer \"blk\": offset 16 and 1 byte out of bounds for size 16", e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> buf.putInt(-1, 1));
      assertEquals("SharedBuffer \"blk\": offset -1 and 4 bytes out of bounds for size 16", e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> buf.put(10, new byte[7]));
      assertEquals("SharedBuffer \"blk\": offset 10 and 7 bytes out of bounds for size 16", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> buf.get(Integer.MAX_VALUE, new byte[2]));
      assertThrows(IndexOutOfBoundsException.class, () -> buf.getDouble(Integer.MIN_VALUE));
      buf.get(16, new byte[0]);                        // an empty range at the end is in bounds
      buf.putLong(8, 5);
      assertEquals(5, buf.getLong(8));
    }
  }

  @Test
  void theViewIsAFreshDuplicateOverExactlyTheUserBytes() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBuffer buf = ipc.buffer("v", 100);
      ByteBuffer one = buf.asByteBuffer();
      assertTrue(one.isDirect());
      assertEquals(0, one.position());
      assertEquals(100, one.capacity(), "the user bytes, not the header nor the padding");
      assertEquals(100, one.limit());
      assertEquals(ByteOrder.nativeOrder(), one.order());
      one.put((byte) 9).putInt(0x0A0B0C0D);          // relative puts move this view's position only
      one.order(ByteOrder.BIG_ENDIAN).limit(10).mark();
      ByteBuffer two = buf.asByteBuffer();
      assertEquals(0, two.position(), "position changes do not leak into the next view");
      assertEquals(100, two.limit());
      assertEquals(ByteOrder.nativeOrder(), two.order());
      assertEquals(9, two.get(0), "the same bytes");
      assertEquals(9, buf.getByte(0));
      assertEquals(0x0A0B0C0D, buf.getInt(1));
      two.put(99, (byte) 77);
      assertEquals(77, buf.getByte(99), "index 99 of the view is offset 99");
      assertThrows(IndexOutOfBoundsException.class, () -> two.get(100));
      buf.close();
      assertThrows(IllegalStateException.class, buf::asByteBuffer);
      assertEquals(77, two.get(99), "a view cannot be revoked");
    }
  }

  @Test
  void openingByNameTakesTheSizeOfTheExistingBlock() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.buffer("b", 24).putLong(16, 99);
      try (Ipc other = Ipc.open(dir)) {
        SharedBuffer b = other.buffer("b");
        assertEquals(24, b.size());
        assertEquals(99, b.getLong(16));
      }
      SharedBuffer here = ipc.buffer("b");
      assertEquals(24, here.size(), "from the mapping this JVM has");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.buffer("b", 32));
      assertTrue(e.getMessage().contains("\"b\"") && e.getMessage().contains("a size of 24 bytes, not 32"),
          e.getMessage());
      IpcException missing = assertThrows(IpcException.class, () -> ipc.buffer("nope"));
      assertTrue(missing.getMessage().contains("no SharedBuffer \"nope\" in " + ipc.dir()), missing.getMessage());
      assertTrue(!Files.exists(ipc.dir().resolve("nope")), "opening by name never creates");
      ipc.sharedLong("v", 1);
      e = assertThrows(IllegalArgumentException.class, () -> ipc.buffer("v"));
      assertTrue(e.getMessage().contains("is a SharedLong, not a SharedBuffer"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.buffer("v", 8));
      assertTrue(e.getMessage().contains("is a SharedLong, not a SharedBuffer"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.buffer("z", 0));
      assertEquals("size must be positive: size=0", e.getMessage());
      Fields f = BufferDescriptor.decode(copy(ipc.dir().resolve("b")));
      assertEquals((long) Kind.BUFFER.code(), f.get("kind"));
      assertEquals(24L, f.get("arg0"), "the size in the header");
      assertEquals(128L + 64, f.get("fileLength"), "the bytes rounded up to a cache line");
    }
  }

  @Test
  void aClosedHandleSaysSo() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBuffer buf = ipc.buffer("c", 8);
      buf.close();
      buf.close();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> buf.getByte(0));
      assertTrue(e.getMessage().contains("SharedBuffer \"c\"") && e.getMessage().contains("closed"), e.getMessage());
      assertEquals(8, ipc.buffer("c").size(), "the block stays in the namespace");
    }
  }

  private static ByteBuffer copy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    b.put(bytes).clear();
    return b;
  }
}
