package dev.ipckit.spi;

/**
 * A {@link CellArray} that is a {@link ClosableHandle}: its {@link #openLength()} is {@link #length()} after
 * {@link #checkOpen()}, as the arrays of both backends are.
 */
public interface CellArrayHandle extends CellArray, ClosableHandle {
  @Override
  default int openLength() {
    checkOpen();
    return length();
  }
}
