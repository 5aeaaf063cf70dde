package dev.ipckit.shm.liveness;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Await.value;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.Mounts;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing the holder's own JVM does to the namespace's files, short of opening its own liveness file, makes it look
 * dead to others: a lock it holds stays held.
 */
@Tag("process")
class LivenessTest {
  @RegisterExtension
  final Children kit = new Children();

  /** Every namespace file but the liveness files: what a careless user might read. */
  static List<Path> ordinaryFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(Registry.LIVE_PREFIX))
          .filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }

  /**
   * A child holds the lock, runs {@code meddle} against its own namespace, and keeps holding; this process must
   * still find the lock held by a live process, and the child's unlock must still be its own.
   */
  private void holderMeddles(Ipc ipc, IpcLock lock, Meddle meddle) throws Exception {
    SharedInt held = ipc.sharedInt("held", 0);
    SharedInt release = ipc.sharedInt("release", 0);
    String dir = ipc.dir().toString();
    IpcProcess child = kit.start(() -> {
      lock.lock();
      meddle.run(Path.of(dir));
      held.set(1);
      until("the parent's release", START, () -> release.get() == 1);
      lock.unlock();                               // throws if the lock was taken from this live process
    });
    value(held, 1, START);
    assertTrue(lock.isLocked(), "the holder is alive");
    assertFalse(lock.tryLock(), "a live holder's lock is never taken over");
    release.set(1);
    assertExitsOk(child, START);
    assertTrue(lock.tryLock(), "free once released");
    assertFalse(lock.ownerDied(), "released cleanly, not taken over");
    lock.unlock();
  }

  /** What the holder does to its own namespace while it holds the lock; travels with the child's task. */
  interface Meddle extends java.io.Serializable {
    void run(Path dir) throws Exception;
  }

  @ParameterizedTest
  @EnumSource(value = LockKind.class, names = {"LOCK", "RLOCK"})
  void aHolderThatReadsEveryNamespaceFileStaysAlive(LockKind kind) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      holderMeddles(ipc, kind.open(ipc, "L"), dir -> {
        for (Path p : ordinaryFiles(dir)) {
          Files.readAllBytes(p);                   // opens and closes every file, the registry included
        }
      });
    }
  }

  @Test
  void aHandleNamingTheRegistryIsRefusedWithoutTouchingIt() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      holderMeddles(ipc, ipc.lock("L"), dir -> {
        for (String name : new String[] {".registry", "../x", "a/b", ".live-0-1"}) {
          HandleRef ref = new HandleRef(dir.toString(), "LONG", name, 0, false, null);
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ref);
          }
          try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.readObject();
            throw new AssertionError("a handle named " + name + " was reopened");
          } catch (IpcException expected) {
            if (!expected.getMessage().contains("refused")) {
              throw expected;
            }
          }
        }
      });
    }
  }

  @Test
  void aSecondInstanceAndReopenedHandlesOfTheSameFileLockNeverDropIt() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcLock lock = ipc.fileLock("F");
      holderMeddles(ipc, lock, dir -> {
        try (Ipc again = Ipc.open(dir)) {          // the same namespace again in this JVM: one channel per file
          IpcLock same = again.fileLock("F");
          if (!same.isLocked()) {
            throw new AssertionError("held");
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(same);
          }
          try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ((IpcLock) in.readObject()).isLocked();
          }
        }                                          // closing the second instance keeps the first one's channel
      });
    }
  }

  @Test
  void aTokenOfThisJvmIsAnsweredWithoutOpeningItsLivenessFile() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Registry r = NamespaceTestKit.registryOf(ipc);
      Path live;
      try (Stream<Path> s = Files.list(ipc.dir())) {
        live = s.filter(p -> p.getFileName().toString().startsWith(Registry.LIVE_PREFIX)).findFirst().orElseThrow();
      }
      long before = Files.getLastModifiedTime(live).toMillis();
      for (int i = 0; i < 1000; i++) {
        assertTrue(r.isAlive(r.token()));
      }
      assertTrue(Files.exists(live) && Files.getLastModifiedTime(live).toMillis() == before);
      SharedLong other = ipc.sharedLong("t", 0);
      long mine = r.token();
      IpcProcess child = kit.start(() -> other.set(((dev.ipckit.shm.core.ShmHandle) other).ns.liveness().isAlive(
          mine) ? 1 : 2));
      assertExitsOk(child, START);
      assertEquals(1, other.get(), "another process sees this one alive");
    }
  }

  @Test
  void aNamespaceOfAnOlderLayoutIsRefusedNamingBothVersions() throws Exception {
    try (Ipc scratch = Ipc.temp()) {
      Path dir = scratch.dir().resolve("old");
      try (Ipc made = Ipc.open(dir)) {
        made.sharedLong("v", 1);
      }
      try (FileChannel ch = FileChannel.open(dir.resolve(Registry.FILE_NAME), StandardOpenOption.WRITE)) {
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1);
        ch.write(one, FileHeader.VERSION_OFFSET);
      }
      IpcException e = assertThrows(IpcException.class, () -> Ipc.open(dir));
      assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("version "
          + FileHeader.LAYOUT_VERSION), e.getMessage());
    }
  }

  @Test
  void theSameDirectoryThroughABindMountIsOneNamespaceAndKeepsItsLiveness() throws Exception {
    try (Ipc scratch = Ipc.temp()) {
      Path real = Files.createDirectory(scratch.dir().resolve("real"));
      Path bound = Files.createDirectory(scratch.dir().resolve("bound"));
      Mounts.mount("a bind mount", "--bind", real.toString(), bound.toString());
      try {
        try (Ipc a = Ipc.open(real.resolve("ns")); Ipc b = Ipc.open(bound.resolve("ns"))) {
          assertEquals(NamespaceTestKit.registryOf(a).token(), NamespaceTestKit.registryOf(b).token(),
              "one process identity for one directory, whatever the path");
          a.sharedLong("v", 0).set(7);
          assertEquals(7, b.sharedLong("v", 0).get());
          IpcLock lock = a.lock("L");
          lock.lock();
          try {
            SharedInt seen = a.sharedInt("seen", 0);
            IpcLock other = b.lock("L");
            IpcProcess child = kit.start(() -> seen.set(other.tryLock() ? 2 : 1));
            assertExitsOk(child, START);
            assertEquals(1, seen.get(), "another process finds the lock held by this live process");
          } finally {
            lock.unlock();
          }
        }
      } finally {
        Mounts.unmount(bound);
      }
    }
  }
}
