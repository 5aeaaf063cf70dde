package dev.ipckit.kv;

import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import dev.ipckit.Task;
import dev.ipckit.internal.task.DirectTask;
import dev.ipckit.shm.ShmBackend;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import dev.ipckit.testkit.Children;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task that captures a handle of a local queue and handles of a kv namespace reopens each in a real child JVM
 * through the backend of its location's scheme: the parent's file: backend (named in the task frame) for the
 * queue, the kv backend (found on the class path by scheme) for the others.
 */
@Tag("process")
class TwoBackendsProcessTest {
  @RegisterExtension
  final Children children = new Children();

  private final URI store = URI.create("kv://p" + ProcessHandle.current().pid() + "-" + System.nanoTime());

  @AfterEach
  void removeStore() throws Exception {
    KvBackend.delete(store);
  }

  /** In the child: counts under the kv lock, then reports which namespace class served each handle. */
  static void countAndReport(IpcQueue<String> report, SharedLong count, IpcLock lock) throws InterruptedException {
    lock.lock();
    try {
      count.incrementAndGet();
    } finally {
      lock.unlock();
    }
    report.put(servedBy(report) + " " + servedBy(count) + " " + servedBy(lock) + " hint="
        + System.getProperty(Ipc.BACKEND_PROPERTY));
  }

  private static String servedBy(Object handle) {
    URI location = ((Handle) handle).handleRef().location();
    return Locations.scheme(location) + ":" + Ipc.attach(location).namespace().getClass().getSimpleName() + "/"
        + handle.getClass().getSimpleName();
  }

  @Test
  void aChildReopensEachHandleThroughTheBackendOfItsScheme() throws Exception {
    try (Ipc local = Ipc.temp(); Ipc kv = Ipc.open(store)) {
      IpcQueue<String> report = local.queue("report", 4, Codec.string());
      SharedLong count = kv.sharedLong("count", 40);
      IpcLock lock = kv.lock("count-lock");
      List<String> via = List.of("Java serialization");

      Task direct = () -> countAndReport(report, count, lock);
      Task serialized = () -> countAndReport(report, count, via.size() == 1 ? lock : null);
      assertNotNull(DirectTask.encode(direct), "handles only: the direct form");
      assertNull(DirectTask.encode(serialized), "a captured list: Java serialization, HandleRef.readResolve");

      for (Task t : List.of(direct, serialized)) {
        assertExitsOk(children.start(t), Children.RUN);
        assertEquals("file:ShmNamespace/ShmQueue kv:KvNamespace/KvLong kv:KvNamespace/KvLock hint="
            + ShmBackend.class.getName(), report.poll(10, TimeUnit.SECONDS));
      }
      assertEquals(42, count.get(), "both children counted in the kv store");
      assertEquals(HandleRef.FORMAT_VERSION, ((Handle) count).handleRef().version());
    }
  }
}
