package dev.ipckit;

import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * A named block of shared memory of a fixed number of bytes: Python's {@code multiprocessing.shared_memory
 * .SharedMemory}. Every process that opens the same name in the same namespace sees the same bytes. Read and write
 * it at byte offsets with the typed methods, in bulk with {@link #get(int, byte[])} and {@link #put(int, byte[])},
 * or through a {@link #asByteBuffer() ByteBuffer} view. Multi-byte values are in the platform's native byte order
 * ({@link java.nio.ByteOrder#nativeOrder()}), as Python's {@code struct} uses by default.
 *
 * <p>It is created by {@link Ipc#buffer(String, int)} with every byte zero; opening an existing one with another
 * size is an {@link IllegalArgumentException}, and {@link Ipc#buffer(String)} opens an existing one whatever its
 * size. An offset out of range is an {@link IndexOutOfBoundsException} naming the buffer, the offset, the width and
 * the size.
 *
 * <p><b>Thread safety.</b> Safe to use from any thread of any process, but the bytes are raw memory, without the
 * atomic vocabulary of the shared arrays: nothing orders two writers of the same bytes; guard such data with a lock
 * ({@link Ipc#lock(String)}), or use a {@link SharedLongArray} where elements need atomic updates. An
 * {@code int}, {@code long} or {@code double} at an offset that is a multiple of its size is read and written as
 * one access that never tears; at any other offset its bytes may be seen half written.
 *
 * <p><b>Memory consistency effects.</b> Every {@code put} is a release store (of its bytes, after everything the
 * thread did before it) and every {@code get} an acquire load: actions in a thread prior to a {@code put} happen-before
 * actions subsequent to a {@code get}, in another thread of any process, that sees what the {@code put} stored.
 * The view returned by {@link #asByteBuffer()} is plain memory: its accesses have no ordering of their own, so
 * publish what is written through it with a lock or a shared value. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a>.
 *
 * <p><b>Peer death.</b> A process that dies leaves the bytes it stored, possibly part of a bulk {@code put}; nothing
 * is held by the buffer itself, so nothing needs recovery.
 */
public interface SharedBuffer extends Serializable, AutoCloseable {
  /**
   * Returns the name of this buffer in its namespace.
   *
   * @return the name given to {@link Ipc#buffer(String, int)}
   */
  String name();

  /**
   * Returns the number of bytes, fixed when the buffer was created.
   *
   * @return the size in bytes
   */
  int size();

  /**
   * Returns the byte at {@code offset}.
   *
   * @param offset the byte offset
   * @return the byte
   * @throws IndexOutOfBoundsException if {@code offset} is not in {@code [0, size())}
   */
  byte getByte(int offset);

  /**
   * Stores a byte at {@code offset}.
   *
   * @param offset the byte offset
   * @param v the byte
   * @throws IndexOutOfBoundsException if {@code offset} is not in {@code [0, size())}
   */
  void putByte(int offset, byte v);

  /**
   * Returns the {@code int} in the four bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the four bytes
   * @return the value
   * @throws IndexOutOfBoundsException if the four bytes are not all in the buffer
   */
  int getInt(int offset);

  /**
   * Stores an {@code int} in the four bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the four bytes
   * @param v the value
   * @throws IndexOutOfBoundsException if the four bytes are not all in the buffer
   */
  void putInt(int offset, int v);

  /**
   * Returns the {@code long} in the eight bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the eight bytes
   * @return the value
   * @throws IndexOutOfBoundsException if the eight bytes are not all in the buffer
   */
  long getLong(int offset);

  /**
   * Stores a {@code long} in the eight bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the eight bytes
   * @param v the value
   * @throws IndexOutOfBoundsException if the eight bytes are not all in the buffer
   */
  void putLong(int offset, long v);

  /**
   * Returns the {@code double} in the eight bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the eight bytes
   * @return the value
   * @throws IndexOutOfBoundsException if the eight bytes are not all in the buffer
   */
  double getDouble(int offset);

  /**
   * Stores a {@code double} in the eight bytes from {@code offset}, in native byte order.
   *
   * @param offset the byte offset of the first of the eight bytes
   * @param v the value
   * @throws IndexOutOfBoundsException if the eight bytes are not all in the buffer
   */
  void putDouble(int offset, double v);

  /**
   * Copies {@code into.length} bytes, from {@code offset} on, into {@code into}. Not atomic as a whole: another
   * process may change bytes while they are copied.
   *
   * @param offset the byte offset of the first byte to read
   * @param into where the bytes go
   * @throws IndexOutOfBoundsException if the bytes are not all in the buffer
   */
  void get(int offset, byte[] into);

  /**
   * Stores {@code bytes} from {@code offset} on. Not atomic as a whole: another process may see some of the bytes
   * stored and others not yet.
   *
   * @param offset the byte offset of the first byte to write
   * @param bytes the bytes
   * @throws IndexOutOfBoundsException if the bytes would not all be in the buffer
   */
  void put(int offset, byte[] bytes);

  /**
   * Returns a new {@link ByteBuffer} over exactly this buffer's bytes (nothing of the file's header): index 0 is
   * offset 0, capacity and limit are {@link #size()}, position 0, native byte order. Each call returns a fresh view,
   * so its position, limit, mark and order are the caller's alone. Writes through it are writes to the shared bytes,
   * seen by every process, but plain ones (see the class description). A view cannot be revoked: it stays usable
   * after {@link #close()} of this handle, and keeps the memory mapped while it is reachable.
   *
   * @return a direct buffer over the shared bytes
   */
  ByteBuffer asByteBuffer();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The bytes stay in the namespace
   * (remove them with {@link Ipc#remove(String)}). Closing twice is harmless.
   */
  @Override void close();
}
