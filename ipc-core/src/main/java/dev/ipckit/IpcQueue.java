package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded multi-producer multi-consumer queue shared by threads of any number of processes: Python's
 * {@code multiprocessing.JoinableQueue(maxsize)} with the {@link BlockingQueue} vocabulary. Each message is taken
 * exactly once; the messages of one producer thread are taken in the order it put them. Null is rejected
 * ({@link NullPointerException}); a codec failure fails only the call that met it.
 *
 * <p>A queue is created by {@link Ipc#queue(String, int, Codec)}; every process that opens the same name in the
 * same namespace shares it. Messages travel as the bytes of the queue's {@link Codec} and may be of any size;
 * {@link #capacity()} counts messages, whatever their size. The methods behave as {@link BlockingQueue} says:
 *
 * <ul>
 *   <li>{@code add} throws {@link IllegalStateException} when the queue is full, {@code remove()} and
 *   {@code element()} throw {@link java.util.NoSuchElementException} when it is empty; {@code offer},
 *   {@code poll} and {@code peek} return {@code false} or {@code null} instead; {@code put} and {@code take} block;
 *   the timed {@code offer} and {@code poll} give up after their timeout (a timeout of zero or less does not wait).
 *   The blocking forms and {@link #join()} throw {@link InterruptedException} when the calling thread is
 *   interrupted, on entry or while waiting.
 *   <li>A message the codec cannot encode (the codec throws, or returns {@code null}) is an
 *   {@link IllegalArgumentException}, and nothing is put.
 *   <li>A message the codec cannot decode is a {@link DecodeException} carrying its bytes. A removing call
 *   ({@code take}, {@code poll}, {@code remove}, {@code drainTo}) has already taken it out of the queue, where it
 *   would block every message behind it: nothing is lost, the bytes are in the exception, and the other messages
 *   are intact. {@code peek}, {@code element}, iteration and {@code contains} leave it in the queue.
 *   <li>{@code drainTo} takes messages in batches under the consumers' internal lock; when some of them cannot be
 *   decoded, the others are still added to the collection, and the first {@link DecodeException} is thrown at the
 *   end (any further ones suppressed in it). Draining a queue into itself is an
 *   {@link IllegalArgumentException}.
 *   <li>{@code size()} is exact when no put or take is in progress, a snapshot otherwise;
 *   {@code remainingCapacity()} is {@code capacity() - size()}. {@code clear()} removes every message in the
 *   queue.
 *   <li>{@link #iterator()}, {@link #toArray()} and {@link #contains} work on a copy of the messages in the queue
 *   at one instant, decoding every one of them: costly for a large queue. {@code contains(null)} is
 *   {@code false}.
 *   <li>Methods that would remove from the middle of a queue shared by other processes throw
 *   {@link UnsupportedOperationException}: {@link #remove(Object)}, {@link #removeAll}, {@link #retainAll},
 *   {@link #removeIf} and {@code iterator().remove()}.
 *   <li>A message whose stored form is damaged or missing (the queue's files changed by something other than
 *   ipckit) is an {@link IpcException} naming it; a removing call skips that message.
 *   <li>Using a closed handle is an {@link IllegalStateException}.
 * </ul>
 *
 * <p>{@link #taskDone()} and {@link #join()} are Python's {@code task_done()} and {@code join()}: {@code join}
 * waits until {@code taskDone} has been called once for every message ever put on the queue, by any process.
 *
 * <p><b>Thread safety.</b> Safe for any number of producer and consumer threads in any number of processes (see
 * the <a href="package-summary.html#Handles">package summary</a>).
 *
 * <p><b>Memory consistency effects.</b> As with other concurrent collections, actions in a thread prior to placing
 * a message into an {@code IpcQueue} happen-before actions subsequent to the access or removal of that message from
 * the {@code IpcQueue} in another thread, in this process or in any other process that opens the same namespace.
 * Actions prior to {@link #taskDone()} happen-before actions subsequent to the return of a {@link #join()} that
 * counted it. See the <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> A producer or consumer killed at any instant, even by {@code SIGKILL} in the middle of a
 * {@code put} or {@code take} (see <a href="package-summary.html#PeerDeath">peer death</a>), never corrupts the
 * queue and never blocks the other processes for more than a few milliseconds: the queue's internal lock words
 * left by the dead process are taken over once the kernel reports it gone.
 * <ul>
 *   <li>A message is either entirely in the queue or not at all, whatever its size: a producer killed while
 *   putting one leaves nothing, and a consumer killed before it had taken one out leaves it to the next consumer.
 *   <li>A message whose removal had completed in the killed process is gone with it, as with any queue.
 *   <li>Messages not yet taken are never lost: they stay in the namespace after every process has exited and are
 *   there when it is opened again.
 *   <li>{@link #join()} counts calls, not messages, and counts as done the tasks of consumers that died between
 *   taking a message and calling {@link #taskDone()} for it (Python's {@code join()} waits for them forever);
 *   {@link #abandonedTasks()} says how many there were. One instant is not covered: a process killed between the
 *   two compareAndSets of one {@code taskDone()} leaves that one task counted neither as done nor as abandoned, and
 *   {@code join()} waits for it (the timed {@link #join(long, java.util.concurrent.TimeUnit)} survives it; a process
 *   that knows of the loss may call {@code taskDone()} in its place).
 * </ul>
 *
 * @param <E> the type of the messages
 */
public interface IpcQueue<E> extends BlockingQueue<E>, Serializable, AutoCloseable {
  /**
   * Returns the most messages the queue holds (Python's {@code maxsize}), whatever their size. It is fixed when
   * the queue is created and stored with it: opening the same name with another capacity is an
   * {@link IllegalArgumentException} naming both.
   *
   * @return the capacity, at least 1
   */
  int capacity();

  /**
   * Marks one message taken earlier as processed (Python's {@code task_done()}). The queue keeps a count, not a
   * record of which messages are done: the call need not come from the thread, nor the process, that took the
   * message, and a message removed by {@code clear()} counts as not done until this is called for it.
   *
   * @throws IllegalStateException if called more times than messages were ever put on the queue, or if this
   *     handle is closed
   */
  void taskDone();

  /**
   * Blocks until every message ever put on the queue, by any process, has been marked {@link #taskDone() done} or
   * was taken by a process that died before marking it done (Python's {@code JoinableQueue.join()}, which waits
   * for those forever); returns at once if that is so already. Messages put while this waits count too. The tasks
   * of a dead consumer are counted once its death is seen (within milliseconds, at the wait's liveness-probe
   * interval); how many there were is {@link #abandonedTasks()}. It still waits for a task whose
   * {@code taskDone()} was killed half way (see <b>Peer death</b> above), and for tasks it cannot count: those of a
   * process whose count reached 2<sup>20</sup> - 1 outstanding tasks (a process that takes without ever calling
   * {@code taskDone()}) saturate, and from then on its registry slot's abandoned tasks are never counted.
   *
   * <p>The count assumes that a task is marked done by the process that took it, or by a live one: a
   * {@code taskDone()} called in another process for a message that a process which then died took counts that
   * task twice, as done and as abandoned, so {@code join()} may return while another task is still unfinished.
   *
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting
   * @throws IllegalStateException if this handle is closed
   */
  void join() throws InterruptedException;

  /**
   * {@link #join()}, waiting at most {@code timeout} (Python's {@code JoinableQueue.join()} has none; the timed form
   * is what lets a caller survive a consumer that died before its {@code taskDone()}). Timeouts saturate: at most 0
   * looks once, {@code Long.MAX_VALUE} of any unit waits as long as it takes.
   *
   * @param timeout how long to wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return true if every message put has been marked done, false if the time ran out first
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if this handle is closed
   */
  boolean join(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException;

  /**
   * Returns how many tasks were abandoned: messages taken by processes that died before calling
   * {@link #taskDone()} for them, which {@link #join()} counts as done. A process's tasks are counted once it is
   * dead (the kernel says so at once; nothing waits for a timeout). The result is at most the tasks not done
   * ({@code messages ever put - taskDone() calls}), so a {@code taskDone()} called for an abandoned task by a
   * process that knows of the loss may lower it. Saturated counts (see {@link #join()}) are not included. A queue
   * that does not track who took what returns 0.
   *
   * @return the number of abandoned tasks, 0 or more
   * @throws IllegalStateException if this handle is closed
   */
  default long abandonedTasks() {
    return 0L;
  }

  /**
   * Returns the name of this queue in its namespace.
   *
   * @return the name given to {@link Ipc#queue(String, int, Codec)}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The queue and its messages stay in
   * the namespace for every other handle and process. Closing twice is harmless.
   */
  @Override void close();

  /**
   * What this queue is and where it lives, for logs and debugging: its name, namespace, depth, capacity and
   * codec (e.g. {@code queue["jobs" in /dev/shm/…, 3/1000, Codec.string()]}). {@code toString()} prints the
   * messages, as every {@link java.util.Collection} does.
   *
   * @return a one-line description of the queue
   */
  default String describe() {
    return getClass().getSimpleName() + "[size " + size() + ", capacity " + capacity() + "]";
  }
}
