package dev.ipckit.shm.wait;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.Doorbell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;

/**
 * Wakes parked waiters in every process at once, through the kernel: a waiter cannot block on shared memory (Java
 * has no futex), so one that has waited long parks for up to 20 ms at a time and would notice a change only when
 * it wakes. Instead, before such a park it announces itself in its object's sleep word ({@link #announce}); a
 * process that changes the object and finds an announcement ({@link #claimRing}) writes a byte to the
 * namespace's {@code .bell} file; every JVM that listens to the namespace gets an inotify event for it (through
 * {@link WatchService}) and rings its {@link Doorbell}, which unparks its parked waiters: they look again at once.
 *
 * <p>A sleep word holds the {@link System#nanoTime()} until which some waiter may be parked (the monotonic clock
 * every process on the machine shares), or 0. Waiters write it before every long park; the first waker that finds
 * it in the future clears it and rings, which wakes every waiter of the namespace; they write it again before they
 * park again. A killed waiter leaves at most one ring behind. A waiter announces just before it parks, after its
 * last look at the object; the waker changes the object, then reads the word. A change that falls between the
 * waiter's last look and its announcement, or a waker whose change and read of the word are reordered (a release
 * store, then a load), goes unrung: the waiter then sees the change when its park ends, as it would without a
 * bell.
 *
 * <p>Without inotify (another OS, the instance limit reached) nothing changes: waiters wake on their own, as
 * before. {@code -Dipckit.bell=false} turns the bell off.
 */
public final class Bell implements AutoCloseable {
  /** How long an announcement outlasts the park it announces. */
  static final long HORIZON_NANOS = 200_000_000L;
  /** A waiter announces itself before parks at least this long; shorter ones end soon enough by themselves. */
  static final long MIN_PARK_NANOS = 500_000L;
  public static final String FILE_NAME = ".bell";
  private static final byte[] BELL_BYTE = {1};

  /** The directories this JVM listens to and their watch keys; guarded by Bell.class. */
  private static final Map<Path, WatchKey> LISTENED = new HashMap<>();
  private static final java.util.concurrent.atomic.AtomicLong RINGS = new java.util.concurrent.atomic.AtomicLong();
  private static WatchService service;
  private static boolean unavailable;

  private final Path dir;
  /** The namespace's bell file, opened on the first ring; guarded by this. */
  private FileChannel channel;

  /** The bell of the namespace in {@code dir}: rung by whoever changes an object a waiter is parked on. */
  public Bell(Path dir) {
    this.dir = dir;
  }

  /** A sleep word of this namespace: the word at {@code at} of an object's mapped file {@code buf}. */
  public SleepWord sleepWord(ByteBuffer buf, int at) {
    return new SleepWord(this, buf, at);
  }

  /** Makes this JVM listen to this bell; false if it cannot (then waiters only wake on their own). */
  boolean listen() {
    return listen(dir);
  }

  /** Writes a byte to the bell file: every JVM listening to this namespace gets an inotify event. */
  synchronized void ring() {
    try {
      if (channel == null) {
        // never through a symbolic link, only our own 0600 file: a planted link would have us write its target
        channel = SafeFiles.openOwnFile(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      }
      channel.write(ByteBuffer.wrap(BELL_BYTE), 0);
      RINGS.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      // no bell (or a .bell that is not our own file, refused): waiters wake on their own, as without one
    }
  }

  /**
   * Closes the bell file (a later ring opens it again) and stops listening to it: the last bell closed in this
   * JVM closes the watch service, whose thread then ends (an application's exit does not wait on it).
   */
  @Override
  public synchronized void close() {
    unlisten(dir);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
      channel = null;
    }
  }

  /** Makes this JVM listen to {@code dir}'s bell; false if it cannot (then waiters only wake on their own). */
  private static synchronized boolean listen(Path dir) {
    if (!Tuning.BELL.get() || unavailable) {
      return false;
    }
    if (LISTENED.containsKey(dir)) {
      return true;
    }
    if (service == null) {
      try {
        service = FileSystems.getDefault().newWatchService();
      } catch (IOException | UnsupportedOperationException e) {
        unavailable = true;                    // no inotify instance left: waiters wake on their own
        return false;
      }
      WatchService ws = service;
      Thread t = new Thread(() -> dispatch(ws), "ipckit-bell");
      t.setDaemon(true);
      t.start();
      Doorbell.install();
    }
    WatchKey key;
    try {
      key = dir.register(service, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | UnsupportedOperationException e) {
      return false;                            // this directory only (gone, or no watch left): wake on their own
    }
    LISTENED.put(dir, key);
    return true;
  }

  /** Stops listening to {@code dir}; closes the watch service when no directory is listened to any more. */
  private static synchronized void unlisten(Path dir) {
    WatchKey key = LISTENED.remove(dir);
    if (key != null) {
      key.cancel();
    }
    if (LISTENED.isEmpty() && service != null) {
      try {
        service.close();                       // the dispatcher sees ClosedWatchServiceException and ends
      } catch (IOException ignored) {
        // nothing more to do
      }
      service = null;
    }
  }

  /** Rings this JVM's doorbell for every event on a listened directory. */
  private static void dispatch(WatchService ws) {
    try {
      for (;;) {
        WatchKey key = ws.take();
        key.pollEvents();
        if (!key.reset()) {
          synchronized (Bell.class) {
            LISTENED.remove((Path) key.watchable(), key);   // the directory is gone, or no longer listened to
          }
        }
        Doorbell.ring();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // the JVM is going away
    }
  }

  /**
   * A waiter about to park for {@code parkNanos}: announces it in the sleep word at {@code at} (a fresh value every
   * time), valid for the park and {@link #HORIZON_NANOS} more.
   */
  static void announce(ByteBuffer buf, int at, long parkNanos) {
    Mem.LONG.setVolatile(buf, at, Deadline.after(parkNanos + HORIZON_NANOS));
  }

  /**
   * After changing an object: true if a waiter may be parked on it and this caller is the one to ring. The word is
   * cleared as it is claimed, so a stream of changes rings once per waiter park (a ring wakes every waiter, and each
   * announces itself again before it parks again), not once per change.
   */
  static boolean claimRing(ByteBuffer buf, int at) {
    for (;;) {
      long until = (long) Mem.LONG.getVolatile(buf, at);
      if (until == 0L || until - System.nanoTime() <= 0) {
        return false;                           // nobody parked, or another waker claimed it and rings
      }
      if (Mem.LONG.compareAndSet(buf, at, until, 0L)) {
        return true;
      }
    }
  }

  /** Rings so far in this JVM (for tests). */
  public static long rings() {
    return RINGS.get();
  }
}
