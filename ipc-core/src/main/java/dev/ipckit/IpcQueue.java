package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded multi-producer multi-consumer queue shared by threads of any number of processes: Python's
 * {@code multiprocessing.JoinableQueue(maxsize)} with the {@link BlockingQueue} vocabulary. Each message is taken
 * exactly once; the messages of one producer thread are taken in the order it put them. Null is rejected
 * ({@link NullPointerException}); a codec failure fails only the call that met it.
 *
 * <p>Methods that would remove from the middle of a queue shared by other processes throw
 * {@link UnsupportedOperationException}: {@link #remove(Object)}, {@link #removeAll}, {@link #retainAll},
 * {@link #removeIf} and {@code iterator().remove()}. {@link #iterator()}, {@link #toArray()} and {@link #contains}
 * read a snapshot.
 */
public interface IpcQueue<E> extends BlockingQueue<E>, Serializable, AutoCloseable {
  /** The most messages the queue holds (Python's {@code maxsize}). */
  int capacity();
  /**
   * Marks one message taken earlier as processed (Python's {@code task_done()}).
   *
   * @throws IllegalStateException if called more times than messages were put
   */
  void taskDone();
  /** Blocks until every message ever put has been marked {@link #taskDone() done}. */
  void join() throws InterruptedException;
  String name();
  @Override void close();
}
