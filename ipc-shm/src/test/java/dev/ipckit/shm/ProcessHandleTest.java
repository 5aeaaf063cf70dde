package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.Task;
import dev.ipckit.internal.task.DirectTask;
import dev.ipckit.testkit.suite.QueueCodecs;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Handles captured by a task reopen in the child JVM, cold or from a warm spare; tasks in the direct form and as
 * Java serialization; many children at once.
 */
@Tag("process")
class ProcessHandleTest {
  private static final Duration LONG = Duration.ofSeconds(120);

  @AfterAll
  static void retireSpares() {
    IpcProcess.retireWarmSpares();
  }

  @Test
  void capturedHandlesReopenInTheChild() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 7);
      IpcLock lock = ipc.lock("v-lock");
      SharedLongArray seen = ipc.longArray("seen", 2);
      lock.lock();                            // held here: the child must see it held
      try {
        IpcProcess p = IpcProcess.start(() -> {
          seen.set(0, lock.tryLock() ? 1 : 2);
          seen.set(1, v.get());
          v.addAndGet(10);
        });
        assertTrue(p.join(LONG));
        assertEquals(OptionalInt.of(0), p.exitCode());
      } finally {
        lock.unlock();
      }
      assertEquals(2, seen.get(0), "the child's tryLock must fail while the parent holds the lock");
      assertEquals(7, seen.get(1), "the child must read the parent's value");
      assertEquals(17, v.get(), "the parent must see the child's update");
    }
  }

  @Test
  void capturedHandlesReopenInAWarmSpare() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 0);
      IpcLock lock = ipc.lock("v-lock");
      IpcProcess.Builder b = IpcProcess.builder().warmSpare(true);
      assertTrue(b.awaitWarmSpare(LONG));
      for (int round = 1; round <= 2; round++) {
        IpcProcess p = b.start(() -> {
          for (int i = 0; i < 1000; i++) {
            lock.lock();
            try {
              v.set(v.get() + 1);
            } finally {
              lock.unlock();
            }
          }
        });
        assertTrue(p.join(LONG));
        assertEquals(OptionalInt.of(0), p.exitCode());
        assertEquals(1000L * round, v.get());
      }
    }
  }

  @Test
  void twentyChildrenStartedAtOnceAllFinish() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("count", 0);
      SharedLongArray byChild = ipc.longArray("by-child", 20);
      List<IpcProcess> children = new ArrayList<>();
      try {
        for (int c = 0; c < 20; c++) {
          int me = c;
          children.add(IpcProcess.builder().jvmOptions("-Xmx32m").start(() -> {
            for (int i = 0; i < 1000; i++) {
              v.incrementAndGet();
            }
            byChild.set(me, ProcessHandle.current().pid());
          }));
        }
        for (IpcProcess p : children) {
          assertTrue(p.join(LONG), () -> p + " did not finish");
          assertEquals(OptionalInt.of(0), p.exitCode(), p::toString);
        }
      } finally {
        children.forEach(IpcProcess::kill);
      }
      assertEquals(20_000, v.get());
      for (int c = 0; c < 20; c++) {
        assertEquals(children.get(c).pid(), byChild.get(c), "child " + c);
      }
    }
  }

  @Test
  void tasksOfEveryFormRunInTheChild() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 0);
      IpcQueue<String> text = ipc.queue("text", 4, Codec.string());
      IpcQueue<Serializable> objects = ipc.queue("objects", 4, Codec.serializable());
      IpcQueue<Long> custom = ipc.queue("custom", 4, new QueueCodecs.Longs());
      List<Integer> list = List.of(1, 2, 3);
      String greeting = "hello from " + v.name();

      Task methodRef = v::incrementAndGet;                          // bound to a handle: no serialization
      Task lambda = () -> {                                         // handles with built-in codecs and a string
        text.put(greeting);
        objects.put(42L);
      };
      Task capturesAList = () -> v.addAndGet(list.stream().mapToInt(Integer::intValue).sum());
      Task customCodec = () -> custom.put(7L);
      assertNotNull(DirectTask.encode(methodRef));
      assertNotNull(DirectTask.encode(lambda));
      assertNull(DirectTask.encode(capturesAList), "a captured list travels as Java serialization");
      assertNull(DirectTask.encode(customCodec), "a handle with a user codec travels as Java serialization");

      for (Task t : List.of(methodRef, lambda, capturesAList, customCodec)) {
        IpcProcess p = IpcProcess.start(t);
        assertTrue(p.join(LONG), () -> p + " did not finish");
        assertEquals(OptionalInt.of(0), p.exitCode(), p::toString);
      }
      assertEquals(1 + 6, v.get());
      IpcProcess backend = IpcProcess.start(() -> v.set(
          ShmBackend.class.getName().equals(System.getProperty(Ipc.BACKEND_PROPERTY)) ? 100 : -100));
      assertTrue(backend.join(LONG));
      assertEquals(100, v.get(), "the child must be told its parent's backend");
      SharedLong alias = v;
      IpcProcess same = IpcProcess.start(() -> alias.set(alias == v ? 200 : -200));
      assertTrue(same.join(LONG));
      assertEquals(200, v.get(), "a handle captured twice must arrive as one object");
      assertEquals(greeting, text.poll());
      assertEquals(42L, objects.poll());
      assertEquals(7L, custom.poll());
    }
  }
}
