package dev.ipckit.spi;

import dev.ipckit.IpcLock;

/**
 * A {@link CellArray} that is a {@link ClosableHandle}: what a backend implements once for its arrays of every
 * element type, and {@link CellType#view} turns into the typed array. Its {@link #openLength()} is {@link #length()}
 * after {@link #checkOpen()}, as the arrays of both backends are.
 */
public interface CellArrayHandle extends CellArray, ClosableHandle, AutoCloseable {
  @Override
  default int openLength() {
    checkOpen();
    return length();
  }

  /**
   * Returns the reentrant lock that belongs to the array ({@link dev.ipckit.SharedIntArray#getLock()}).
   *
   * @return the array's lock, the same in every process that opens the array
   */
  IpcLock getLock();

  /** Closes the handle: using it afterwards is an {@link IllegalStateException}; closing twice is harmless. */
  @Override
  void close();
}
