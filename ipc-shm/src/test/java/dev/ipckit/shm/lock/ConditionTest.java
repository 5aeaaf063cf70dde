package dev.ipckit.shm.lock;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code newCondition()} of every lock kind: between threads, between processes, and when a holder is killed. */
@Tag("crash")
class ConditionTest {
  @RegisterExtension
  final Children children = new Children();

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void aSignalWakesAWaiterThatHoldsTheLockAgain(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition ready = lock.newCondition();
      SharedInt flag = ipc.sharedInt("flag", 0);
      AtomicReference<Object> seen = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        lock.lock();
        try {
          while (flag.get() == 0) {
            ready.await();
          }
          seen.set(lock.isHeldByCurrentThread() ? "held, flag " + flag.get() : "not held");
        } catch (Throwable e) {
          seen.set(e);
        } finally {
          lock.unlock();
        }
      }, "waiter");
      waiter.start();
      Await.blocked(waiter, START);
      lock.lock();                          // possible only because the waiter released it in await
      try {
        flag.set(1);
        ready.signal();
      } finally {
        lock.unlock();
      }
      waiter.join(START.toMillis());
      assertFalse(waiter.isAlive(), "the signal must wake the waiter");
      assertEquals("held, flag 1", String.valueOf(seen.get()));
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void awaitOrSignalWithoutTheLockIsIllegalMonitorState(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition c = lock.newCondition();
      IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::await);
      assertTrue(e.getMessage().contains("\"l\"") && e.getMessage().contains("not held"), e.getMessage());
      assertThrows(IllegalMonitorStateException.class, c::signal);
      assertThrows(IllegalMonitorStateException.class, c::signalAll);
      assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1));
      assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
      assertFalse(lock.isLocked(), "a refused await must not leave the lock taken");
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void timedWaitsTimeOutHoldingTheLock(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition c = lock.newCondition();
      lock.lock();
      try {
        assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(20)) <= 0, "no signal: the time runs out");
        assertTrue(lock.isHeldByCurrentThread());
        assertFalse(c.await(5, TimeUnit.MILLISECONDS));
        assertFalse(c.await(-1, TimeUnit.SECONDS), "a negative timeout does not wait");
        assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1000)));
        assertTrue(lock.isHeldByCurrentThread());
      } finally {
        lock.unlock();
      }
      assertFalse(lock.isLocked());
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void anInterruptedAwaitThrowsHoldingTheLock(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition c = lock.newCondition();
      lock.lock();
      try {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::await, "an interrupt pending on entry");
        assertTrue(lock.isHeldByCurrentThread());
      } finally {
        lock.unlock();
      }
      AtomicReference<Object> seen = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        lock.lock();
        try {
          c.await();
          seen.set("returned without an interrupt");
        } catch (InterruptedException e) {
          seen.set(lock.isHeldByCurrentThread() ? "interrupted, held" : "interrupted, not held");
        } finally {
          if (lock.isHeldByCurrentThread()) {
            lock.unlock();
          }
        }
      }, "waiter");
      waiter.start();
      Await.blocked(waiter, START);
      waiter.interrupt();
      waiter.join(START.toMillis());
      assertEquals("interrupted, held", String.valueOf(seen.get()));
      assertFalse(lock.isLocked());
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void awaitUninterruptiblyWaitsForTheSignalAndKeepsTheInterrupt(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition c = lock.newCondition();
      SharedInt flag = ipc.sharedInt("flag", 0);
      AtomicReference<String> seen = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        lock.lock();
        try {
          c.awaitUninterruptibly();         // once, no loop: only the signal may end it
          seen.set("flag " + flag.get() + ", interrupted " + Thread.currentThread().isInterrupted());
        } finally {
          lock.unlock();
        }
      }, "waiter");
      waiter.start();
      Await.blocked(waiter, START);
      waiter.interrupt();
      until("the waiter to block again after the interrupt", START,
          () -> !waiter.isInterrupted() && waiter.getState() == Thread.State.TIMED_WAITING);
      lock.lock();
      try {
        flag.set(1);
        c.signalAll();
      } finally {
        lock.unlock();
      }
      waiter.join(START.toMillis());
      assertEquals("flag 1, interrupted true", seen.get());
    }
  }

  @Test
  void anRlockAwaitReleasesEveryHoldAndRestoresThem() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmLock lock = (ShmLock) ipc.rlock("r");
      Condition c = lock.newCondition();
      SharedInt flag = ipc.sharedInt("flag", 0);
      lock.lock();
      lock.lock();
      lock.lock();
      Thread other = new Thread(() -> {
        try {
          if (lock.tryLock(START.toMillis(), TimeUnit.MILLISECONDS)) {   // only while the owner awaits
            try {
              flag.set(1);
              c.signal();
            } finally {
              lock.unlock();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "other");
      other.start();
      try {
        while (flag.get() == 0) {
          assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the other thread must get in and signal");
        }
        assertEquals(3, lock.holdCount(), "await gives back every hold");
      } finally {
        lock.unlock();
        lock.unlock();
        lock.unlock();
      }
      other.join(START.toMillis());
      assertFalse(lock.isLocked());
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void processesWaitForAndSignalEachOther(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      SharedInt waiting = ipc.sharedInt("waiting", 0);
      SharedLong v = ipc.sharedLong("v", 0);
      // a child waits for the parent's signal
      IpcProcess child = children.start(() -> {
        Condition c = lock.newCondition();   // the child's own condition object: same lock, same signal
        lock.lock();
        try {
          waiting.set(1);
          while (v.get() == 0) {
            c.await();
          }
          v.set(v.get() * 10);
          c.signalAll();                     // and wakes the parent, which waits next
        } finally {
          lock.unlock();
        }
      });
      Await.value(waiting, 1, START);
      Condition c = lock.newCondition();
      lock.lock();                          // free only because the child awaits
      try {
        v.set(7);
        c.signal();
        while (v.get() == 7) {
          assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the child must answer");
        }
        assertEquals(70, v.get());
      } finally {
        lock.unlock();
      }
      assertExitsOk(child, START);
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void aWaiterTakesTheLockOverFromAHolderKilledAfterSignalling(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = kind.open(ipc, "l");
      Condition c = lock.newCondition();
      SharedInt held = ipc.sharedInt("held", 0);
      lock.lock();
      IpcProcess holder = children.start(() -> {
        lock.lock();                         // gets it once the parent awaits
        lock.newCondition().signalAll();
        held.set(1);                         // after the signal: the kill cannot come between them
        new CountDownLatch(1).await();       // holds the lock until killed
      });
      Thread killer = new Thread(() -> {
        Await.value(held, 1, START);
        holder.kill();
      }, "killer");
      killer.start();
      try {
        while (held.get() == 0) {
          assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the holder's signal must arrive");
        }
        // await returned: the lock is ours again, taken from the killed holder
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(lock.ownerDied(), "the lock was taken over from a dead holder");
      } finally {
        lock.unlock();
      }
      killer.join(START.toMillis());
      Children.assertKilled(holder, Children.REAP);
      assertFalse(lock.isLocked());
    }
  }
}
