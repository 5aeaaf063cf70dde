package dev.ipckit.shm.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.Children;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM started with a bad tuning property gets an IllegalArgumentException naming it where the property is first
 * used, and stays usable: never an ExceptionInInitializerError that leaves a class dead for the JVM's life.
 */
@Tag("process")
class TuningProcessTest {
  @RegisterExtension
  final Children children = new Children();

  @ParameterizedTest
  @ValueSource(strings = {"ipckit.queue.spinsPerYield=0", "ipckit.queue.maxSpinMicros=-5", "ipckit.spins=lots",
      "ipckit.idleParkMicros=0", "ipckit.bell=maybe"})
  void aBadPropertyIsAnIllegalArgumentExceptionNamingItAtFirstUse(String setting) throws Exception {
    String property = setting.substring(0, setting.indexOf('='));
    IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-D" + setting), () -> {
      for (int attempt = 0; attempt < 2; attempt++) {          // the second use fails the same way
        try (Ipc ipc = Ipc.temp()) {
          IpcQueue<String> q = ipc.queue("q", 1, Codec.string());
          IpcLock lock = ipc.lock("l");
          Thread holder = new Thread(lock::lock);
          holder.start();
          holder.join();
          q.poll(20, TimeUnit.MILLISECONDS);                   // a wait: spins, yields, parks, announces
          lock.tryLock(20, TimeUnit.MILLISECONDS);
          System.exit(2);                                      // the bad value went unnoticed
        } catch (IllegalArgumentException e) {
          if (!e.getMessage().contains(property)) {
            e.printStackTrace();
            System.exit(3);
          }
        }
      }
    });
    Children.assertExitsOk(child, Duration.ofSeconds(60));
    assertEquals(0, child.exitCode().getAsInt());
  }
}
