package dev.ipckit;

import dev.ipckit.internal.process.SparePool;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A parent JVM for tests that must read a parent's output or kill a parent: the test starts this with a plain
 * {@link ProcessBuilder} and it starts {@link IpcProcess} children. Prints {@code key=value} lines.
 */
public final class ProcessTestMain {
  private ProcessTestMain() {
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "outputs" -> outputs();
      case "orphans" -> orphans(args[1]);
      case "exitspare" -> exitSpare();
      default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
    }
  }

  /** Children print, throw, report the flags they got; then a warm spare prints. */
  private static void outputs() throws Exception {
    IpcProcess p = IpcProcess.builder().name("printer").start(() -> {
      System.out.println("out from child " + System.getProperty("ipckit.process.name"));
      System.err.println("err from child");
    });
    p.join();
    System.out.println("printExit=" + p.exitCode().getAsInt());

    IpcProcess t = IpcProcess.builder().name("thrower").start(() -> {
      throw new IllegalStateException("boom-marker");
    });
    t.join();
    System.out.println("throwExit=" + t.exitCode().getAsInt());

    IpcProcess f = IpcProcess.start(() -> {
      System.out.println("childMaxMemory=" + Runtime.getRuntime().maxMemory());
      System.out.println("childProp=" + System.getProperty("ipckit.test.prop"));
      System.out.println("childOpen=" + Object.class.getModule().isOpen("java.lang", ProcessTestMain.class.getModule()));
      System.out.println("childStdin=" + System.in.read());
      System.out.println("childJmxPort=" + System.getProperty("com.sun.management.jmxremote.port"));
    });
    f.join();
    System.out.println("flagsExit=" + f.exitCode().getAsInt());

    IpcProcess.Builder warm = IpcProcess.builder().warmSpare(true).name("spare-printer");
    System.out.println("spareReady=" + warm.awaitWarmSpare(Duration.ofSeconds(60)));
    long sparePid = SparePool.sparePid(warm.command()).orElse(-1);
    IpcProcess s = warm.start(() -> {
      System.out.println("out from spare " + System.getProperty("ipckit.process.name") + " pid "
          + ProcessHandle.current().pid());
      System.out.println("spareChildProp=" + System.getProperty("ipckit.test.prop"));
    });
    s.join();
    System.out.println("sparePid=" + sparePid);
    System.out.println("spareTaskPid=" + s.pid());
    System.out.println("spareExit=" + s.exitCode().getAsInt());
    System.out.flush();
  }

  /**
   * Starts daemon and non-daemon children, cold and from warm spares, each waiting for {@code dir/release}; prints
   * their pids and the pid of the next spare, then waits to be killed.
   */
  private static void orphans(String dir) throws Exception {
    String release = dir + "/release";
    IpcProcess coldDaemon = IpcProcess.builder().daemon(true)
        .start(() -> Await.file(release, Duration.ofSeconds(120)));
    IpcProcess coldKeeper = IpcProcess.builder()
        .start(() -> Await.file(release, Duration.ofSeconds(120)));
    IpcProcess.Builder warmDaemonB = IpcProcess.builder().warmSpare(true).daemon(true);
    IpcProcess.Builder warmKeeperB = IpcProcess.builder().warmSpare(true);
    warmDaemonB.awaitWarmSpare(Duration.ofSeconds(60));
    IpcProcess warmDaemon = warmDaemonB.start(() -> Await.file(release, Duration.ofSeconds(120)));
    warmKeeperB.awaitWarmSpare(Duration.ofSeconds(60));
    IpcProcess warmKeeper = warmKeeperB.start(() -> Await.file(release, Duration.ofSeconds(120)));
    System.out.println("spareReady=" + warmKeeperB.awaitWarmSpare(Duration.ofSeconds(60)));
    System.out.println("coldDaemon=" + coldDaemon.pid());
    System.out.println("coldKeeper=" + coldKeeper.pid());
    System.out.println("warmDaemon=" + warmDaemon.pid());
    System.out.println("warmKeeper=" + warmKeeper.pid());
    System.out.println("spare=" + SparePool.sparePid(warmKeeperB.command()).orElse(-1));
    System.out.println("started=yes");
    System.out.flush();
    new CountDownLatch(1).await(120, TimeUnit.SECONDS);   // until the test kills this JVM
  }

  /** Boots a warm spare, prints its pid and exits normally: the spare must go too. */
  private static void exitSpare() throws Exception {
    IpcProcess.Builder b = IpcProcess.builder().warmSpare(true);
    System.out.println("spareReady=" + b.awaitWarmSpare(Duration.ofSeconds(60)));
    System.out.println("spare=" + SparePool.sparePid(b.command()).orElse(-1));
    System.out.flush();
  }
}
