package dev.ipckit.shm.queue;

import dev.ipckit.IpcQueue;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a queue derives from its primitives ({@code offer}, {@code add}, {@code poll}, {@code peek},
 * {@code drainTo(c, max)}, {@code size}, {@code capacity} and a decoded snapshot), as
 * {@link java.util.AbstractQueue} does; removal from the middle is refused with a message that names the queue.
 *
 * <p><b>Thread safety.</b> As the subclass's primitives: every method here is one or more calls to them.
 */
abstract class AbstractShmQueue<E> extends ShmHandle implements IpcQueue<E> {
  private static final long serialVersionUID = 1L;

  AbstractShmQueue(NamespaceView ns, String name) {
    super(ns, name, Kind.QUEUE);
  }

  /** The messages in the queue, head first, decoded, read without taking them. */
  abstract List<E> decodedSnapshot();

  @Override
  public boolean addAll(Collection<? extends E> c) {
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
  public E remove() {
    return present(poll());
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public E element() {
    return present(peek());
  }

  /** {@code e}, or NoSuchElementException for the head of an empty queue. */
  private E present(E e) {
    if (e == null) {
      throw new NoSuchElementException("queue \"" + name + "\" is empty");
    }
    return e;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public int remainingCapacity() {
    return capacity() - size();
  }

  // ------------------------------------------------------------------ snapshot views, no removal from the middle

  @Override
  public boolean contains(Object o) {
    if (o == null) {
      return false;
    }
    for (E e : decodedSnapshot()) {
      if (o.equals(e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    List<E> snap = decodedSnapshot();
    for (Object o : c) {
      if (o == null || !snap.contains(o)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Object[] toArray() {
    return decodedSnapshot().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return decodedSnapshot().toArray(a);
  }

  /** A snapshot of the messages in the queue, head first; its {@code remove()} is unsupported. */
  @Override
  public Iterator<E> iterator() {
    Iterator<E> it = decodedSnapshot().iterator();
    return new Iterator<E>() {
      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public E next() {
        return it.next();
      }

      @Override public void remove() {
        throw unsupported("iterator().remove()");
      }
    };
  }

  @Override
  public boolean remove(Object o) {
    throw unsupported("remove(Object)");
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw unsupported("removeAll");
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw unsupported("retainAll");
  }

  @Override
  public boolean removeIf(Predicate<? super E> filter) {
    throw unsupported("removeIf");
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(what + " is not supported by queue \"" + name + "\": across processes"
        + " only the head is taken (use poll/take/drainTo)");
  }
}
