package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded multi-producer multi-consumer queue shared by threads of any number of processes: Python's
 * {@code multiprocessing.JoinableQueue(maxsize)} with the {@link BlockingQueue} vocabulary. Each message is taken
 * exactly once.
 */
public interface IpcQueue<E> extends BlockingQueue<E>, Serializable, AutoCloseable {
  /** The most messages the queue holds (Python's {@code maxsize}). */
  int capacity();
  /** Marks one message taken earlier as processed (Python's {@code task_done()}). */
  void taskDone();
  /** Blocks until every message ever put has been marked {@link #taskDone() done}. */
  void join() throws InterruptedException;
  String name();
  @Override void close();
}
