package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/** A counting semaphore shared across processes, with {@link java.util.concurrent.Semaphore}'s verbs. */
public interface IpcSemaphore extends Serializable, AutoCloseable {
  void acquire() throws InterruptedException;
  boolean tryAcquire();
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;
  void release();
  int availablePermits();
  String name();
  @Override void close();
}
