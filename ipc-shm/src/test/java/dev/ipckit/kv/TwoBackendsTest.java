package dev.ipckit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.ShmBackend;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two backends on one class path: the location's scheme picks one; file: locations are directories. */
@Tag("unit")
class TwoBackendsTest {
  private final URI store = URI.create("kv://t" + ProcessHandle.current().pid() + "-" + System.nanoTime());

  @AfterEach
  void removeStore() throws Exception {
    KvBackend.delete(store);
  }

  @Test
  void aFileLocationIsTheDirectory(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ns");
    try (Ipc byPath = Ipc.open(dir); Ipc byUri = Ipc.open(Locations.of(dir))) {
      assertEquals(byPath.dir(), byUri.dir());
      assertEquals(Locations.of(byPath.dir()), byUri.location());
      assertEquals("file", byUri.location().getScheme());
      byPath.sharedLong("v", 7);
      assertEquals(7, byUri.sharedLong("v", 0).get(), "one namespace, two ways to name it");
      assertEquals("Ipc[" + byUri.location() + "]", byUri.toString());
      assertTrue(byUri.namespace().getClass().getName().startsWith("dev.ipckit.shm."));
    }
    try (Ipc temp = Ipc.temp()) {
      assertEquals("file", temp.location().getScheme(), "temp() stays local");
    }
  }

  @Test
  void aKvLocationGoesToTheKvBackend() throws Exception {
    try (Ipc ipc = Ipc.open(store)) {
      assertEquals(store, ipc.location());
      assertTrue(ipc.namespace() instanceof KvNamespace, ipc.namespace().toString());
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, ipc::dir);
      assertTrue(e.getMessage().contains(store.toString()) && e.getMessage().contains("location()"),
          e.getMessage());
      SharedLong v = ipc.sharedLong("v", 41);
      assertEquals(42, v.incrementAndGet());
      HandleRef ref = ((Handle) v).handleRef();
      assertEquals(store, ref.location());
      assertEquals(HandleRef.FORMAT_VERSION, ref.version());
      assertThrows(UnsupportedOperationException.class, ref::dir);
      assertEquals("Ipc[" + store + "]", ipc.toString());
      assertEquals("SharedLong[\"v\" in " + store + "]", v.toString());
    }
  }

  @Test
  void handlesOfBothBackendsRoundTripEachToItsOwn() throws Exception {
    try (Ipc local = Ipc.temp(); Ipc kv = Ipc.open(store)) {
      SharedLong a = local.sharedLong("a", 1);
      SharedLong b = kv.sharedLong("b", 2);
      IpcLock l = kv.lock("l");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(new Object[] {a, b, l});
      }
      Object[] back;
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        back = (Object[]) in.readObject();
      }
      assertTrue(back[0].getClass().getName().startsWith("dev.ipckit.shm."), back[0].getClass().getName());
      assertTrue(back[1] instanceof KvLong && back[2] instanceof KvLock);
      ((SharedLong) back[0]).addAndGet(10);
      ((SharedLong) back[1]).addAndGet(20);
      assertEquals(11, a.get());
      assertEquals(22, b.get());
      assertTrue(((IpcLock) back[2]).tryLock());
      assertTrue(l.isLocked(), "one lock, two handles");
      ((IpcLock) back[2]).unlock();
    }
  }

  @Test
  void kindsTheKvBackendDoesNotImplementSayWhichBackendAndKind() {
    try (Ipc ipc = Ipc.open(store)) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> ipc.byteArray("x", 3));
      assertEquals("the ipckit backend of " + store + " (" + KvNamespace.class.getName() + ") does not implement"
          + " byteArray", e.getMessage());
      e = assertThrows(UnsupportedOperationException.class, () -> ipc.intArray("x", new int[] {1}));
      assertTrue(e.getMessage().endsWith("does not implement intArray(name, int[])"), e.getMessage());
      e = assertThrows(UnsupportedOperationException.class, () -> ipc.buffer("x", 8));
      assertTrue(e.getMessage().endsWith("does not implement buffer"), e.getMessage());
    }
  }

  @Test
  void namesAndRemoveGoThroughTheSpi() {
    try (Ipc ipc = Ipc.open(store)) {
      ipc.sharedLong("b", 1);
      IpcLock l = ipc.lock("a");
      l.lock();
      assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(ipc.names()), "the held marker is no name");
      assertThrows(IllegalStateException.class, () -> ipc.remove("a"));
      l.unlock();
      assertTrue(ipc.remove("a"));
      assertFalse(ipc.remove("a"));
      assertEquals(java.util.Set.of("b"), ipc.names());
    }
  }

  @Test
  void aLocationWithCredentialsIsRefusedAndNeverShown() {
    URI secret = URI.create("kv://bob:hunter2@" + store.getHost());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.open(secret));
    assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("bob"), e.getMessage());
    assertTrue(e.getMessage().contains(store.toString()), "the location is shown without user info: "
        + e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ipc.attach(secret));
    assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("file://bob:hunter2@/dev/shm/x")), "not for file: either");
  }

  @Test
  void theShmBackendServesFile() {
    assertEquals(java.util.Set.of("file"), new ShmBackend().schemes());
    assertEquals(java.util.Set.of("kv"), new KvBackend().schemes());
  }
}
