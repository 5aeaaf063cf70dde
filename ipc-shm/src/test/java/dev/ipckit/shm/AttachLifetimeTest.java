package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespaces attached for handles that arrive from other JVMs: they do not keep every handle ever received, and
 * they are released once their directory is gone and their handles are unreachable. A directory removed and made
 * again is a new namespace, for those opening it and for handles arriving for it.
 */
@Tag("process")
class AttachLifetimeTest {
  /** Collects garbage until {@code done} holds or 20 s pass; weak references need a collection to clear. */
  private static boolean collectUntil(BooleanSupplier done) {
    return Await.within(Duration.ofSeconds(20), () -> {
      if (done.getAsBoolean()) {
        return true;
      }
      System.gc();
      byte[][] churn = new byte[64][];
      for (int i = 0; i < churn.length; i++) {
        churn[i] = new byte[16 * 1024];       // some allocation between collections
      }
      return false;
    });
  }

  private static HandleRef refOf(Object handle) {
    return ((Handle) handle).handleRef();
  }

  @Test
  void receivingTheSameHandleManyTimesKeepsOnlyTheReachableOnes() {
    try (Ipc ipc = Ipc.temp()) {
      HandleRef ref = refOf(ipc.sharedLong("v", 5));
      long sum = 0;
      for (int i = 0; i < 20_000; i++) {
        sum += ((SharedLong) ref.reopen()).get();   // what a pool worker does for every task that captures v
      }
      assertEquals(100_000, sum);
      ShmNamespace attached = (ShmNamespace) Ipc.attach(ipc.dir()).namespace();
      SharedLong kept = (SharedLong) ref.reopen();
      assertTrue(collectUntil(() -> attached.tracked() <= 1),
          "the attached namespace still tracks " + attached.tracked() + " handles");
      assertTrue(attached.inUse(), "a reachable handle keeps it in use");
      assertEquals(5, kept.get());
    }
  }

  @Test
  void anAttachedNamespaceIsReleasedOnceItsDirectoryIsGoneAndItsHandlesUnreachable() {
    Ipc first = Ipc.temp();
    Path firstDir = first.dir();
    HandleRef ref = refOf(first.sharedLong("v", 1));
    assertEquals(1, ((SharedLong) ref.reopen()).get());     // attached, handle dropped at once
    ShmNamespace attached = (ShmNamespace) Ipc.attach(firstDir).namespace();
    first.close();                                          // the owner removes the directory
    assertTrue(collectUntil(() -> !attached.inUse()), "the dropped handle must become unreachable");
    assertTrue(Cores.isOpenHere(firstDir), "nothing has released it yet");

    try (Ipc second = Ipc.temp()) {
      HandleRef other = refOf(second.sharedLong("w", 2));
      assertEquals(2, ((SharedLong) other.reopen()).get()); // attaching another namespace releases the first
      assertFalse(Cores.isOpenHere(firstDir), "the gone namespace's mappings and registry slot are released");
      assertTrue(Cores.isOpenHere(second.dir()));
    }
    IpcException e = assertThrows(IpcException.class, ref::reopen);
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void anAttachedNamespaceInUseIsKeptAfterItsDirectoryIsGone() {
    Ipc first = Ipc.temp();
    SharedLong received = (SharedLong) refOf(first.sharedLong("v", 3)).reopen();
    Path firstDir = first.dir();
    first.close();
    try (Ipc second = Ipc.temp()) {
      refOf(second.sharedLong("w", 0)).reopen();
      assertTrue(Cores.isOpenHere(firstDir), "a handle still held here keeps its namespace");
      assertEquals(3, received.get(), "and keeps working on its mapping");
    }
  }

  /** What {@code rm -rf dir} does behind the JVM's back. */
  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aDirectoryRemovedAndMadeAgainIsANewNamespace(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ns");
    Ipc old = Ipc.open(dir);
    SharedLong oldV = old.sharedLong("v", 1);
    removeTree(dir);
    try (Ipc fresh = Ipc.open(dir)) {
      SharedLong v = fresh.sharedLong("v", 7);
      assertEquals(7, v.get(), "a new namespace at the same path, not the old mapping");
      assertTrue(fresh.names().contains("v"), "the object exists in the new directory");
      IpcProcess child = IpcProcess.start(() -> v.set(v.get() * 2));
      assertTrue(child.join(Duration.ofSeconds(60)));
      assertEquals(0, child.exitCode().getAsInt());
      assertEquals(14, v.get(), "another process shares the new object");
      assertEquals(1, oldV.get(), "the old handle keeps its own (removed) memory");
      old.close();                                        // closing the old core leaves the new one alone
      assertTrue(Cores.isOpenHere(dir.toRealPath()));
      assertEquals(14, v.get());
    }
  }

  @Test
  void aHandleArrivingForARecreatedDirectoryOpensTheNewObject(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ns");
    try (Ipc old = Ipc.open(dir)) {
      HandleRef ref = refOf(old.sharedLong("v", 1));
      SharedLong received = (SharedLong) ref.reopen();    // attached to the old directory
      assertEquals(1, received.get());
      removeTree(dir);
      try (Ipc fresh = Ipc.open(dir)) {
        HandleRef again = refOf(fresh.sharedLong("v", 7));
        assertEquals(ref, again, "the same name in the same place");
        assertEquals(7, ((SharedLong) again.reopen()).get(), "must open the new object, not the old mapping");
        assertEquals(1, received.get());
      }
    }
  }
}
