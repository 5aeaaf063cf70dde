package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A cyclic barrier shared across processes, with {@link java.util.concurrent.CyclicBarrier}'s verbs. */
public interface IpcBarrier extends Serializable, AutoCloseable {
  int await() throws InterruptedException, BrokenBarrierException;
  int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;
  void reset();
  boolean isBroken();
  int parties();
  String name();
  @Override void close();
}
