package dev.ipckit.shm.slab;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.format.MapLimit;
import dev.ipckit.testkit.Children;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits, lowered for the test in a child JVM: the library's cap on a namespace's small objects and on the
 * JVM's mappings. Reaching either is an IpcException that names it, and the JVM carries on; the child exits 0 only
 * when everything it checks holds (it throws, and exits 1 with the reason on its stderr, otherwise).
 */
@Tag("process")
class LimitTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  @RegisterExtension
  final Children children = new Children();

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  @Test
  void theObjectCapIsAnIpcExceptionAndRemovingMakesRoom() throws Exception {
    IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-D" + SlabLayout.MAX_OBJECTS_PROPERTY
        + "=1000"), () -> {
          try (Ipc ipc = Ipc.temp()) {
            for (int i = 0; i < 1000; i++) {
              ipc.sharedLong("v" + i, i).close();
            }
            try {
              ipc.lock("one-more");
              throw new AssertionError("the 1001st object was made");
            } catch (IpcException e) {
              check(e.getMessage().equals("cannot create lock \"one-more\" in " + ipc.dir() + ": the namespace holds"
                  + " 1000 small objects, the limit (system property ipckit.maxObjects) is 1000"), e.getMessage());
            }
            check(ipc.sharedLong("v5", 0).get() == 5, "the others are intact");
            check(ipc.remove("v7"), "v7 removed");
            ipc.lock("one-more").lock();          // alone in the namespace: the removed slot is reused
          }
        });
    Children.assertExitsOk(child, RUN);
  }

  @Test
  void theMappingLimitIsAnIpcExceptionAndTheJvmLivesOn() throws Exception {
    IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-D" + MapLimit.PROPERTY + "=64"), () -> {
      fillToTheLimit();
      // the closed namespace's mappings are released at a GC, which reaching the limit asks for
      try (Ipc ipc = Ipc.temp()) {
        for (int i = 0; i < 40; i++) {
          ipc.sharedLong(LONG_NAME + i, i);
        }
      }
    });
    Children.assertExitsOk(child, RUN);
  }

  private static final String LONG_NAME = "a-name-too-long-for-a-slab-slot-so-a-file-of-its-own-";

  /** Makes objects with files of their own until the limit refuses one; returns with nothing of them reachable. */
  private static void fillToTheLimit() {
    int made = 0;
    try (Ipc ipc = Ipc.temp()) {
      Path dir = ipc.dir();
      SharedLong small = ipc.sharedLong("small", 0);   // maps the slab
      try {
        for (; made < 1000; made++) {
          ipc.sharedLong(LONG_NAME + made, made);
        }
        throw new AssertionError("1000 mappings were made under a limit of 64");
      } catch (IpcException e) {
        check(e.getMessage().startsWith("cannot map " + dir.resolve(LONG_NAME + made) + ": this JVM already holds"),
            e.getMessage());
        check(e.getMessage().contains("the limit (" + MapLimit.PROPERTY + ") is 64"), e.getMessage());
      }
      check(made > 40 && made < 64, made + " made");
      SharedLong first = ipc.sharedLong(LONG_NAME + 0, -1);
      check(first.get() == 0, "the objects made are intact");
      check(small.incrementAndGet() == 1, "the slab, mapped before, still works");
      check(ipc.sharedLong("small2", 5).get() == 5, "and takes new small objects without a mapping");
    }
  }
}
