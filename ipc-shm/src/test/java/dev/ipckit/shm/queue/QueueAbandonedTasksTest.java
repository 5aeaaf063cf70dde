package dev.ipckit.shm.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers of the shared-memory queue killed with SIGKILL at the worst points of a take and of a taskDone (the
 * take record, the two compareAndSets, registry slots reused), and in a storm: {@code join()} counts their
 * unfinished tasks as done and {@code abandonedTasks()} says how many, and {@code join()} never returns while a
 * live process still owes a task. A consumer killed between a take and its {@code taskDone()}, on every backend, is
 * in {@link dev.ipckit.testkit.suite.QueueCrashSuite}.
 */
@Tag("crash")
class QueueAbandonedTasksTest {
  static final Duration JOIN = Duration.ofSeconds(30);

  @RegisterExtension
  final Children children = new Children();

  private static void joinWithin(IpcQueue<?> q, Duration d) {
    assertTimeoutPreemptively(d, () -> q.join(), "join() returns once the dead consumer's tasks are counted");
  }

  @Test
  void killedBetweenTheTwoCompareAndSetsOfTaskDoneLeavesOneTaskThatJoinWaitsFor() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("q", 10, Codec.string());
      q.put("a");
      q.put("b");
      Crash consumer = Crash.at(children, ipc, () -> {
        q.take();
        q.take();
        assertTrue(((ShmQueue<?>) q).ring().tasks().taskDone()); // own - 1, and killed before done + 1
      });
      consumer.kill();
      assertEquals(1, q.abandonedTasks());
      assertFalse(q.join(300, TimeUnit.MILLISECONDS), "the half-done task is counted neither way: join waits");
      q.taskDone();                                    // somebody who knows of the loss
      joinWithin(q, JOIN);
      assertEquals(1, q.abandonedTasks());
    }
  }

  @Test
  void consumerKilledInsideATakeIsRepairedAtEachPoint() throws Exception {
    for (int point = 0; point < 3; point++) {
      try (Ipc ipc = Ipc.temp()) {
        IpcQueue<String> q = ipc.queue("q", 10, Codec.string());
        q.put("a");
        int at = point;
        Crash consumer = Crash.at(children, ipc, () -> {
          SlotRing r = ((ShmQueue<?>) q).ring();
          assertTrue(r.consumerLock().tryAcquireFree());
          long t = r.tasks().record(0, 1);             // 0: the take record written
          if (at >= 1) {
            r.tasks().count(1, t);                     // 1: own + 1
          }
          if (at >= 2) {
            Mem.LONG.setRelease(((ShmQueue<?>) q).buffer(), QueueDescriptor.HEAD_OFFSET, 1L); // 2: head released
          }
        });
        consumer.kill();
        String where = "killed at point " + point;
        if (point == 2) {
          joinWithin(q, JOIN);                         // the taken message is abandoned
          assertEquals(1, q.abandonedTasks(), where);
          assertEquals(0, q.size(), where);
        } else {
          assertFalse(q.join(100, TimeUnit.MILLISECONDS), "the message is still in the queue, " + where);
          assertEquals(0, q.abandonedTasks(), where);
          assertEquals("a", q.poll(), where);         // takes the lock over and repairs the record
          q.taskDone();
          joinWithin(q, JOIN);
          assertEquals(0, q.abandonedTasks(), where);
        }
      }
    }
  }

  @Test
  void aNewProcessInTheRegistrySlotOfADeadConsumerKeepsItsCount() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("q", 10, Codec.string());
      for (int i = 0; i < 4; i++) {
        q.put("m" + i);
      }
      SharedLong first = ipc.sharedLong("first", 0);
      SharedLong second = ipc.sharedLong("second", 0);
      Crash a = Crash.at(children, ipc, () -> {
        q.take();
        q.take();
        first.set(((ShmQueue<?>) q).ns.liveness().token());
      });
      a.kill();
      assertEquals(2, q.abandonedTasks());
      Crash b = Crash.at(children, ipc, () -> {
        second.set(((ShmQueue<?>) q).ns.liveness().token());
        q.take();                                      // folds the dead predecessor's 2 into inherited
      });
      assertEquals(TaskTable.slotOf(first.get()), TaskTable.slotOf(second.get()),
          "the registry gives the dead consumer's slot to the next process");
      assertTrue(first.get() != second.get());
      assertEquals(2, q.abandonedTasks(), "the live successor's task is not abandoned");
      assertEquals("m3", q.take());
      q.taskDone();
      assertFalse(q.join(100, TimeUnit.MILLISECONDS), "the live successor owes one task");
      b.kill();
      joinWithin(q, JOIN);
      assertEquals(3, q.abandonedTasks());
    }
  }

  @Test
  void aFileOfTheLayoutWithoutTaskTableIsRefusedByName(@TempDir Path dir) throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.queue("q", 5, Codec.bytes()).put(new byte[] {1});
    }
    // what the previous layout wrote in arg1: slot and data-area lengths, no layout number
    try (FileChannel ch = FileChannel.open(dir.resolve("q"), StandardOpenOption.WRITE)) {
      ByteBuffer arg1 = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
      arg1.putLong(0, QueueDescriptor.arg1(5) & ~(-1L << 48));
      ch.write(arg1, FileHeader.ARG1_OFFSET);
    }
    String d = dir.toString();
    IpcProcess child = children.start(() -> {
      try (Ipc ipc = Ipc.open(Path.of(d))) {
        try {
          ipc.queue("q", 5, Codec.bytes());
          throw new AssertionError("opened a queue file of another layout");
        } catch (IllegalArgumentException expected) {
          if (!expected.getMessage().contains("queue layout 0, not 1")) {
            throw expected;
          }
        }
      }
    });
    Children.assertExitsOk(child, Children.RUN);
  }

  /**
   * Consumers (single takes and batches of up to 3) killed at random instants while a producer thread keeps
   * putting, their registry slots reused by their replacements; one live consumer holds a task all along. Until it
   * dies, join() never returns; after every consumer is dead and every message taken,
   * {@code done + abandoned + (tasks killed inside taskDone) == tail}, the last at most one per killed process.
   */
  @Test
  void stormOfKilledConsumersNeverLetsJoinReturnEarly() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    int kills = 8;
    int messages = 100_000;
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("storm", 64, Codec.string());
      ShmQueue<?> shm = (ShmQueue<?>) q;
      ByteBuffer buf = shm.buffer();
      q.put("held");
      Crash holder = Crash.at(children, ipc, () -> assertNotNull(q.take())); // owes one task until killed
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          for (int i = 0; i < messages; i++) {
            q.put("m" + i);
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "producer");
      producer.start();
      List<IpcProcess> live = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        long s = rnd.nextLong();
        live.add(children.start(() -> consume(q, s)));
      }
      for (int k = 0; k < kills; k++) {
        long head = shm.ring().indices()[1];
        long until = head + 1 + rnd.nextInt(messages / (2 * kills));
        Await.until("consumers to take " + until + " (seed " + seed + ")", Children.RUN,
            () -> shm.ring().indices()[1] >= until || !producer.isAlive());
        IpcProcess victim = live.remove(rnd.nextInt(live.size()));
        Crash.kill(victim);
        if (k < kills - 2) {
          long s = rnd.nextLong();
          live.add(children.start(() -> consume(q, s)));
        }
        assertFalse(q.join(0, TimeUnit.NANOSECONDS), "never early: the holder owes a task (seed " + seed + ")");
      }
      for (IpcProcess p : live) {
        Crash.kill(p);
      }
      // the rest, taken and done here
      while (producer.isAlive() || q.size() > 0) {
        String m = q.poll(10, TimeUnit.MILLISECONDS);
        if (m != null) {
          q.taskDone();
        }
      }
      producer.join();
      assertTrue(failure.get() == null, () -> "the producer failed: " + failure.get());
      assertFalse(q.join(200, TimeUnit.MILLISECONDS), "never early: the live holder owes a task (seed " + seed + ")");

      holder.kill();
      long tail = shm.ring().indices()[0];
      long done = (long) Mem.LONG.getAcquire(buf, QueueDescriptor.DONE_OFFSET);
      long abandoned = q.abandonedTasks();
      long halfDone = tail - done - abandoned;         // consumers killed between the two steps of a taskDone()
      String state = "tail " + tail + ", done " + done + ", abandoned " + abandoned + " (seed " + seed + ")";
      assertEquals(messages + 1, tail, state);
      assertEquals(tail, shm.ring().indices()[1], "every message taken: " + state);
      assertTrue(halfDone >= 0 && halfDone <= kills, state);
      assertTrue(abandoned >= 1 && abandoned <= 3L * kills + 1, state);
      for (long i = 0; i < halfDone; i++) {
        q.taskDone();
      }
      joinWithin(q, JOIN);
      System.out.println("storm: " + kills + " consumers and the holder killed; " + state);
    }
  }

  /**
   * Takes (alone or up to 3 at a time), works on each for up to 20 µs (so that a kill often lands between a take
   * and its taskDone()) and marks it done, until killed.
   */
  static void consume(IpcQueue<String> q, long seed) throws InterruptedException {
    Random rnd = new Random(seed);
    List<String> batch = new ArrayList<>();
    for (;;) {
      batch.clear();
      if (rnd.nextBoolean() || q.drainTo(batch, 1 + rnd.nextInt(3)) == 0) {
        batch.add(q.take());
      }
      for (int i = 0; i < batch.size(); i++) {
        long until = System.nanoTime() + rnd.nextInt(20_000);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();                        // the work on one message
        }
        q.taskDone();
      }
    }
  }
}
