package dev.ipckit.shm;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedBuffer;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedInt;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The byte, float and boolean arrays, arrays with initial contents and shared memory blocks travel to a child as
 * handles, which sees and changes their contents; remove() refuses what a live child holds.
 */
@Tag("process")
class SharedMemoryProcessTest {
  @RegisterExtension
  final Children children = new Children();

  @Test
  void aChildSeesAndChangesTheNewArraysAndABuffer() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedByteArray b = ipc.byteArray("b", new byte[] {1, 2, 3});
      SharedFloatArray f = ipc.floatArray("f", new float[] {0.5f, 1.5f});
      SharedBooleanArray z = ipc.booleanArray("z", new boolean[] {true, false});
      SharedDoubleArray d = ipc.doubleArray("d", new double[] {1.0, 2.0});
      SharedBuffer buf = ipc.buffer("buf", 64);
      buf.putLong(8, 1234);
      buf.put(16, new byte[] {9, 8, 7});
      IpcProcess p = children.start(() -> {
        check(b.length() == 3 && b.get(2) == 3, "the byte array as created");
        check(f.get(1) == 1.5f && z.get(0) && !z.get(1), "the float and boolean arrays as created");
        double[] dd = new double[2];
        d.get(0, dd);
        check(dd[0] == 1.0 && dd[1] == 2.0, "the double array's initial contents");
        check(buf.size() == 64 && buf.getLong(8) == 1234, "the buffer's long");
        ByteBuffer view = buf.asByteBuffer();
        check(view.get(16) == 9 && view.get(18) == 7, "the buffer's bytes through the view");
        b.incrementAndGet(0);
        b.set(1, new byte[] {20, 30});
        f.addAndGet(0, 0.25f);
        check(z.compareAndSet(1, false, true), "the child raises the flag");
        d.set(0, new double[] {-1.0, -2.0});
        buf.putDouble(24, Math.PI);
        view.put(40, (byte) 66);
      });
      assertExitsOk(p, START);
      assertArrayEquals(new byte[] {2, 20, 30}, b.toArray());
      assertArrayEquals(new float[] {0.75f, 1.5f}, f.toArray());
      assertArrayEquals(new boolean[] {true, true}, z.toArray());
      assertArrayEquals(new double[] {-1.0, -2.0}, d.toArray());
      assertEquals(Math.PI, buf.getDouble(24));
      assertEquals(66, buf.getByte(40));
    }
  }

  @Test
  void removeRefusesALockAndAPipeEndThatALiveChildHoldsAndTakesThemOnceItDied() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = ipc.lock("l");
      Pipe<String> pipe = ipc.pipe("p", true, Codec.string());
      Connection<String> end = pipe.right();
      SharedInt held = ipc.sharedInt("held", 0);
      IpcProcess p = children.start(() -> {
        lock.lock();
        end.send("claimed");                           // using the end claims it for the child
        held.set(1);
        Await.value(held, 2, RUN);                     // held until killed
      });
      Await.value(held, 1, START);
      lock.close();
      pipe.close();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.remove("l"));
      assertEquals("lock \"l\" in " + ipc.dir() + " is in use: process " + p.pid() + ", which is alive, holds it",
          e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> ipc.remove("p"));
      assertEquals("pipe \"p\" in " + ipc.dir() + " is in use: process " + p.pid() + ", which is alive, has its"
          + " right end open", e.getMessage());
      Crash.kill(p);
      assertTrue(ipc.remove("l"), "a dead holder holds nothing");
      assertTrue(ipc.remove("p"));
      assertTrue(ipc.lock("l").tryLock(), "a fresh lock");
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("in the child: " + what);
    }
  }
}
