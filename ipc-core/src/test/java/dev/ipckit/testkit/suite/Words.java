package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A few 64-bit words in a memory-mapped file that a test and its child JVMs share, whatever the backend under
 * test: flags and counters to coordinate with (volatile and atomic access), and plain words that nothing but the
 * lock under test keeps exact ({@link #plainGet}, {@link #plainSet}). A suite coordinates through these rather than
 * through the backend's own shared values, so that it tests its kind alone.
 *
 * <p>Serializable as its file's path: a task that captures it maps the same file in the child. {@link #close()}
 * deletes the file; the mappings stay valid until each JVM drops them.
 */
public final class Words implements Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final String file;
  private final int count;
  private transient volatile MappedByteBuffer buf;

  private Words(String file, int count) {
    this.file = file;
    this.count = count;
  }

  /** {@code count} words, all 0, in a new file under the temporary directory. */
  public static Words create(int count) {
    try {
      Path dir = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
          ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
      Path f = Files.createTempFile(dir, "ipckit-words-", ".bin");
      Files.write(f, new byte[count * Long.BYTES]);
      return new Words(f.toString(), count);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MappedByteBuffer buf() {
    MappedByteBuffer b = buf;
    if (b == null) {
      synchronized (this) {
        b = buf;
        if (b == null) {
          try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            b = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) count * Long.BYTES);
            b.order(ByteOrder.nativeOrder());     // the byte order of the volatile views: plain and volatile agree
          } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
          }
          buf = b;
        }
      }
    }
    return b;
  }

  private int at(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("word " + i + " of " + count);
    }
    return i * Long.BYTES;
  }

  /** Word {@code i}, read with volatile semantics. */
  public long get(int i) {
    return (long) LONGS.getVolatile(buf(), at(i));
  }

  /** Sets word {@code i} with volatile semantics. */
  public void set(int i, long v) {
    LONGS.setVolatile(buf(), at(i), v);
  }

  /** Adds one to word {@code i}, atomically, and returns the new value. */
  public long incrementAndGet(int i) {
    return (long) LONGS.getAndAdd(buf(), at(i), 1L) + 1;
  }

  /** Word {@code i}, read plainly: only a lock held around the access makes it meaningful. */
  public long plainGet(int i) {
    return buf().getLong(at(i));
  }

  /** Sets word {@code i} plainly: only a lock held around the access keeps it exact. */
  public void plainSet(int i, long v) {
    buf().putLong(at(i), v);
  }

  /** Waits until word {@code i} reads {@code expected}; fails saying what it read last. */
  public void await(int i, long expected, Duration timeout) {
    if (!Await.within(timeout, () -> get(i) == expected)) {
      fail("timed out after " + timeout.toMillis() + " ms waiting for word " + i + " of " + file + " == " + expected
          + " (it was " + get(i) + ")");
    }
  }

  /**
   * In a child: counts word {@code ready} up, then spins until word {@code go} is set, so that workers start
   * together (the test awaits {@code ready} and sets {@code go}), as {@link Children#readySetGo} does.
   */
  public void readySetGo(int ready, int go) {
    incrementAndGet(ready);
    long deadline = System.nanoTime() + Children.START.toNanos();
    while (get(go) == 0) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("no go signal within " + Children.START.toMillis() + " ms");
      }
      Thread.onSpinWait();
    }
  }

  /** Deletes the file (the mappings stay valid). Closing twice is harmless. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "Words[" + file + "]";
  }
}
