package dev.ipckit.spi;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A queue whose waiting puts and takes are one wait each with a timeout in nanoseconds, {@link #offerNanos} and
 * {@link #pollNanos}, as the queues of both backends are: {@code put} and the timed {@code offer} are the first,
 * {@code take} and the timed {@code poll} the second, and {@code add} is an {@code offer} that throws
 * {@link #fullException()} when the queue is full.
 *
 * @param <E> the type of the messages
 */
public interface TimedQueue<E> extends QueueViews<E>, ClosableHandle {
  /**
   * The one waiting put: puts {@code e}, waiting at most {@code nanos} for room. Starts with {@link #checkPut}.
   *
   * @param e the message
   * @param nanos the timeout in nanoseconds, saturated as {@link Deadline#nanos} gives it: {@link Deadline#FOREVER}
   *     waits without deadline
   * @return true if the message was put, false if the time passed first (nothing is put)
   * @throws InterruptedException if interrupted, on entry or while waiting
   */
  boolean offerNanos(E e, long nanos) throws InterruptedException;

  /**
   * The one waiting take: takes the head, waiting at most {@code nanos} for a message.
   *
   * @param nanos the timeout in nanoseconds, as for {@link #offerNanos}
   * @return the message, or null if the time passed first
   * @throws InterruptedException if interrupted, on entry or while waiting
   */
  E pollNanos(long nanos) throws InterruptedException;

  @Override
  default void put(E e) throws InterruptedException {
    offerNanos(e, Deadline.FOREVER);
  }

  @Override
  default boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    return offerNanos(e, Deadline.nanos(timeout, unit));
  }

  @Override
  default E take() throws InterruptedException {
    return pollNanos(Deadline.FOREVER);
  }

  @Override
  default E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return pollNanos(Deadline.nanos(timeout, unit));
  }

  @Override
  default boolean add(E e) {
    if (offer(e)) {
      return true;
    }
    throw fullException();
  }

  /**
   * What {@link #add} throws when {@code offer} found the queue full: by default {@link QueueViews#full} with
   * nothing more; a backend with more than the capacity to run out of says so.
   *
   * @return the exception, naming the queue and its capacity
   */
  default IllegalStateException fullException() {
    return QueueViews.full(this, "");
  }

  /**
   * The checks every waiting put makes first, in this order, before it encodes {@code e}: {@code e} is not null,
   * the thread is not interrupted (clearing the flag), and {@code q} is open.
   *
   * @param e the message
   * @param q the queue
   * @throws NullPointerException if {@code e} is null
   * @throws InterruptedException if the thread was interrupted
   * @throws IllegalStateException if {@code q} is closed
   */
  static void checkPut(Object e, ClosableHandle q) throws InterruptedException {
    Objects.requireNonNull(e, "null elements are not accepted");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    q.checkOpen();
  }
}
