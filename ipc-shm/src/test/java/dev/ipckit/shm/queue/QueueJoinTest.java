package dev.ipckit.shm.queue;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.Bell;
import dev.ipckit.testkit.Await;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code join()} waits like every other wait: it announces a long park, and the last {@code taskDone()} rings. */
@Tag("unit")
class QueueJoinTest {
  @Test
  void joinAnnouncesItsLongParkAndTheLastTaskDoneRingsIt() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("q", 10, Codec.string());
      q.put("a");
      q.put("b");
      q.take();
      q.take();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread joiner = new Thread(() -> {
        try {
          q.join();
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "joiner");
      joiner.start();
      ByteBuffer buf = ((ShmQueue<?>) q).buffer();
      Await.until("join() to announce a long park", START,
          () -> (long) Mem.LONG.getVolatile(buf, QueueDescriptor.CONSUMER_SLEEP_OFFSET) != 0L);
      long rings = Bell.rings();
      q.taskDone();
      assertTrue(joiner.isAlive(), "one task is still not done");
      q.taskDone();                                  // the last one: rings the parked join()
      joiner.join(START.toMillis());
      assertFalse(joiner.isAlive(), "join() returns after the last taskDone()");
      assertTrue(failure.get() == null, () -> "join() threw " + failure.get());
      assertTrue(Bell.rings() > rings, "the last taskDone() rang the bell");
    }
  }

  @Test
  void clearRingsAProducerParkedOnAFullQueue() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("full", 1, Codec.string());
      q.put("a");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          q.put("b");
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "producer");
      producer.start();
      ByteBuffer buf = ((ShmQueue<?>) q).buffer();
      Await.until("the producer to announce a long park", START,
          () -> (long) Mem.LONG.getVolatile(buf, QueueDescriptor.PRODUCER_SLEEP_OFFSET) != 0L);
      long rings = Bell.rings();
      q.clear();
      producer.join(START.toMillis());
      assertFalse(producer.isAlive(), "the put finds room once clear() made it");
      assertTrue(failure.get() == null, () -> "put threw " + failure.get());
      assertTrue(Bell.rings() > rings, "clear() rang the bell");
      assertTrue(q.poll() != null);
    }
  }
}
