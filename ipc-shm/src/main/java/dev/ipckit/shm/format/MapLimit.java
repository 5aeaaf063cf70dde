package dev.ipckit.shm.format;

import dev.ipckit.IpcException;
import dev.ipckit.spi.Deadline;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps this JVM's mappings of namespace files below the kernel's limit. Linux gives a process at most {@code
 * vm.max_map_count} mappings (65,530 by default), and a JVM that passes it aborts ({@code mmap failed}, an hs_err
 * file, exit 1) at its next allocation of any kind. Every mapping {@link MappedFile} makes is counted here first;
 * one past the limit is an {@link IpcException} naming the file and the limit, and the JVM lives on.
 *
 * <p>The limit is {@code ipckit.maxMappings} when set (a system property, read at each check so tests can lower
 * it), else the kernel's {@code vm.max_map_count} less a margin of a tenth (at least 4,096, at most half) for the JVM's
 * own mappings: thread stacks, the heap, code, libraries. A mapping counts until its buffer is collected (the JDK
 * unmaps a {@code MappedByteBuffer} only then); reaching the limit first asks for a GC, as the JDK does before it
 * refuses direct memory, and waits up to {@value #GC_WAIT_MILLIS} ms for released mappings.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads.
 */
public final class MapLimit {
  /** The system property that sets the limit (a count of mappings). */
  public static final String PROPERTY = "ipckit.maxMappings";
  private static final int GC_WAIT_MILLIS = 200;
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicInteger MAPPED = new AtomicInteger();
  private static final long KERNEL_MAX = kernelMax();

  private MapLimit() {
  }

  /** The mappings of namespace files this JVM holds now (those not yet collected). */
  public static int mapped() {
    return MAPPED.get();
  }

  /** The limit now: {@value #PROPERTY}, else the kernel's less the margin. */
  public static long limit() {
    String p = System.getProperty(PROPERTY);
    if (p != null) {
      try {
        return Long.parseLong(p.trim());
      } catch (NumberFormatException e) {
        throw new IpcException("system property " + PROPERTY + "=\"" + p + "\" is not a number of mappings");
      }
    }
    return Math.max(KERNEL_MAX / 2, KERNEL_MAX - Math.max(4096, KERNEL_MAX / 10));
  }

  /**
   * Counts one mapping of {@code path} before it is made: IpcException if the JVM holds as many as the limit
   * allows. Call {@link #track} with the buffer once mapped, or {@link #cancel} if mapping failed.
   */
  public static void reserve(Path path) {
    long limit = limit();
    if (MAPPED.incrementAndGet() <= limit) {
      return;
    }
    MAPPED.decrementAndGet();
    System.gc();                                 // unmapped buffers are released by their cleaners
    long deadline = Deadline.after(GC_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    while (!Deadline.passed(deadline)) {
      if (MAPPED.incrementAndGet() <= limit) {
        return;
      }
      MAPPED.decrementAndGet();
      try {
        Thread.sleep(10);                        // cleaners run on their own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IpcException("cannot map " + path + ": this JVM already holds " + MAPPED.get() + " mappings of"
        + " namespace files, the limit (" + (System.getProperty(PROPERTY) != null ? PROPERTY
        : "the kernel's vm.max_map_count " + KERNEL_MAX + " less a margin for the JVM itself") + ") is " + limit
        + ". Close namespaces and handles no longer used; values, locks and events with names of up to 48"
        + " characters share the namespace's slab and need no mapping of their own");
  }

  /** The mapping reserved for {@code buf} is released when {@code buf} is collected. */
  public static void track(ByteBuffer buf) {
    CLEANER.register(buf, MAPPED::decrementAndGet);
  }

  /** Gives back a reservation whose mapping was not made. */
  public static void cancel() {
    MAPPED.decrementAndGet();
  }

  private static long kernelMax() {
    try {
      try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/vm/max_map_count"))) {
        return Long.parseLong(r.readLine().trim());   // a /proc file says it is empty: read it as a stream
      }
    } catch (IOException | RuntimeException e) {
      return 65_530;                             // Linux's default
    }
  }
}
