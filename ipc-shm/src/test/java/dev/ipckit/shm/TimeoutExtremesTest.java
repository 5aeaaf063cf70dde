package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every timed call of every kind, at the extremes: a timeout of at most 0 (down to {@code Long.MIN_VALUE}, in any
 * unit) returns at once; a huge one ({@code Long.MAX_VALUE}, any unit) waits as long as it takes, never wrapping
 * into an immediate timeout nor into the past.
 */
@Tag("unit")
class TimeoutExtremesTest {
  private static final long[] AT_ONCE = {0L, -1L, Long.MIN_VALUE};
  private static final TimeUnit[] UNITS = {TimeUnit.NANOSECONDS, TimeUnit.MILLISECONDS, TimeUnit.DAYS};
  private static final long BOUND_SECONDS = 30;

  private Ipc ipc;
  private ExecutorService pool;
  /** One thread that holds and releases locks: a lock is released by the thread that holds it. */
  private ExecutorService holder;

  @BeforeEach
  void open() {
    ipc = Ipc.temp();
    pool = Executors.newCachedThreadPool();
    holder = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    holder.shutdownNow();
    ipc.close();
  }

  /** A call that must come back within the bound (an at-once timeout). */
  private <T> T atOnce(Callable<T> call) throws Exception {
    return pool.submit(call).get(BOUND_SECONDS, TimeUnit.SECONDS);
  }

  /** A huge-timeout call: still waiting once started, then done after {@code release}. */
  private <T> T waitsUntil(Callable<T> call, Callable<?> release) throws Exception {
    Future<T> f = pool.submit(call);
    assertThrows(java.util.concurrent.TimeoutException.class, () -> f.get(200, TimeUnit.MILLISECONDS),
        "a huge timeout must not end at once");
    release.call();
    return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
  }

  private List<IpcLock> allLocks() {
    List<IpcLock> out = new ArrayList<>();
    out.add(ipc.lock("l"));
    out.add(ipc.rlock("r"));
    out.add(ipc.fileLock("f"));
    return out;
  }

  @Test
  void locks() throws Exception {
    for (IpcLock lock : allLocks()) {
      holder.submit(() -> {
        lock.lock();
        return null;
      }).get(BOUND_SECONDS, TimeUnit.SECONDS);
      for (TimeUnit u : UNITS) {
        for (long t : AT_ONCE) {
          assertFalse(atOnce(() -> lock.tryLock(t, u)), lock + " tryLock(" + t + ", " + u + ")");
        }
      }
      for (TimeUnit u : UNITS) {
        // the holder thread releases; a huge timeout in another thread then gets the lock
        assertTrue(waitsUntil(() -> {
          boolean got = lock.tryLock(Long.MAX_VALUE, u);
          if (got) {
            lock.unlock();
          }
          return got;
        }, () -> holder.submit(() -> {
          lock.unlock();
          return null;
        }).get()), lock + " tryLock(MAX, " + u + ")");
        holder.submit(() -> {
          lock.lock();
          return null;
        }).get(BOUND_SECONDS, TimeUnit.SECONDS);
      }
      holder.submit(() -> {
        lock.unlock();
        return null;
      }).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void conditions() throws Exception {
    for (IpcLock lock : allLocks()) {
      for (TimeUnit u : UNITS) {
        for (long t : AT_ONCE) {
          assertFalse(atOnce(() -> {
            lock.lock();
            try {
              return lock.newCondition().await(t, u);
            } finally {
              lock.unlock();
            }
          }), lock + " await(" + t + ", " + u + ")");
        }
      }
      Condition c = lock.newCondition();
      assertTrue(waitsUntil(() -> {
        lock.lock();
        try {
          return c.await(Long.MAX_VALUE, TimeUnit.DAYS);
        } finally {
          lock.unlock();
        }
      }, () -> pool.submit(() -> {
        lock.lock();
        try {
          c.signalAll();
        } finally {
          lock.unlock();
        }
        return null;
      }).get()), lock + " await(MAX, DAYS)");
      assertTrue(atOnce(() -> {
        lock.lock();
        try {
          return c.awaitNanos(Long.MIN_VALUE) <= 0;
        } finally {
          lock.unlock();
        }
      }));
    }
  }

  @Test
  void semaphoresAndEvents() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 0);
    IpcSemaphore b = ipc.boundedSemaphore("b", 1);
    assertTrue(b.tryAcquire());
    IpcEvent e = ipc.event("e");
    for (TimeUnit u : UNITS) {
      for (long t : AT_ONCE) {
        assertFalse(atOnce(() -> s.tryAcquire(t, u)));
        assertFalse(atOnce(() -> b.tryAcquire(t, u)));
        assertFalse(atOnce(() -> e.await(t, u)));
      }
    }
    assertTrue(waitsUntil(() -> s.tryAcquire(Long.MAX_VALUE, TimeUnit.NANOSECONDS), () -> {
      s.release();
      return null;
    }));
    assertTrue(waitsUntil(() -> e.await(Long.MAX_VALUE, TimeUnit.DAYS), () -> {
      e.set();
      return null;
    }));
  }

  @Test
  void barriers() throws Exception {
    for (TimeUnit u : UNITS) {
      for (long t : AT_ONCE) {
        IpcBarrier bar = ipc.barrier("b-" + u + t, 2);
        Exception ex = atOnce(() -> {
          try {
            bar.await(t, u);
            return null;
          } catch (TimeoutException te) {
            return te;
          }
        });
        assertTrue(ex instanceof TimeoutException, "await(" + t + ", " + u + ") times out at once");
        assertTrue(bar.isBroken(), "and breaks the barrier, as CyclicBarrier does");
      }
    }
    IpcBarrier bar = ipc.barrier("huge", 2);
    int index = waitsUntil(() -> bar.await(Long.MAX_VALUE, TimeUnit.DAYS), () -> pool.submit(() -> bar.await())
        .get(BOUND_SECONDS, TimeUnit.SECONDS));
    assertTrue(index == 0 || index == 1);
  }

  @Test
  void queues() throws Exception {
    IpcQueue<String> q = ipc.queue("q", 1, Codec.string());
    for (TimeUnit u : UNITS) {
      for (long t : AT_ONCE) {
        assertNull(atOnce(() -> q.poll(t, u)), "poll(" + t + ", " + u + ") on empty");
      }
    }
    assertEquals("x", waitsUntil(() -> q.poll(Long.MAX_VALUE, TimeUnit.DAYS), () -> q.offer("x")));
    assertTrue(q.offer("full"));
    for (TimeUnit u : UNITS) {
      for (long t : AT_ONCE) {
        assertFalse(atOnce(() -> q.offer("y", t, u)), "offer(" + t + ", " + u + ") on full");
      }
    }
    assertTrue(waitsUntil(() -> q.offer("z", Long.MAX_VALUE, TimeUnit.NANOSECONDS), q::poll));
    assertEquals("z", q.poll());
  }

  @Test
  void pipes() throws Exception {
    Pipe<String> p = ipc.pipe("p", true, Codec.string());
    Connection<String> left = p.left();
    Connection<String> right = p.right();
    right.send("claim");                      // both ends in use by this process
    assertEquals("claim", left.recv());
    for (Duration d : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE)}) {
      assertFalse(atOnce(() -> left.poll(d)), "poll(" + d + ")");
    }
    assertTrue(waitsUntil(() -> left.poll(Duration.ofSeconds(Long.MAX_VALUE)), () -> {
      right.send("x");
      return null;
    }));
  }
}
