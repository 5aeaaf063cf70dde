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

  SharedIntArray intArray(String name, int length);

  SharedLongArray longArray(String name, int length);

  SharedDoubleArray doubleArray(String name, int length);

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
   * Creates the array {@code name} with the contents {@code initial}, or opens the existing one of the same length
   * without writing them ({@link dev.ipckit.Ipc#intArray(String, int[])}). By default unsupported.
   */
  default SharedIntArray intArray(String name, int[] initial) {
    throw unsupported("intArray(name, int[])");
  }

  /** As {@link #intArray(String, int[])}, for longs. By default unsupported. */
  default SharedLongArray longArray(String name, long[] initial) {
    throw unsupported("longArray(name, long[])");
  }

  /** As {@link #intArray(String, int[])}, for doubles. By default unsupported. */
  default SharedDoubleArray doubleArray(String name, double[] initial) {
    throw unsupported("doubleArray(name, double[])");
  }

  /**
   * A byte array of {@code length} zeros, or the existing one ({@link dev.ipckit.Ipc#byteArray}). By default
   * unsupported.
   */
  default SharedByteArray byteArray(String name, int length) {
    throw unsupported("byteArray");
  }

  /** As {@link #intArray(String, int[])}, for bytes. By default unsupported. */
  default SharedByteArray byteArray(String name, byte[] initial) {
    throw unsupported("byteArray(name, byte[])");
  }

  /**
   * A float array of {@code length} zeros, or the existing one ({@link dev.ipckit.Ipc#floatArray}). By default
   * unsupported.
   */
  default SharedFloatArray floatArray(String name, int length) {
    throw unsupported("floatArray");
  }

  /** As {@link #intArray(String, int[])}, for floats. By default unsupported. */
  default SharedFloatArray floatArray(String name, float[] initial) {
    throw unsupported("floatArray(name, float[])");
  }

  /**
   * A boolean array of {@code length} falses, or the existing one ({@link dev.ipckit.Ipc#booleanArray}). By default
   * unsupported.
   */
  default SharedBooleanArray booleanArray(String name, int length) {
    throw unsupported("booleanArray");
  }

  /** As {@link #intArray(String, int[])}, for booleans. By default unsupported. */
  default SharedBooleanArray booleanArray(String name, boolean[] initial) {
    throw unsupported("booleanArray(name, boolean[])");
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
