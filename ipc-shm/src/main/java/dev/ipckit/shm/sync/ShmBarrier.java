package dev.ipckit.shm.sync;

import dev.ipckit.IpcBarrier;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.nio.ByteBuffer;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link dev.ipckit.Ipc#barrier}: a cyclic barrier whose whole state is one word in shared memory -
 * generation (high 32 bits), broken (bit 31), arrived (low 31 bits) - updated by compareAndSet.
 *
 * <p>The last party to arrive trips the barrier by installing the next generation with a zero count; the
 * others wait (the one wait loop, {@link Waiter}) until the generation moves on. As with {@link java.util.concurrent.CyclicBarrier},
 * a waiter that times out or is interrupted breaks the barrier for everyone waiting in that generation, and
 * {@link #reset()} breaks the current generation and starts a new one.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Memory consistency.</b> Actions before {@link #await()} in each party happen-before actions after
 * every party's {@code await()} returns (volatile compareAndSet to arrive, acquire load to leave).
 *
 * <p><b>Barrier action.</b> A handle opened with an action runs it when its thread arrives last: it first marks the
 * generation as tripping (the count reaches {@code parties}, so nobody else can trip it or join it), runs the
 * action, then installs the next generation. The others wait meanwhile. An action that throws breaks the
 * generation. A party arriving beyond {@code parties} while the action runs waits for the next generation.
 *
 * <p><b>Peer death.</b> A party that dies after arriving counts as arrived. A party that dies before arriving
 * never comes, exactly as a thread that never calls {@code await()}: use the timed form when parties may die;
 * its timeout breaks the barrier and frees the others.
 */
public final class ShmBarrier extends ShmHandle implements IpcBarrier {
  private static final long serialVersionUID = 1L;
  private static final int STATE = SyncDescriptor.STATE_OFFSET;
  private static final int RESET_GEN = SyncDescriptor.RESET_GENERATION_OFFSET;
  private static final long BROKEN = 1L << 31;
  private static final long COUNT_MASK = BROKEN - 1;

  private final transient ByteBuffer buf;
  private final transient int parties;
  private final transient SleepWord sleep;
  /** Run by this handle's thread when it arrives last; null for none. */
  private final transient Runnable action;

  private ShmBarrier(NamespaceView ns, String name, MappedFile file, Runnable action) {
    super(ns, name, Kind.BARRIER);
    this.buf = file.buffer;
    this.parties = (int) file.arg0;
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.action = action;
  }

  /** Opens (or creates) the barrier {@code name}; {@code action} (null for none) is this handle's own. */
  public static IpcBarrier open(NamespaceView ns, String name, int parties, Runnable action) {
    MappedFile f = ns.file(name, MappedFile.spec(Kind.BARRIER, parties, 0, SyncDescriptor.BODY_LENGTH,
        b -> b.putLong(RESET_GEN, -1L),
        (a0, a1) -> a0 == parties ? null : "parties " + a0 + ", not " + parties));
    return new ShmBarrier(ns, name, f, action);
  }

  @Override protected long refArg() {
    return parties;
  }

  @Override
  public int parties() {
    return parties;
  }

  @Override
  public int await() throws InterruptedException, BrokenBarrierException {
    try {
      return await(Deadline.FOREVER);
    } catch (TimeoutException e) {
      throw new AssertionError("untimed await timed out", e);
    }
  }

  @Override
  public int await(long timeout, TimeUnit unit)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    return await(Deadline.nanos(timeout, unit));
  }

  private BrokenBarrierException broken() {
    return new BrokenBarrierException("barrier \"" + name + "\" in " + ns.dir() + " is broken");
  }

  private int await(long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    checkOpen();
    long gen;
    int index;
    for (;;) {
      long w = (long) Mem.LONG.getAcquire(buf, STATE);
      if ((w & BROKEN) != 0) {
        throw broken();
      }
      if (Thread.interrupted()) {
        breakGeneration(w >>> 32);
        throw new InterruptedException();
      }
      gen = w >>> 32;
      long arrived = (w & COUNT_MASK) + 1;
      index = (int) (parties - arrived);
      if (arrived > parties) {
        awaitNextGeneration(gen, nanos); // another party's action runs: this one belongs to the next generation
        continue;
      }
      if (arrived == parties && action != null) {
        if (Mem.LONG.compareAndSet(buf, STATE, w, w + 1)) {
          return trip(gen);
        }
      } else if (arrived == parties) {
        if (Mem.LONG.compareAndSet(buf, STATE, w, ((gen + 1) & 0xFFFF_FFFFL) << 32)) {
          sleep.wake();
          return 0; // tripped: the next generation starts empty
        }
      } else if (Mem.LONG.compareAndSet(buf, STATE, w, w + 1)) {
        break;
      }
    }
    long myGen = gen;
    int outcome = Waiter.await(new Waiter.Until<BrokenBarrierException>() {
      @Override
      public boolean ready() throws BrokenBarrierException {
        long w = (long) Mem.LONG.getAcquire(buf, STATE);
        if (w >>> 32 != myGen) {
          if ((long) Mem.LONG.getAcquire(buf, RESET_GEN) == myGen) {
            throw broken(); // our generation ended by reset(), not by the last party
          }
          return true;
        }
        if ((w & BROKEN) != 0) {
          throw broken();
        }
        return false;
      }

      @Override
      public boolean check() {
        checkOpen();
        return false;
      }
    }, Waiter.Spec.interruptible(), sleep, null, nanos);
    if (outcome == Waiter.READY) {
      return index;
    }
    breakGeneration(gen);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    long w = (long) Mem.LONG.getAcquire(buf, STATE);
    throw new TimeoutException("barrier \"" + name + "\" in " + ns.dir() + ": " + (w >>> 32 == gen ? w & COUNT_MASK
        : parties) + " of " + parties + " parties arrived before the timeout");
  }

  /**
   * Runs the action as the last party of generation {@code gen} (the count already says {@code parties}), then
   * installs the next generation; an action that throws breaks {@code gen} and the exception propagates.
   */
  private int trip(long gen) throws BrokenBarrierException {
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      breakGeneration(gen);
      throw e;
    }
    long tripping = (gen << 32) | parties;
    if (!Mem.LONG.compareAndSet(buf, STATE, tripping, ((gen + 1) & 0xFFFF_FFFFL) << 32)) {
      throw broken();          // a waiter gave up (timeout, interrupt) or reset() while the action ran
    }
    sleep.wake();
    return 0;
  }

  /** Waits (briefly: an action runs) until the generation is no longer {@code gen}. */
  private void awaitNextGeneration(long gen, long nanos) throws InterruptedException, TimeoutException {
    long deadline = Deadline.after(nanos);
    while ((long) Mem.LONG.getAcquire(buf, STATE) >>> 32 == gen) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (Deadline.passed(deadline)) {
        throw new TimeoutException("barrier \"" + name + "\" in " + ns.dir() + ": more than " + parties
            + " parties arrived and the last one's action did not finish before the timeout");
      }
      Thread.yield();
    }
  }

  /** Marks generation {@code gen} broken, if it is still the current one. */
  private void breakGeneration(long gen) {
    for (;;) {
      long w = (long) Mem.LONG.getAcquire(buf, STATE);
      if (w >>> 32 != gen || (w & BROKEN) != 0) {
        return;
      }
      if (Mem.LONG.compareAndSet(buf, STATE, w, w | BROKEN)) {
        sleep.wake();
        return;
      }
    }
  }

  @Override
  public void reset() {
    checkOpen();
    for (;;) {
      long w = (long) Mem.LONG.getAcquire(buf, STATE);
      long gen = w >>> 32;
      if ((w & BROKEN) == 0) {
        if (!Mem.LONG.compareAndSet(buf, STATE, w, w | BROKEN)) {
          continue;
        }
        w |= BROKEN; // a broken generation can no longer trip normally
      }
      Mem.LONG.setRelease(buf, RESET_GEN, gen); // before the generation moves: its waiters then see it
      if (Mem.LONG.compareAndSet(buf, STATE, w, ((gen + 1) & 0xFFFF_FFFFL) << 32)) {
        sleep.wake();
        return;
      }
    }
  }

  @Override
  public boolean isBroken() {
    checkOpen();
    return ((long) Mem.LONG.getAcquire(buf, STATE) & BROKEN) != 0;
  }

  /** Parties waiting now (a snapshot). */
  @Override
  public int getNumberWaiting() {
    checkOpen();
    return (int) ((long) Mem.LONG.getAcquire(buf, STATE) & COUNT_MASK);
  }

  @Override
  public void abort() {
    checkOpen();
    for (;;) {
      long w = (long) Mem.LONG.getAcquire(buf, STATE);
      if ((w & BROKEN) != 0) {
        return;
      }
      if (Mem.LONG.compareAndSet(buf, STATE, w, w | BROKEN)) { // whichever generation is current now
        sleep.wake();
        return;
      }
    }
  }
}
