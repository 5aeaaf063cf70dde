package dev.ipckit.shm.sync;

import dev.ipckit.IpcBarrier;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.core.WhileOpen;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.TimedBarrier;
import java.nio.ByteBuffer;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;

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
 * generation. A party arriving beyond {@code parties} while the action runs waits for the next generation, or
 * throws {@link BrokenBarrierException} if the tripping one breaks.
 *
 * <p><b>Peer death.</b> Before it counts itself as arrived, a party records in its process's entry of the waiting
 * table ({@link SlotTable}) the generation it arrives in. A waiter past spinning looks at the table at its probe
 * interval ({@link Waiter}): a process recorded in the current generation that is not alive - killed while waiting,
 * or while running the action as the last party - breaks the generation, and every waiter throws
 * {@link BrokenBarrierException}, within that interval of the kernel's release of the dead process's liveness lock.
 * If the last party arrives first, the generation trips as usual. A party that dies before it arrives never comes,
 * exactly as a thread that never calls {@code await()}: nothing tells it from a slow one, so use the timed form when
 * parties may die; its timeout breaks the barrier and frees the others.
 */
public final class ShmBarrier extends ShmHandle implements TimedBarrier {
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
  private final transient SlotTable table;
  private final transient Liveness liveness;
  /** This process's token and slot: its entry in the waiting table. */
  private final transient long me;
  private final transient int mySlot;

  private ShmBarrier(NamespaceView ns, String name, MappedFile file, Runnable action) {
    super(ns, name, Kind.BARRIER, (int) file.arg0(), false, null);    // the reference carries the parties
    this.buf = file.buffer();
    this.parties = (int) file.arg0();
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.action = action;
    this.table = new SlotTable(buf, SyncDescriptor.TABLE_OFFSET, SyncDescriptor.BARRIER_IN_USE_OFFSET);
    this.liveness = ns.liveness();
    this.me = liveness.token();
    this.mySlot = Liveness.slotOf(me);
  }

  /** Opens (or creates) the barrier {@code name}; {@code action} (null for none) is this handle's own. */
  public static IpcBarrier open(NamespaceView ns, String name, int parties, Runnable action) {
    MappedFile f = ns.file(name, MappedFile.spec(Kind.BARRIER, parties, 0, SyncDescriptor.TABLE_BODY_LENGTH,
        b -> b.putLong(RESET_GEN, -1L),
        (a0, a1) -> a0 == parties ? null : "parties " + a0 + ", not " + parties));
    return new ShmBarrier(ns, name, f, action);
  }

  @Override
  public int parties() {
    return parties;
  }

  private BrokenBarrierException broken() {
    return new BrokenBarrierException("barrier \"" + name + "\" in " + ns.dir() + " is broken");
  }

  @Override
  public int awaitNanos(long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    checkOpen();
    long deadline = Deadline.after(nanos);
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
        // another party's action runs: this one belongs to the next generation
        awaitNextGeneration(gen, left(nanos, deadline));
        continue;
      }
      enter(gen);
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
    int outcome = Waiter.await(new WhileOpen<BrokenBarrierException>(this) {
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
      public boolean probe() throws BrokenBarrierException {
        breakIfAPartyDied(myGen);
        return ready();
      }
    }, Waiter.Spec.interruptible(), sleep, null, left(nanos, deadline));
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

  /** What is left of a timeout of {@code nanos} that ends at {@code deadline}. */
  private static long left(long nanos, long deadline) {
    return Deadline.isForever(nanos) ? nanos : Math.max(0L, Deadline.remaining(deadline));
  }

  /**
   * Records that this process has a party arriving in generation {@code gen}: its entry says so before the party
   * counts as arrived, so that a death from here on is seen by the others.
   */
  private void enter(long gen) {
    if (table.value(mySlot) != gen || table.token(mySlot) != me) {
      table.use(mySlot);
      table.set(mySlot, me, gen);
    }
  }

  /**
   * Breaks generation {@code gen} if a process other than this one recorded a party in it and is not alive: one
   * liveness question per such process.
   */
  private void breakIfAPartyDied(long gen) {
    LongPredicate inGen = g -> g == gen;
    for (int s = 0, n = table.limit(); s < n; s++) {
      if (table.goneToken(s, inGen, liveness, me) != 0L) {
        breakGeneration(gen);
        return;
      }
    }
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

  /**
   * Waits while another party's action runs, until generation {@code gen} trips or breaks (a dead last party breaks
   * it, as in the main wait).
   */
  private void awaitNextGeneration(long gen, long nanos) throws InterruptedException, TimeoutException {
    int outcome = Waiter.await(new WhileOpen<RuntimeException>(this) {
      @Override
      public boolean ready() {
        long w = (long) Mem.LONG.getAcquire(buf, STATE);
        return w >>> 32 != gen || (w & BROKEN) != 0;
      }

      @Override
      public boolean probe() {
        breakIfAPartyDied(gen);
        return ready();
      }
    }, Waiter.Spec.interruptible(), sleep, null, nanos);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    if (outcome == Waiter.TIMED_OUT) {
      throw new TimeoutException("barrier \"" + name + "\" in " + ns.dir() + ": more than " + parties
          + " parties arrived and the last one's action did not finish before the timeout");
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
      if ((w & COUNT_MASK) == 0) {
        // nobody arrived in this generation, so no waiter needs telling: RESET_GEN keeps naming the last reset
        // generation that had waiters (a second reset in a row must not hide the first from its late waiters)
        if ((w & BROKEN) == 0) {
          return;                 // an empty generation that is not broken is as good as a new one
        }
        if (Mem.LONG.compareAndSet(buf, STATE, w, ((gen + 1) & 0xFFFF_FFFFL) << 32)) {
          sleep.wake();
          return;
        }
        continue;
      }
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

  /** The mapped file (header included), for tests that play a party that died. */
  ByteBuffer buffer() {
    return buf;
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
