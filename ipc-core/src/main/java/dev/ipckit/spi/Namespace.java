package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedBuffer;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import java.net.URI;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.function.IntToLongFunction;

/**
 * One namespace as a backend sees it. {@link dev.ipckit.Ipc} validates names before calling; a backend may
 * receive internal names too (containing {@code '@'}).
 */
public interface Namespace extends AutoCloseable {
  /**
   * The directory of a {@code file:} namespace. A namespace elsewhere (another scheme) implements {@link
   * #location()} and throws {@link UnsupportedOperationException} here.
   */
  Path dir();

  /**
   * Where this namespace lives; its scheme chose the backend. Never holds user info. By default the {@code
   * file:} location of {@link #dir()}.
   */
  default URI location() {
    return Locations.of(dir());
  }

  SharedInt sharedInt(String name, int initial);

  SharedLong sharedLong(String name, long initial);

  SharedDouble sharedDouble(String name, double initial);

  IpcLock lock(String name);

  IpcLock rlock(String name);

  IpcLock fileLock(String name);

  IpcSemaphore semaphore(String name, int permits);

  IpcSemaphore boundedSemaphore(String name, int permits);

  IpcEvent event(String name);

  IpcBarrier barrier(String name, int parties);

  /**
   * A barrier whose handle runs {@code action} when its thread is the last party to arrive, before the others
   * are released (as {@link java.util.concurrent.CyclicBarrier#CyclicBarrier(int, Runnable)}). The action belongs
   * to this handle only: other handles and processes run their own, or none.
   *
   * @throws UnsupportedOperationException if this backend has no barrier actions
   */
  default IpcBarrier barrier(String name, int parties, Runnable action) {
    throw new UnsupportedOperationException(getClass().getName() + " has no barrier actions (barrier \"" + name
        + "\")");
  }

  <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec);

  <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec);

  /**
   * Creates the array {@code name} of {@code length} elements of {@code type}, each cell set to the bits {@code
   * initial} gives for its index (zeros when null) before anyone can see it, or opens the existing one of that type
   * and length without writing them: what every typed array factory of {@link dev.ipckit.Ipc} comes to. A backend
   * implements its cells once ({@link CellArrayHandle}, of every width) and returns {@link CellType#view} of them.
   * By default unsupported, saying which factory.
   *
   * @param <A> the array's interface
   * @param name the array's name, checked by the caller
   * @param type the element type
   * @param length the number of elements, checked by the caller
   * @param initial the bits of each element of a new array, as {@code type}'s cell holds them; or null for zeros
   * @return the typed array
   */
  default <A> A array(String name, CellType<A> type, int length, IntToLongFunction initial) {
    throw unsupported(initial == null ? type.factory() : type.factory() + "(name, " + type.element() + "[])");
  }

  /** An int array of {@code length} zeros, or the existing one ({@link dev.ipckit.Ipc#intArray(String, int)}). */
  default SharedIntArray intArray(String name, int length) {
    return array(name, CellType.INT, length, null);
  }

  /**
   * Creates the array {@code name} with the contents {@code initial}, or opens the existing one of the same length
   * without writing them ({@link dev.ipckit.Ipc#intArray(String, int[])}).
   */
  default SharedIntArray intArray(String name, int[] initial) {
    return array(name, CellType.INT, initial.length, i -> initial[i]);
  }

  /** As {@link #intArray(String, int)}, for longs. */
  default SharedLongArray longArray(String name, int length) {
    return array(name, CellType.LONG, length, null);
  }

  /** As {@link #intArray(String, int[])}, for longs. */
  default SharedLongArray longArray(String name, long[] initial) {
    return array(name, CellType.LONG, initial.length, i -> initial[i]);
  }

  /** As {@link #intArray(String, int)}, for doubles. */
  default SharedDoubleArray doubleArray(String name, int length) {
    return array(name, CellType.DOUBLE, length, null);
  }

  /** As {@link #intArray(String, int[])}, for doubles. */
  default SharedDoubleArray doubleArray(String name, double[] initial) {
    return array(name, CellType.DOUBLE, initial.length, i -> DoubleCellArray.bits(initial[i]));
  }

  /** As {@link #intArray(String, int)}, for bytes ({@link dev.ipckit.Ipc#byteArray}). */
  default SharedByteArray byteArray(String name, int length) {
    return array(name, CellType.BYTE, length, null);
  }

  /** As {@link #intArray(String, int[])}, for bytes. */
  default SharedByteArray byteArray(String name, byte[] initial) {
    return array(name, CellType.BYTE, initial.length, i -> initial[i]);
  }

  /** As {@link #intArray(String, int)}, for floats ({@link dev.ipckit.Ipc#floatArray}). */
  default SharedFloatArray floatArray(String name, int length) {
    return array(name, CellType.FLOAT, length, null);
  }

  /** As {@link #intArray(String, int[])}, for floats. */
  default SharedFloatArray floatArray(String name, float[] initial) {
    return array(name, CellType.FLOAT, initial.length, i -> FloatCellArray.bits(initial[i]));
  }

  /** As {@link #intArray(String, int)}, for booleans, all false ({@link dev.ipckit.Ipc#booleanArray}). */
  default SharedBooleanArray booleanArray(String name, int length) {
    return array(name, CellType.BOOLEAN, length, null);
  }

  /** As {@link #intArray(String, int[])}, for booleans. */
  default SharedBooleanArray booleanArray(String name, boolean[] initial) {
    return array(name, CellType.BOOLEAN, initial.length, i -> BooleanCellArray.bit(initial[i]));
  }

  /**
   * A block of {@code size} zero bytes, or the existing one of that size ({@link dev.ipckit.Ipc#buffer(String,
   * int)}). By default unsupported.
   */
  default SharedBuffer buffer(String name, int size) {
    throw unsupported("buffer");
  }

  /**
   * The existing block {@code name}, whatever its size ({@link dev.ipckit.Ipc#buffer(String)}). By default
   * unsupported.
   */
  default SharedBuffer buffer(String name) {
    throw unsupported("buffer(name)");
  }

  /** The names of the objects in this namespace, sorted ({@link dev.ipckit.Ipc#names()}). By default unsupported. */
  default SortedSet<String> names() {
    throw unsupported("names()");
  }

  /**
   * Removes the object {@code name} unless it is in use ({@link dev.ipckit.Ipc#remove(String)}): true if it
   * existed. By default unsupported.
   */
  default boolean remove(String name) {
    throw unsupported("remove(name)");
  }

  /** What a default method of a kind this namespace's backend does not implement throws: naming both. */
  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException("the ipckit backend of " + Locations.display(location()) + " ("
        + getClass().getName() + ") does not implement " + what);
  }

  /** Reopens the object a deserialized handle refers to. */
  Object reopen(HandleRef ref);

  @Override
  void close();

  /**
   * False when no handle this namespace returned can still be used (none is reachable any more): closing it
   * then affects nobody. By default true.
   */
  default boolean inUse() {
    return true;
  }

  /**
   * True when this namespace's directory no longer exists as opened: removed, or removed and made again at the
   * same path (a different namespace now). By default: the path of a {@code file:} namespace is no longer a
   * directory; a namespace elsewhere is never gone.
   */
  default boolean gone() {
    return Locations.isFile(location()) && !java.nio.file.Files.isDirectory(dir());
  }
}
