package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueTesting.assertNoSideFiles;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.DecodeException;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** IpcQueue across real child JVMs: blocking, timeouts, large messages, codecs, bad input, persistence. */
@Tag("crash")
class QueueProcessTest {
  @RegisterExtension
  final Children children = new Children();

  @Test
  void blockingPutOnFullAndTakeOnEmptyAcrossProcesses() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<Long> q = ipc.queue("q", 2, new QueueCodecs.Longs());
      SharedLongArray progress = ipc.longArray("progress", 2);
      // the child puts 5 into a queue of 2: it blocks until we take
      IpcProcess producer = children.start(() -> {
        for (long i = 0; i < 5; i++) {
          q.put(i);
          progress.set(0, i + 1);
        }
      });
      Await.until("the child to fill the queue", RUN, () -> progress.get(0) == 2);
      assertEquals(2, q.size());
      assertEquals(0, q.remainingCapacity());
      assertTrue(producer.isAlive(), "the third put must block on a full queue");
      for (long i = 0; i < 5; i++) {
        assertEquals(i, (long) q.poll(60, TimeUnit.SECONDS));
      }
      assertExitsOk(producer, RUN);
      assertEquals(5, progress.get(0));

      // the child takes from an empty queue: it blocks until we put
      IpcProcess consumer = children.start(() -> {
        progress.set(1, -1);
        progress.set(1, q.take());
      });
      Await.until("the child to start taking", RUN, () -> progress.get(1) == -1);
      assertTrue(consumer.isAlive(), "take must block on an empty queue");
      q.put(42L);
      assertExitsOk(consumer, RUN);
      assertEquals(42, progress.get(1));
      assertTrue(q.isEmpty());
    }
  }

  @Test
  void timeoutsAcrossProcesses() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<Long> q = ipc.queue("q", 1, new QueueCodecs.Longs());
      SharedLongArray out = ipc.longArray("out", 4);
      IpcProcess child = children.start(() -> {
        long t0 = System.nanoTime();
        out.set(0, q.poll(200, TimeUnit.MILLISECONDS) == null ? 1 : 0);
        out.set(1, System.nanoTime() - t0);
        q.put(7L);
        t0 = System.nanoTime();
        out.set(2, q.offer(8L, 200, TimeUnit.MILLISECONDS) ? 0 : 1);
        out.set(3, System.nanoTime() - t0);
      });
      assertExitsOk(child, RUN);
      assertEquals(1, out.get(0), "timed poll on an empty queue returns null");
      assertTrue(out.get(1) >= TimeUnit.MILLISECONDS.toNanos(200), "waited only " + out.get(1) + " ns");
      assertEquals(1, out.get(2), "timed offer on a full queue returns false");
      assertTrue(out.get(3) >= TimeUnit.MILLISECONDS.toNanos(200), "waited only " + out.get(3) + " ns");
      assertEquals(List.of(7L), new ArrayList<>(q));
    }
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  private static byte[] big(int length, int seed) {
    byte[] b = new byte[length];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void sixtyFourMiBMessagesBothWays() throws Exception {
    int len = 64 << 20;
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("big", 2, Codec.bytes());
      SharedLongArray out = ipc.longArray("out", 2);
      byte[] m = big(len, 1);
      q.put(m);
      q.put(new byte[] {1, 2, 3});
      IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-Xmx400m"), () -> {
        byte[] got = q.take();
        out.set(0, got.length == len ? crc(got) : -got.length);
        out.set(1, Arrays.equals(q.take(), new byte[] {1, 2, 3}) ? 1 : 0);
        q.put(big(len, 2));
      });
      assertExitsOk(child, RUN);
      assertEquals(crc(m), out.get(0));
      assertEquals(1, out.get(1));
      byte[] back = q.take();
      assertEquals(len, back.length);
      assertArrayEquals(big(len, 2), back);
      assertNoSideFiles(ipc.dir(), "big");
    }
  }

  @Test
  void messagesAroundTheInlineLimitKeepOrderAndContent() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 8, Codec.bytes());
      int[] sizes = {0, 1, 247, 248, 249, 250, 4096, 100_000};
      IpcProcess child = children.start(() -> {
        for (int s : sizes) {
          q.put(big(s, s));
        }
      });
      for (int s : sizes) {
        assertArrayEquals(big(s, s), q.poll(60, TimeUnit.SECONDS), "message of " + s + " bytes");
      }
      assertExitsOk(child, RUN);
      // peek, toArray and clear handle spilled messages too
      q.put(big(1000, 1));
      q.put(big(10, 2));
      assertArrayEquals(big(1000, 1), q.peek());
      assertEquals(2, q.toArray().length);
      q.clear();
      assertTrue(q.isEmpty());
      assertNoSideFiles(ipc.dir(), "q");
    }
  }

  @Test
  void codecFailureFailsOnlyThatCall() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("q", 10, new QueueCodecs.Picky());
      q.put("a");
      IllegalArgumentException enc = assertThrows(IllegalArgumentException.class, () -> q.put("unencodable"));
      assertTrue(enc.getMessage().contains("cannot encode") && enc.getMessage().contains("\"q\""), enc.getMessage());
      q.put("poison");
      q.put("b");
      assertEquals(3, q.size());
      IpcProcess child = children.start(() -> {
        if (!q.take().equals("a")) {
          throw new AssertionError("first");
        }
        try {
          q.take();
          throw new AssertionError("poison decoded");
        } catch (IpcException expected) {
          if (!expected.getMessage().contains("cannot decode")) {
            throw expected;
          }
        }
        if (!q.take().equals("b")) {
          throw new AssertionError("third");
        }
      });
      assertExitsOk(child, RUN);
      assertTrue(q.isEmpty());
      // drainTo delivers the good ones around a bad one and then reports it
      q.put("c");
      q.put("poison");
      q.put("d");
      List<String> got = new ArrayList<>();
      DecodeException bad = assertThrows(DecodeException.class, () -> q.drainTo(got));
      assertEquals(List.of("c", "d"), got);
      assertEquals("poison", new String(bad.bytes(), StandardCharsets.UTF_8), "the dropped message's bytes");
      assertTrue(bad.getMessage().contains("\"q\""), bad.getMessage());
    }
  }

  @Test
  void badInputs(@TempDir Path dir) throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ipc.queue("q", 0, Codec.bytes()));
      assertTrue(e.getMessage().contains("capacity=0"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", -3, Codec.bytes()));
      assertTrue(e.getMessage().contains("capacity=-3"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", Integer.MAX_VALUE, Codec.bytes()));
      assertTrue(e.getMessage().contains("capacity=" + Integer.MAX_VALUE), e.getMessage());
      assertThrows(NullPointerException.class, () -> ipc.queue("q", 1, null));
      assertThrows(IllegalArgumentException.class, () -> ipc.queue("a/b", 1, Codec.bytes()));

      IpcQueue<byte[]> q = ipc.queue("q", 5, Codec.bytes());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", 7, Codec.bytes()));
      assertTrue(e.getMessage().contains("capacity 5") && e.getMessage().contains("7"), e.getMessage());
      ipc.sharedLong("v", 1);
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("v", 5, Codec.bytes()));
      assertTrue(e.getMessage().contains("SharedLong") && e.getMessage().contains("queue"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.sharedLong("q", 0));
      assertTrue(e.getMessage().contains("queue"), e.getMessage());
      assertThrows(NullPointerException.class, () -> q.put(null));
      q.close();
      q.close(); // harmless
      IllegalStateException closed = assertThrows(IllegalStateException.class, () -> q.offer(new byte[1]));
      assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }
    // a fresh JVM opening the file finds the capacity in its header
    String d = dir.toString();
    IpcProcess child = children.start(() -> {
      try (Ipc ipc = Ipc.open(Path.of(d))) {
        try {
          ipc.queue("q", 7, Codec.bytes());
          throw new AssertionError("reopened with another capacity");
        } catch (IllegalArgumentException expected) {
          if (!expected.getMessage().contains("capacity 5, not 7")) {
            throw expected;
          }
        }
        if (ipc.queue("q", 5, Codec.bytes()).capacity() != 5) {
          throw new AssertionError("capacity");
        }
      }
    });
    assertExitsOk(child, RUN);
  }

  @Test
  void unsupportedMethodsThrowAndSayWhy() {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<Long> q = ipc.queue("q", 4, new QueueCodecs.Longs());
      q.add(1L);
      q.add(2L);
      Iterator<Long> it = q.iterator();
      assertEquals(1L, (long) it.next());
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, it::remove);
      assertTrue(e.getMessage().contains("iterator().remove()"), e.getMessage());
      assertThrows(UnsupportedOperationException.class, () -> q.remove(1L));
      assertThrows(UnsupportedOperationException.class, () -> q.removeAll(List.of(1L)));
      assertThrows(UnsupportedOperationException.class, () -> q.retainAll(List.of(1L)));
      assertThrows(UnsupportedOperationException.class, () -> q.removeIf(x -> true));
      assertEquals(2, q.size());
    }
  }

  @Test
  void messagesSurviveEveryProcessExitingAndAreFoundOnReopen(@TempDir Path dir) throws Exception {
    String d = dir.toString();
    IpcProcess child = children.start(() -> {
      try (Ipc ipc = Ipc.open(Path.of(d))) {
        IpcQueue<byte[]> q = ipc.queue("kept", 200, Codec.bytes());
        for (int i = 0; i < 100; i++) {
          q.put(QueueCodecs.message(i, i % 25 == 0 ? 5000 : 64));
        }
      }
    });
    assertExitsOk(child, RUN);
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("kept", 200, Codec.bytes());
      assertEquals(100, q.size());
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(QueueCodecs.message(i, i % 25 == 0 ? 5000 : 64), q.poll());
      }
      assertNull(q.poll());
      assertNoSideFiles(dir, "kept");
    }
  }

  @Test
  void handleTravelsToChildAndBack() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<String> q = ipc.queue("q", 3, Codec.string());
      IpcQueue<String> replies = ipc.queue("replies", 3, Codec.string());
      IpcProcess child = children.start(() -> replies.put(q.capacity() + ":" + q.take().toUpperCase()));
      q.put("hello");
      assertEquals("3:HELLO", replies.poll(60, TimeUnit.SECONDS));
      assertExitsOk(child, RUN);
    }
  }

  @Test
  void taskDoneAndJoinAcrossProcesses() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<Long> q = ipc.queue("q", 4, new QueueCodecs.Longs());
      SharedLongArray sum = ipc.longArray("sum", 1);
      q.join(); // nothing put yet
      IpcProcess worker = children.start(() -> {
        for (;;) {
          long v = q.take();
          if (v < 0) {
            q.taskDone();
            return;
          }
          sum.getAndAdd(0, v);
          q.taskDone();
        }
      });
      for (long i = 1; i <= 10; i++) {
        q.put(i);
      }
      CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
        try {
          q.join();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        joined.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new AssertionError("join() did not return once every message was done", e);
      }
      assertEquals(55, sum.get(0), "join() returned before every taskDone()");
      q.put(-1L);
      assertExitsOk(worker, RUN);
      IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
      assertTrue(e.getMessage().contains("more times than messages were put"), e.getMessage());
      // join waits while a message is not done
      q.put(5L);
      q.take();
      CompletableFuture<Void> pending = CompletableFuture.runAsync(() -> {
        try {
          q.join();
        } catch (InterruptedException ex) {
          throw new IllegalStateException(ex);
        }
      });
      assertThrows(TimeoutException.class, () -> pending.get(100, TimeUnit.MILLISECONDS));
      q.taskDone();
      pending.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void sideFileOfAKilledProducerIsSweptOnReopen(@TempDir Path dir) throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
      q.put(new byte[] {9});
      SharedLongArray progress = ipc.longArray("progress", 1);
      // the child spills a large message, then blocks in put on the full queue; we kill it there
      IpcProcess child = children.start(() -> {
        progress.set(0, 1);
        q.put(new byte[1 << 20]);
      });
      Await.retry("the child's side file", RUN,
          () -> QueueTesting.sideFiles(dir, "q").size() == 1 && progress.get(0) == 1);
      Crash.kill(child);
      assertFalse(QueueTesting.sideFiles(dir, "q").isEmpty());
    }
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
      assertNoSideFiles(dir, "q");
      assertEquals(1, q.size());
      assertArrayEquals(new byte[] {9}, q.take());
      assertTrue(Files.isDirectory(dir));
    }
  }
}
