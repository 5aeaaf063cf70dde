package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.DecodeException;
import dev.ipckit.IpcQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * What a backend's queue derives from its primitives ({@code offer}, {@code add}, {@code poll}, {@code peek},
 * {@code drainTo(c, max)}, {@code size}, {@code capacity}, {@code join(timeout, unit)}) and a decoded
 * {@link #snapshot()}, as {@link java.util.AbstractQueue} does inside one JVM, so that every backend's queue behaves
 * alike: {@code remove()} and {@code element()} of an empty queue throw {@link NoSuchElementException},
 * {@code addAll} of the queue itself is refused, {@code iterator()}, {@code toArray} and {@code contains} work on a
 * snapshot, and removal from the middle ({@code remove(Object)}, {@code removeAll}, {@code retainAll},
 * {@code removeIf}, {@code iterator().remove()}) is an {@link UnsupportedOperationException} naming the queue. Its
 * static methods are the parts of a queue facade that every backend writes the same way: the checks of a capacity
 * and of a message, decoding, {@code drainTo}'s loop, the messages of a full queue and of one {@code taskDone()}
 * too many, and the descriptions.
 *
 * <p><b>Thread safety.</b> As the implementation's primitives: every method here is one or more calls to them.
 *
 * @param <E> the type of the messages
 */
public interface QueueViews<E> extends IpcQueue<E> {
  /** The messages in the queue at one instant, head first, decoded, read without taking them. */
  List<E> snapshot();

  @Override
  default boolean addAll(Collection<? extends E> c) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot add a queue to itself");
    }
    boolean modified = false;
    for (E e : c) {
      modified |= add(e);
    }
    return modified;
  }

  @Override
  default E remove() {
    return present(poll());
  }

  @Override
  default E element() {
    return present(peek());
  }

  /** {@code e}, or NoSuchElementException for the head of an empty queue. */
  private E present(E e) {
    if (e == null) {
      throw new NoSuchElementException("queue \"" + name() + "\" is empty");
    }
    return e;
  }

  @Override
  default int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  /** {@code join(Long.MAX_VALUE, NANOSECONDS)}: as long as it takes. */
  @Override
  default void join() throws InterruptedException {
    join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
  }

  @Override
  default boolean isEmpty() {
    return size() == 0;
  }

  @Override
  default int remainingCapacity() {
    return capacity() - size();
  }

  @Override
  default boolean contains(Object o) {
    if (o == null) {
      return false;
    }
    for (E e : snapshot()) {
      if (o.equals(e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  default boolean containsAll(Collection<?> c) {
    List<E> snap = snapshot();
    for (Object o : c) {
      if (o == null || !snap.contains(o)) {
        return false;
      }
    }
    return true;
  }

  @Override
  default Object[] toArray() {
    return snapshot().toArray();
  }

  @Override
  default <T> T[] toArray(T[] a) {
    return snapshot().toArray(a);
  }

  /** A snapshot of the messages in the queue, head first; its {@code remove()} is unsupported. */
  @Override
  default Iterator<E> iterator() {
    Iterator<E> it = snapshot().iterator();
    return new Iterator<E>() {
      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public E next() {
        return it.next();
      }

      @Override public void remove() {
        throw unsupportedRemoval("iterator().remove()");
      }
    };
  }

  /** Over a snapshot, as {@link #iterator()}. */
  @Override
  default Spliterator<E> spliterator() {
    return snapshot().spliterator();
  }

  @Override
  default boolean remove(Object o) {
    throw unsupportedRemoval("remove(Object)");
  }

  @Override
  default boolean removeAll(Collection<?> c) {
    throw unsupportedRemoval("removeAll");
  }

  @Override
  default boolean retainAll(Collection<?> c) {
    throw unsupportedRemoval("retainAll");
  }

  @Override
  default boolean removeIf(Predicate<? super E> filter) {
    throw unsupportedRemoval("removeIf");
  }

  /** What a removal from the middle of the queue throws: naming the queue and what to use instead. */
  private UnsupportedOperationException unsupportedRemoval(String what) {
    return new UnsupportedOperationException(what + " is not supported by queue \"" + name() + "\": across"
        + " processes only the head is taken (use poll/take/drainTo)");
  }

  /**
   * {@code e} as the bytes {@code codec} makes of it, for the queue {@code queue}: what every queue's put does first.
   *
   * @throws NullPointerException     if {@code e} is null
   * @throws IllegalArgumentException if the codec throws or returns null (nothing is put), naming the queue
   */
  static <E> byte[] encode(Codec<E> codec, E e, String queue) {
    Objects.requireNonNull(e, "null elements are not accepted");
    byte[] b;
    try {
      b = codec.encode(e);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("cannot encode a " + e.getClass().getName() + " for queue \"" + queue
          + "\" with " + codec + ": " + ex, ex);
    }
    if (b == null) {
      throw new IllegalArgumentException(codec + " encoded a " + e.getClass().getName() + " as null for queue \""
          + queue + "\"");
    }
    return b;
  }

  /**
   * The message {@code codec} reads from {@code b}, which was {@code removed} from the queue {@code queue} (taken)
   * or is still in it (peeked, iterated).
   *
   * @throws DecodeException carrying {@code b} if the codec throws or returns null, saying where the message is
   */
  static <E> E decode(Codec<E> codec, byte[] b, String queue, boolean removed) {
    E e;
    try {
      e = codec.decode(b, 0, b.length);
    } catch (RuntimeException ex) {
      throw new DecodeException("cannot decode a message of " + b.length + " bytes " + (removed ? "taken from"
          : "at the head of") + " queue \"" + queue + "\" with " + codec + ": " + ex + (removed
          ? " (the message has left the queue, its bytes are in this exception; the others are intact)"
          : " (the message stays in the queue; its bytes are in this exception)"), b, ex);
    }
    if (e == null) {
      throw new DecodeException(codec + " decoded a message of " + b.length + " bytes from queue \"" + queue
          + "\" as null (its bytes are in this exception)", b, null);
    }
    return e;
  }

  /**
   * {@code capacity}, checked for the queue {@code queue}: 1 to {@code max} messages.
   *
   * @throws IllegalArgumentException naming the queue and the capacity, if it is outside that range
   */
  static int checkCapacity(int capacity, int max, String queue) {
    if (capacity < 1 || capacity > max) {
      throw new IllegalArgumentException("capacity must be " + (max == Integer.MAX_VALUE ? "at least 1" : "1 to " + max)
          + ": capacity=" + capacity + " for queue \"" + queue + "\"");
    }
    return capacity;
  }

  /**
   * What {@code add} throws when {@code offer} found the queue {@code q} full; {@code more} says what else was full
   * (empty, or starting with {@code ", "}).
   */
  static IllegalStateException full(QueueViews<?> q, String more) {
    return new IllegalStateException("queue \"" + q.name() + "\" is full: capacity=" + q.capacity() + " messages"
        + more);
  }

  /**
   * What {@code taskDone()} throws when every message put on the queue {@code queue} is done already: {@code put}
   * messages ever put, {@code done} marked done.
   */
  static IllegalStateException tooManyDone(String queue, long put, long done) {
    return new IllegalStateException("taskDone() called more times than messages were put on queue \"" + queue
        + "\": " + put + " put, " + done + " already done");
  }

  /**
   * The checks {@code drainTo(c, max)} makes before it takes anything: {@code c} is not null and not the queue
   * {@code q} itself.
   */
  static void checkDrainTarget(QueueViews<?> q, Collection<?> c) {
    Objects.requireNonNull(c, "c");
    if (c == q) {
      throw new IllegalArgumentException("cannot drain a queue to itself");
    }
  }

  /**
   * The loop of {@code drainTo(c, maxElements)}: takes batches of at most {@code batch} messages ({@code take}, an
   * empty batch when the queue is empty), decodes each ({@code decode}) and adds it to {@code c}, until
   * {@code maxElements} are added or the queue is empty. A message that does not decode is skipped and the batch
   * finished; then the first such failure is thrown (the others suppressed in it) and no further batch is taken.
   *
   * @return the messages added to {@code c}
   */
  static <E, M> int drain(Collection<? super E> c, int maxElements, int batch,
      IntFunction<? extends List<? extends M>> take, Function<? super M, ? extends E> decode) {
    int total = 0;
    RuntimeException failure = null;
    while (total < maxElements && failure == null) {
      List<? extends M> taken = take.apply(Math.min(batch, maxElements - total));
      if (taken.isEmpty()) {
        break;
      }
      for (M m : taken) {
        E e;
        try {
          e = decode.apply(m);
        } catch (RuntimeException ex) {
          if (failure == null) {
            failure = ex;
          } else {
            failure.addSuppressed(ex);
          }
          continue;
        }
        c.add(e);
        total++;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return total;
  }

  /** The messages {@code codec} reads from {@code raw}, in order, all still in the queue {@code queue}: a snapshot. */
  static <E> List<E> decodeAll(Codec<E> codec, List<byte[]> raw, String queue) {
    List<E> out = new ArrayList<>(raw.size());
    for (byte[] b : raw) {
      out.add(decode(codec, b, queue, false));
    }
    return out;
  }

  /**
   * A queue's {@code describe()}: {@code queue["name" in where, size/capacity, codec]}.
   *
   * @param where the namespace the queue lives in, as its backend names it (a directory, a location)
   */
  static String describe(QueueViews<?> q, Object where, Codec<?> codec) {
    return "queue[\"" + q.name() + "\" in " + where + ", " + q.size() + "/" + q.capacity() + ", " + codec + "]";
  }

  /**
   * The messages of {@code q}, head first, as every {@link Collection} prints them ({@code [e1, e2]}): a snapshot,
   * as {@link #iterator()}. For a queue's {@code toString()}.
   */
  static String elements(QueueViews<?> q) {
    StringBuilder b = new StringBuilder("[");
    for (Object e : q.snapshot()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(e == q ? "(this Collection)" : String.valueOf(e));
    }
    return b.append(']').toString();
  }
}
