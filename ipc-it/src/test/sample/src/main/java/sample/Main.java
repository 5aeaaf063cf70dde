package sample;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pool;
import dev.ipckit.SerializableCallable;
import dev.ipckit.SharedLong;
import java.time.Duration;
import java.util.List;

/**
 * Starts a child process that adds to a shared value and a pool of two workers that run a lambda and a task class
 * of this program, then prints one line with what they computed ({@code OK v=40 map=[1, 4, 9] cube=27}).
 */
public class Main {
  public static void main(String[] args) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      SharedLong v = ipc.sharedLong("v", 0);
      IpcProcess p = IpcProcess.start(() -> v.addAndGet(40));
      if (!p.join(Duration.ofSeconds(60))) {
        p.kill();
        throw new IllegalStateException(p + " did not end within 60 s");
      }
      if (p.exitCode().orElse(-1) != 0) {
        throw new IllegalStateException(p + " failed; its standard error says why");
      }
      try (Pool pool = Pool.builder().processes(2).build()) {
        List<Integer> map = pool.map(x -> x * x, List.of(1, 2, 3));
        int cube = pool.apply(new Cube(3));
        System.out.println("OK v=" + v.get() + " map=" + map + " cube=" + cube);
      }
    }
  }

  /** A task class of this program: a worker has to load it to run it. */
  static final class Cube implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;

    private final int x;

    Cube(int x) {
      this.x = x;
    }

    @Override
    public Integer call() {
      return x * x * x;
    }
  }
}
