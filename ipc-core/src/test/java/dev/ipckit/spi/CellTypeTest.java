package dev.ipckit.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Serialized;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The typed arrays over a backend's cells: a backend that writes nothing but the primitives (the in-memory cells
 * below, with every default of {@link CellArray}) gets every typed method, the names messages use, and the
 * serialized form of its cells.
 */
@Tag("unit")
class CellTypeTest {
  @Test
  void everyTypeNamesItsInterfaceFactoryAndWidth() {
    assertEquals(List.of(CellType.INT, CellType.LONG, CellType.DOUBLE, CellType.BYTE, CellType.FLOAT,
        CellType.BOOLEAN), CellType.values());
    assertEquals("SharedIntArray", CellType.INT.typeName());
    assertEquals("SharedBooleanArray", CellType.BOOLEAN.typeName());
    assertEquals("doubleArray", CellType.DOUBLE.factory());
    assertEquals("float", CellType.FLOAT.element());
    int[] widths = CellType.values().stream().mapToInt(CellType::width).toArray();
    assertArrayEquals(new int[] {4, 8, 8, 1, 4, 1}, widths);
  }

  @Test
  void eachViewIsItsTypedInterfaceOverTheSameCells() {
    Cells c = new Cells(8, 3);
    assertInstanceOf(SharedIntArray.class, CellType.INT.view(new Cells(4, 3)));
    assertInstanceOf(SharedLongArray.class, CellType.LONG.view(c));
    assertInstanceOf(SharedDoubleArray.class, CellType.DOUBLE.view(c));
    assertInstanceOf(SharedByteArray.class, CellType.BYTE.view(new Cells(1, 3)));
    assertInstanceOf(SharedFloatArray.class, CellType.FLOAT.view(new Cells(4, 3)));
    assertInstanceOf(SharedBooleanArray.class, CellType.BOOLEAN.view(new Cells(1, 3)));
    SharedLongArray longs = CellType.LONG.view(c);
    SharedDoubleArray doubles = CellType.DOUBLE.view(c);
    doubles.set(1, 2.5);
    assertEquals(Double.doubleToRawLongBits(2.5), longs.get(1), "one set of cells under both views");
    assertEquals(3, longs.length());
    assertEquals("cells", longs.name());
    assertSame(c.lock, longs.getLock());
    assertEquals("cells[3 x 8]", longs.toString());
  }

  @Test
  void theFloatingAddsDefaultToACompareAndSetLoopAtTheCellsWidth() {
    SharedDoubleArray d = CellType.DOUBLE.view(new Cells(8, 2));
    d.set(0, 0.1);
    assertEquals(0.1, d.getAndAdd(0, 0.2));
    assertEquals(0.1 + 0.2, d.get(0), "exactly Java's double +");
    assertEquals(0.1 + 0.2 + 1, d.addAndGet(0, 1));
    SharedFloatArray f = CellType.FLOAT.view(new Cells(4, 2));
    f.set(1, 0.1f);
    assertEquals(0.1f, f.getAndAdd(1, 0.2f));
    assertEquals(0.1f + 0.2f, f.get(1), "exactly Java's float +");
    assertEquals(0.1f + 0.2f + 1f, f.addAndGet(1, 1f));
    assertEquals(0f, f.get(0), "the neighbour untouched");
  }

  @Test
  void aBooleanCompareAndSetComparesTruthSoADamagedByteIsStillReplaced() {
    Cells c = new Cells(1, 2);
    SharedBooleanArray b = CellType.BOOLEAN.view(c);
    c.storeBits(0, 2);
    assertTrue(b.get(0));
    assertFalse(b.compareAndSet(0, false, true), "2 is true");
    assertTrue(b.compareAndSet(0, true, false));
    assertEquals(0, c.loadBits(0));
    assertTrue(b.compareAndSet(1, false, true));
    assertEquals(1, c.loadBits(1), "true is stored as 1");
  }

  @Test
  void aViewSerializesAsItsCellsAndClosesThem() throws Exception {
    Cells c = new Cells(4, 2);
    SharedIntArray a = CellType.INT.view(c);
    assertArrayEquals(Serialized.bytes(c.handleRef()), Serialized.bytes(a), "the cells' reference, nothing else");
    a.close();
    assertTrue(c.closed);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.get(0));
    assertEquals("cells is closed", e.getMessage());
    assertThrows(IllegalStateException.class, a::toArray);
  }

  @Test
  void aNamespaceWithoutArraysSaysWhichFactoryItLacks() {
    Namespace ns = (Namespace) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Namespace.class}, (proxy, m, args) -> {
          if (m.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, m, args);
          }
          if (m.getName().equals("dir")) {
            return Path.of("/tmp/no-arrays");
          }
          throw new AssertionError(m.getName());
        });
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> ns.longArray("a", 2));
    assertTrue(e.getMessage().endsWith("does not implement longArray"), e.getMessage());
    e = assertThrows(UnsupportedOperationException.class, () -> ns.floatArray("a", new float[] {1}));
    assertTrue(e.getMessage().endsWith("does not implement floatArray(name, float[])"), e.getMessage());
  }

  /** Cells in memory with nothing but the primitives; every other method of {@link CellArray} is its default. */
  private static final class Cells implements CellArrayHandle {
    /** A stand-in: the view only passes it on. */
    final IpcLock lock = (IpcLock) Proxy.newProxyInstance(CellTypeTest.class.getClassLoader(),
        new Class<?>[] {IpcLock.class}, (proxy, m, args) -> {
          throw new UnsupportedOperationException(m.getName());
        });
    final int width;
    final AtomicLongArray cells;
    boolean closed;

    Cells(int width, int length) {
      this.width = width;
      this.cells = new AtomicLongArray(length);
    }

    private int at(int i) {
      checkOpen();
      return Objects.checkIndex(i, cells.length());
    }

    private long narrow(long bits) {
      return CellArray.narrow(bits, width);
    }

    @Override
    public int length() {
      return cells.length();
    }

    @Override
    public String name() {
      return "cells";
    }

    @Override
    public long loadBits(int i) {
      return cells.get(at(i));
    }

    @Override
    public void storeBits(int i, long bits) {
      cells.set(at(i), narrow(bits));
    }

    @Override
    public long swapBits(int i, long bits) {
      return cells.getAndSet(at(i), narrow(bits));
    }

    @Override
    public boolean casBits(int i, long expect, long update) {
      return cells.compareAndSet(at(i), narrow(expect), narrow(update));
    }

    @Override
    public long getAndAddBits(int i, long delta) {
      return updateBits(i, x -> x + delta, false);
    }

    @Override
    public long updateBits(int i, LongUnaryOperator f, boolean newValue) {
      int at = at(i);
      for (;;) {
        long prev = cells.get(at);
        long next = narrow(f.applyAsLong(prev));
        if (cells.compareAndSet(at, prev, next)) {
          return newValue ? next : prev;
        }
      }
    }

    @Override
    public void checkOpen() {
      if (closed) {
        throw new IllegalStateException("cells is closed");
      }
    }

    @Override
    public HandleRef handleRef() {
      checkOpen();
      return new HandleRef("/tmp/cells", "INT_ARRAY", "cells", length(), false, null);
    }

    @Override
    public IpcLock getLock() {
      return lock;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public String toString() {
      return "cells[" + length() + " x " + width + "]";
    }
  }
}
