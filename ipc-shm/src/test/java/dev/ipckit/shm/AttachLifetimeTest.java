package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.SharedLong;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Namespaces attached for handles that arrive from other JVMs: they do not keep every handle ever received, and
 * they are released once their directory is gone and their handles are unreachable.
 */
class AttachLifetimeTest {
  /** Collects garbage until {@code done} holds or 20 s pass; weak references need a collection to clear. */
  private static boolean collectUntil(BooleanSupplier done) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      System.gc();
      byte[][] churn = new byte[64][];
      for (int i = 0; i < churn.length; i++) {
        churn[i] = new byte[16 * 1024];       // some allocation between collections
      }
    }
    return true;
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
    assertTrue(ShmNamespace.isOpenHere(firstDir), "nothing has released it yet");

    try (Ipc second = Ipc.temp()) {
      HandleRef other = refOf(second.sharedLong("w", 2));
      assertEquals(2, ((SharedLong) other.reopen()).get()); // attaching another namespace releases the first
      assertFalse(ShmNamespace.isOpenHere(firstDir), "the gone namespace's mappings and registry slot are released");
      assertTrue(ShmNamespace.isOpenHere(second.dir()));
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
      assertTrue(ShmNamespace.isOpenHere(firstDir), "a handle still held here keeps its namespace");
      assertEquals(3, received.get(), "and keeps working on its mapping");
    }
  }
}
