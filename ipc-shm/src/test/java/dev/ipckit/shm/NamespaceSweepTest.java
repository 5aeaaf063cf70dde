package dev.ipckit.shm;

import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.core.TempNamespaces;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Ipc.temp()} sweeps the temporary namespaces whose processes are all gone. A namespace younger than
 * {@link TempNamespaces#MIN_AGE_MILLIS} is left alone (its creator may not have joined it yet); the tests age one
 * by setting its modification times back instead of waiting.
 */
@Tag("crash")
class NamespaceSweepTest {
  @RegisterExtension
  final Children children = new Children();

  /** Makes {@code dir} and its registry look {@code MIN_AGE_MILLIS} + 60 s old. */
  private static void age(Path dir) throws IOException {
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - TempNamespaces.MIN_AGE_MILLIS - 60_000);
    Files.setLastModifiedTime(dir, old);
    Path reg = dir.resolve(Registry.FILE_NAME);
    if (Files.exists(reg)) {
      Files.setLastModifiedTime(reg, old);
    }
  }

  /** A child that makes its own temporary namespace, reports where, and waits to be killed. */
  private IpcProcess childWithTemp(Path report, SharedInt ready) {
    String out = report.toString();
    return children.start(() -> {
      Ipc own = Ipc.temp();
      own.sharedLong("v", 1);
      own.lock("l").lock();
      Files.writeString(Path.of(out), own.dir().toString());
      ready.set(1);
      new CountDownLatch(1).await();
    });
  }

  @Test
  void aNamespaceWhoseCreatorWasKilledIsSweptOnceOldEnough() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedInt ready = ipc.sharedInt("ready", 0);
      IpcProcess child = childWithTemp(ipc.dir().resolve("report"), ready);
      Await.value(ready, 1, START);
      Path dead = Path.of(Files.readString(ipc.dir().resolve("report")));
      assertTrue(Files.isDirectory(dead));
      Crash.kill(child);

      Ipc.temp().close(); // sweeps, but the dead namespace is too young
      assertTrue(Files.isDirectory(dead), "younger than " + TempNamespaces.MIN_AGE_MILLIS + " ms: kept");

      age(dead);
      Ipc.temp().close();
      assertFalse(Files.exists(dead), "swept: its only process was SIGKILLed");
    }
  }

  @Test
  void aLiveNamespaceIsNeverSwept() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedInt ready = ipc.sharedInt("ready", 0);
      IpcProcess child = childWithTemp(ipc.dir().resolve("report"), ready);
      Await.value(ready, 1, START);
      Path live = Path.of(Files.readString(ipc.dir().resolve("report")));
      age(live);
      Ipc.temp().close();
      assertTrue(Files.isDirectory(live), "its creator is alive");
      assertTrue(child.isAlive());
      Crash.kill(child);
      Ipc.temp().close();
      assertFalse(Files.exists(live), "swept once its creator is gone");
    }
  }

  /**
   * The sweeper never probes a namespace this JVM has open: opening and closing a channel on its registry
   * would drop this JVM's kernel lock on its slot, and other processes would think it dead.
   */
  @Test
  void theSweeperLeavesThisJvmsOwnNamespacesAndTheirSlotLocksAlone() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong token = ipc.sharedLong("token", NamespaceTestKit.registryOf(ipc).token());
      // aged by another process: setting a file's times from this JVM opens and closes the file, and closing any
      // descriptor of the registry drops this JVM's kernel lock on its slot (POSIX record-lock semantics)
      String dir = ipc.dir().toString();
      assertExitsOk(children.start(() -> age(Path.of(dir))), START);
      Ipc.temp().close();
      assertTrue(Files.isDirectory(ipc.dir()), "not swept: open here");
      SharedInt alive = ipc.sharedInt("alive", -1);
      IpcProcess child = children.start(() -> alive.set(((ShmHandle) token).ns.liveness().isAlive(token.get()) ? 1 : 0));
      assertExitsOk(child, START);
      assertEquals(1, alive.get(), "another process still sees this JVM alive in the namespace");
    }
  }

  @Test
  void aNamespaceWhoseCreatorDiedBeforeJoiningItIsSwept() throws IOException {
    Path orphan = TempNamespaces.create(p -> false); // made with its marker, but nobody ever joins its registry
    try {
      Ipc.temp().close();
      assertTrue(Files.isDirectory(orphan), "too young to judge");
      age(orphan);
      Ipc.temp().close();
      assertFalse(Files.exists(orphan), "no registry and old: its creator never got to join it");
    } finally {
      TempNamespaces.delete(orphan);
    }
  }

  @Test
  void aDirectoryWithoutTheMarkerIsNeverSwept() throws IOException {
    Path base = TempNamespaces.base();
    Path unmarked = Files.createDirectory(base.resolve(TempNamespaces.PREFIX + "0-test" + System.nanoTime()),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      age(unmarked);
      Ipc.temp().close();
      assertTrue(Files.isDirectory(unmarked), "old and empty, but not provably made by ipckit: kept");
    } finally {
      TempNamespaces.delete(unmarked);
    }
  }

  @Test
  void onlyNamespaceDirectoriesAreSwept() throws IOException {
    Path base = TempNamespaces.base();
    Path other = Files.createDirectory(base.resolve("not-a-namespace-" + System.nanoTime()));
    try {
      age(other);
      Ipc.temp().close();
      assertTrue(Files.isDirectory(other), "a name without the " + TempNamespaces.PREFIX + " prefix is not ours");
    } finally {
      TempNamespaces.delete(other);
    }
  }
}
