package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void twoChildrenIncrement() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 0);
      IpcLock lock = ipc.lock("l");
      IpcProcess a = IpcProcess.start(() -> { for (int i = 0; i < 1_000_000; i++) { lock.lock(); v.set(v.get() + 1); lock.unlock(); } });
      IpcProcess b = IpcProcess.start(() -> { for (int i = 0; i < 1_000_000; i++) { lock.lock(); v.set(v.get() + 1); lock.unlock(); } });
      assertTrue(a.join(Duration.ofSeconds(60)));
      assertTrue(b.join(Duration.ofSeconds(60)));
      assertEquals(0, a.exitCode().getAsInt());
      assertEquals(0, b.exitCode().getAsInt());
      assertEquals(2_000_000, v.get());
    }
  }
}
