package dev.ipckit;

import java.io.Serializable;

/**
 * Two connected ends, as Python's {@code multiprocessing.Pipe(duplex)}. With {@code duplex == false},
 * {@link #left()} only receives and {@link #right()} only sends.
 */
public interface Pipe<E> extends Serializable, AutoCloseable {
  Connection<E> left();
  Connection<E> right();
  boolean duplex();
  String name();
  @Override void close();
}
