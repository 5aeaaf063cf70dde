package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IpcProcess#current()}, {@link IpcProcess#parent()} and {@link IpcProcess#activeChildren()}: Python's
 * {@code current_process()}, {@code parent_process()} and {@code active_children()}.
 */
@Tag("process")
class ProcessIdentityTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void theParentIsTheMainProcessAndHasNoParent() {
    IpcProcess.Current me = IpcProcess.current();
    assertEquals("MainProcess", me.name());
    assertEquals(ProcessHandle.current().pid(), me.pid());
    assertFalse(me.child());
    assertFalse(me.daemon());
    assertTrue(IpcProcess.parent().isEmpty());
  }

  @Test
  void aChildKnowsItsNameItsParentAndWhetherItIsADaemon() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedLong pid = ipc.sharedLong("pid", 0);
      SharedLong parent = ipc.sharedLong("parent", 0);
      SharedLong flags = ipc.sharedLong("flags", -1);
      IpcEvent release = ipc.event("release");
      IpcProcess p = IpcProcess.builder().name("worker-7").daemon(true).start(() -> {
        IpcProcess.Current me = IpcProcess.current();
        pid.set(me.pid());
        parent.set(IpcProcess.parent().map(ProcessHandle::pid).orElse(-1L));
        flags.set((me.child() ? 1 : 0) | (me.daemon() ? 2 : 0) | (me.name().equals("worker-7") ? 4 : 0));
        release.await();
      });
      try {
        Await.until("the child reported", WAIT, () -> flags.get() >= 0);
        assertEquals(7, flags.get(), "child, daemon, named worker-7");
        assertEquals(p.pid(), pid.get());
        assertEquals(ProcessHandle.current().pid(), parent.get());
        assertTrue(IpcProcess.activeChildren().contains(p), "running: " + IpcProcess.activeChildren());
        release.set();
        assertTrue(p.join(WAIT));
        assertEquals(0, p.exitCode().orElseThrow());
        Await.until("the exited child leaves the list", WAIT, () -> !IpcProcess.activeChildren().contains(p));
      } finally {
        p.kill();
      }
    }
  }
}
