package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.SlotRingTest.message;
import static dev.ipckit.shm.queue.SlotRingTest.queueFile;
import static dev.ipckit.shm.queue.SlotRingTest.ring;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.queue.SlotRingTest.FakeLiveness;
import dev.ipckit.shm.queue.SlotRingTest.FakeSpills;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The task table in one buffer, processes played by rings with fake liveness: counting, the fold into inherited,
 * taskDone on behalf of another process, the repair of a take record at each point a taker can die, saturation.
 * Tokens: {@code DEAD} and {@code ME} share registry slot 0 (generations 1 and 2), {@code OTHER} is slot 1.
 */
@Tag("unit")
class TaskTableTest {
  static final long DEAD = SlotRingTest.DEAD;
  static final long ME = SlotRingTest.ME;
  static final long OTHER = 0x30002L;
  static final int CAPACITY = 8;

  private static SlotRing as(ByteBuffer buf, long token, long... dead) {
    return ring(buf, CAPACITY, new FakeLiveness(token, dead), new FakeSpills());
  }

  private static long counts(ByteBuffer buf, long token) {
    return (long) Mem.LONG.getVolatile(buf, QueueDescriptor.taskTableOffset(CAPACITY)
        + TaskTable.slotOf(token) * QueueDescriptor.TASK_ENTRY_LENGTH + QueueDescriptor.TASK_COUNTS_OFFSET);
  }

  private static long done(ByteBuffer buf) {
    return (long) Mem.LONG.getVolatile(buf, QueueDescriptor.DONE_OFFSET);
  }

  private static void put(SlotRing r, int n) {
    for (int i = 0; i < n; i++) {
      assertTrue(r.tryPut(message(i, 4), -1));
    }
  }

  @Test
  void unfinishedTasksOfADeadConsumerAreAbandonedAndThoseOfALiveOneAreNot() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing consumer = as(buf, DEAD);
    put(consumer, 3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(message(i, 4), (byte[]) consumer.tryTake());
    }
    consumer.taskDone();
    assertEquals(2, TaskTable.own(counts(buf, DEAD)));

    SlotRing whileAlive = as(buf, OTHER);
    assertEquals(0, whileAlive.abandonedTasks(), "a live consumer's tasks are not abandoned");
    assertFalse(whileAlive.allDoneOrAbandoned());

    SlotRing afterDeath = as(buf, OTHER, DEAD);
    assertEquals(2, afterDeath.abandonedTasks());
    assertFalse(afterDeath.allDone(), "done counts only taskDone() calls");
    assertTrue(afterDeath.allDoneOrAbandoned(), "1 done + 2 abandoned = 3 put");
    assertEquals(2, TaskTable.own(counts(buf, DEAD)), "reading moves no count");
  }

  @Test
  void aNewProcessInTheSlotOfADeadOneFoldsItsCountsIntoInheritedWithOneCompareAndSet() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing dead = as(buf, DEAD);
    put(dead, 4);
    dead.tryTake();
    dead.tryTake();
    SlotRing successor = as(buf, ME, DEAD);                  // same registry slot, next generation
    assertEquals(2, successor.abandonedTasks());
    successor.tryTake();
    long c = counts(buf, ME);
    assertEquals(TaskTable.generationOf(ME), TaskTable.generation(c));
    assertEquals(1, TaskTable.own(c));
    assertEquals(2, TaskTable.inherited(c), "the dead predecessor's 2 unfinished tasks");
    SlotRing observer = as(buf, OTHER, DEAD);
    assertEquals(2, observer.abandonedTasks(), "the live successor's own task is not abandoned");
    successor.taskDone();
    assertEquals(0, TaskTable.own(counts(buf, ME)));
    assertFalse(observer.allDoneOrAbandoned(), "one message is not taken yet");
    observer.tryTake();
    observer.taskDone();
    assertTrue(observer.allDoneOrAbandoned());
    assertEquals(2, observer.abandonedTasks());
    assertEquals(2, as(buf, OTHER, DEAD, ME).abandonedTasks(), "the successor owes nothing when it dies");
  }

  @Test
  void taskDoneByAProcessThatTookNothingCountsOnlyInDone() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing taker = as(buf, DEAD);
    put(taker, 2);
    taker.tryTake();
    taker.tryTake();
    SlotRing helper = as(buf, OTHER);
    helper.taskDone();
    assertEquals(1, done(buf));
    assertEquals(0L, counts(buf, OTHER), "the helper's entry is never used");
    assertEquals(2, TaskTable.own(counts(buf, DEAD)), "nor the taker's");
    helper.taskDone();
    assertThrows(IllegalStateException.class, helper::taskDone, "more taskDone() calls than messages put");
    assertEquals(0, as(buf, OTHER, DEAD).abandonedTasks(), "at most the tasks not done");
  }

  @Test
  void aRefusedTaskDoneLeavesTheOwnCount() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing r = as(buf, DEAD);
    put(r, 1);
    r.tryTake();
    Mem.LONG.setVolatile(buf, QueueDescriptor.DONE_OFFSET, 1L); // another process did it meanwhile
    assertThrows(IllegalStateException.class, r::taskDone);
    assertEquals(1, TaskTable.own(counts(buf, DEAD)));
  }

  @Test
  void aTakeRecordLeftByADeadTakerIsRepairedAtEachPoint() {
    for (int point = 0; point < 4; point++) {
      ByteBuffer buf = queueFile(CAPACITY);
      SlotRing dying = as(buf, DEAD);
      put(dying, 1);
      assertTrue(dying.consumerLock().tryAcquireFree());      // inside a take, then killed at `point`:
      long t = dying.tasks().record(0, 1);                     // 0: after the record
      if (point >= 1) {
        dying.tasks().count(1, t);                             // 1: after the count
      }
      if (point >= 2) {
        Mem.LONG.setRelease(buf, QueueDescriptor.HEAD_OFFSET, 1L); // 2: after head's release
      }
      if (point >= 3) {
        dying.tasks().afterTake(t);                            // 3: after clearing, before releasing the lock
      }
      boolean took = point >= 2;
      String where = "killed at point " + point;
      SlotRing survivor = as(buf, OTHER, DEAD);
      assertEquals(took ? 1 : 0, survivor.abandonedTasks(), where);
      assertEquals(0L, (long) Mem.LONG.getVolatile(buf, QueueDescriptor.TAKE_TOKEN_OFFSET), where);
      assertEquals(point < 3 ? 0L : DEAD, survivor.consumerLock().owner(),
          "the lock word is taken over (and released) only to repair a record, " + where);
      assertEquals(took ? 1 : 0, TaskTable.own(counts(buf, DEAD)), where);

      // the repair is idempotent: a recoverer killed before clearing leaves the record for the next one
      Mem.LONG.setRelease(buf, QueueDescriptor.TAKE_TOKEN_OFFSET, DEAD);
      assertTrue(survivor.consumerLock().tryAcquire() != OwnerWord.FAILED, where);
      survivor.tasks().recover();
      survivor.consumerLock().release();
      assertEquals(took ? 1 : 0, TaskTable.own(counts(buf, DEAD)), "repaired twice, " + where);

      if (took) {
        assertNull(survivor.tryTake(), where);
        assertTrue(survivor.allDoneOrAbandoned(), where);
      } else {
        assertFalse(survivor.allDoneOrAbandoned(), "the message is still there, " + where);
        assertArrayEquals(message(0, 4), (byte[]) survivor.tryTake(), where);
        survivor.taskDone();
        assertTrue(survivor.allDone(), where);
      }
    }
  }

  @Test
  void theNextTakeRepairsTheRecordWhenItTakesTheLockOver() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing dying = as(buf, DEAD);
    put(dying, 3);
    assertTrue(dying.consumerLock().tryAcquireFree());
    long t = dying.tasks().record(0, 2);                      // a batch of 2, counted, head not released
    dying.tasks().count(2, t);
    SlotRing survivor = as(buf, OTHER, DEAD);
    ArrayList<Object> out = new ArrayList<>();
    survivor.takeBatch(out, 10);
    assertEquals(3, out.size());
    assertEquals(0, TaskTable.own(counts(buf, DEAD)), "the count of a take that did not happen is undone");
    assertEquals(3, TaskTable.own(counts(buf, OTHER)));
  }

  @Test
  void aDeadTakersRecordUnderALiveHolderIsNotCountedUntilRepaired() {
    ByteBuffer buf = queueFile(CAPACITY);
    SlotRing dying = as(buf, DEAD);
    put(dying, 1);
    assertTrue(dying.consumerLock().tryAcquireFree());
    long t = dying.tasks().record(0, 1);
    dying.tasks().count(1, t);                                // the count of a take that did not happen
    Mem.LONG.setRelease(buf, QueueDescriptor.CONSUMER_LOCK_OFFSET, OTHER); // a live holder, not yet repaired
    SlotRing observer = as(buf, ME, DEAD);
    assertEquals(-1, observer.abandonedTasks(), "cannot be told now");
    assertFalse(observer.allDoneOrAbandoned(), "never early");
  }

  @Test
  void saturatedCountsAreNeverChangedNorCountedAsAbandoned() {
    ByteBuffer buf = queueFile(CAPACITY);
    int entry = QueueDescriptor.taskTableOffset(CAPACITY) + TaskTable.slotOf(DEAD) * QueueDescriptor.TASK_ENTRY_LENGTH;
    Mem.LONG.setRelease(buf, entry + QueueDescriptor.TASK_OWNER_OFFSET, DEAD);
    Mem.LONG.setRelease(buf, entry + QueueDescriptor.TASK_COUNTS_OFFSET,
        TaskTable.counts(TaskTable.generationOf(DEAD), TaskTable.MAX - 1, 0, 0));
    SlotRing r = as(buf, DEAD);
    put(r, 3);
    r.tryTake();
    r.tryTake();                                              // MAX - 1 + 2: saturated, never fails
    assertEquals(TaskTable.MAX, TaskTable.own(counts(buf, DEAD)));
    r.taskDone();
    assertEquals(TaskTable.MAX, TaskTable.own(counts(buf, DEAD)), "a saturated count stays");
    assertEquals(0, as(buf, OTHER, DEAD).abandonedTasks());
    SlotRing successor = as(buf, ME, DEAD);
    successor.tryTake();
    assertEquals(TaskTable.MAX, TaskTable.inherited(counts(buf, ME)), "saturated when inherited");
    assertEquals(1, TaskTable.own(counts(buf, ME)));
    assertEquals(1, as(buf, OTHER, DEAD, ME).abandonedTasks(), "only the successor's own task");
  }
}
