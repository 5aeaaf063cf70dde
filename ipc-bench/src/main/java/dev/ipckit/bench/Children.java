package dev.ipckit.bench;

import dev.ipckit.IpcProcess;
import java.time.Duration;

/** What the benchmarks do with the child processes they start. */
final class Children {
  private Children() {
  }

  /** Waits up to 30 s for a child that was told to stop, then kills it if it has not. */
  static void awaitExit(IpcProcess child) throws InterruptedException {
    if (!child.join(Duration.ofSeconds(30))) {
      child.kill();
    }
  }
}
