package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/** A flag shared across processes that waiters can block on, as Python's {@code multiprocessing.Event}. */
public interface IpcEvent extends Serializable, AutoCloseable {
  void set();
  void clear();
  boolean isSet();
  void await() throws InterruptedException;
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;
  String name();
  @Override void close();
}
