package dev.ipckit;

import static dev.ipckit.testkit.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.internal.process.SparePool;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IpcProcess against real child JVMs: exit codes, signals, joins, names, options, serialization, warm spares. */
@Tag("crash")
class IpcProcessTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @AfterAll
  static void retireSpares() {
    IpcProcess.retireWarmSpares();
  }

  @Test
  void exitCodeIsEmptyWhileRunningThenZero() throws Exception {
    String release = dir.resolve("release").toString();
    IpcProcess p = IpcProcess.start(() -> Await.file(release, Duration.ofSeconds(60)));
    try {
      assertTrue(p.isAlive());
      assertEquals(OptionalInt.empty(), p.exitCode());
      assertFalse(p.join(Duration.ofMillis(100)), "join must time out while the child waits");
      Files.createFile(Path.of(release));
      assertTrue(p.join(LONG));
      assertEquals(OptionalInt.of(0), p.exitCode());
      assertFalse(p.isAlive());
      assertTrue(p.toString().contains("exitCode=0"), p.toString());
    } finally {
      p.kill();
    }
  }

  @Test
  void exitCodeOneWhenTheTaskThrows() throws Exception {
    IpcProcess p = IpcProcess.start(() -> {
      throw new java.io.IOException("thrown on purpose by a test; this stack trace is expected");
    });
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(1), p.exitCode());
  }

  @Test
  void exitCodeOfSystemExit() throws Exception {
    IpcProcess p = IpcProcess.start(() -> System.exit(42));
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(42), p.exitCode());
  }

  @Test
  void terminateRunsShutdownHooks() throws Exception {
    String hook = dir.resolve("hook").toString();
    String ready = dir.resolve("ready").toString();
    String release = dir.resolve("release").toString();
    IpcProcess p = IpcProcess.start(() -> {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          TextFiles.publish(hook, "ran");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
      TextFiles.publish(ready, "yes");
      Await.file(release, Duration.ofSeconds(60));
    });
    try {
      until("the child to install its hook", LONG, () -> Files.exists(Path.of(ready)));
      p.terminate();
      assertTrue(p.join(LONG));
      assertEquals(OptionalInt.of(143), p.exitCode());
      assertEquals("ran", TextFiles.read(Path.of(hook)), "the shutdown hook must run on terminate()");
    } finally {
      p.kill();
    }
  }

  @Test
  void killSkipsShutdownHooks() throws Exception {
    String hook = dir.resolve("hook").toString();
    String ready = dir.resolve("ready").toString();
    String release = dir.resolve("release").toString();
    IpcProcess p = IpcProcess.start(() -> {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          TextFiles.publish(hook, "ran");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
      TextFiles.publish(ready, "yes");
      Await.file(release, Duration.ofSeconds(60));
    });
    try {
      until("the child to install its hook", LONG, () -> Files.exists(Path.of(ready)));
      p.kill();
      assertTrue(p.join(LONG));
      assertEquals(OptionalInt.of(137), p.exitCode());
      assertFalse(Files.exists(Path.of(hook)), "no shutdown hook may run on kill()");
      p.kill();                               // harmless after exit
      p.terminate();
    } finally {
      p.kill();
    }
  }

  @Test
  void pidAndNamesAreTheChildsOwn() throws Exception {
    String out = dir.resolve("who").toString();
    IpcProcess p = IpcProcess.builder().name("worker-7").start(() ->
        TextFiles.publish(out, ProcessHandle.current().pid() + " " + System.getProperty("ipckit.process.name")));
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(0), p.exitCode());
    assertEquals(p.pid() + " worker-7", TextFiles.read(Path.of(out)));
    assertEquals("worker-7", p.name());
    assertEquals(p.pid(), p.toHandle().pid());

    IpcProcess a = IpcProcess.start(() -> { });
    IpcProcess b = IpcProcess.start(() -> { });
    assertTrue(a.join(LONG) && b.join(LONG));
    assertTrue(Pattern.matches("IpcProcess-\\d+", a.name()), a.name());
    assertTrue(Pattern.matches("IpcProcess-\\d+", b.name()), b.name());
    assertNotEquals(a.name(), b.name());
    assertFalse(a.daemon());
  }

  @Test
  void jvmOptionsReachTheChild() throws Exception {
    String out = dir.resolve("opts").toString();
    IpcProcess p = IpcProcess.builder().jvmOptions("-Dipckit.test.opt=hello", "-Xmx48m").start(() ->
        TextFiles.publish(out, System.getProperty("ipckit.test.opt") + " " + Runtime.getRuntime().maxMemory()));
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(0), p.exitCode());
    String[] got = TextFiles.read(Path.of(out)).split(" ");
    assertEquals("hello", got[0]);
    assertTrue(Long.parseLong(got[1]) <= 48L << 20, "maxMemory with -Xmx48m: " + got[1]);
  }

  static final class NotSerializableThing {
    int value = 3;
  }

  @Test
  void aNonSerializableCaptureFailsInStartNamingTheClass() {
    Object plain = new Object();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IpcProcess.start(() -> System.out.println(plain.hashCode())));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());

    NotSerializableThing thing = new NotSerializableThing();
    e = assertThrows(IllegalArgumentException.class,
        () -> IpcProcess.builder().warmSpare(true).start(() -> System.out.println(thing.value)));
    assertTrue(e.getMessage().contains(NotSerializableThing.class.getName()), e.getMessage());

    assertThrows(NullPointerException.class, () -> IpcProcess.start(null));
  }

  @Test
  void badJvmOptionsAreRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IpcProcess.builder().jvmOptions("Xmx64m"));
    assertTrue(e.getMessage().contains("Xmx64m"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IpcProcess.builder().jvmOptions("-cp"));
    assertTrue(e.getMessage().contains("-cp"), e.getMessage());
    assertThrows(NullPointerException.class, () -> IpcProcess.builder().jvmOptions((String) null));
  }

  @Test
  void aJvmThatCannotStartReportsTheLaunchersExitCode() throws Exception {
    // an unknown -XX flag: the JVM refuses to start and says so on its standard error
    try {
      IpcProcess p = IpcProcess.builder().jvmOptions("-XX:+IpckitNoSuchFlagForATest").start(() -> { });
      assertTrue(p.join(LONG));
      assertEquals(OptionalInt.of(1), p.exitCode());
    } catch (java.io.UncheckedIOException e) {
      // also acceptable: start() noticed that the JVM was already gone
      assertTrue(e.getMessage().contains("exited before reading its task"), e.getMessage());
    }
  }

  @Test
  void warmSpareRunsTheTaskUnderItsOwnPidAndName() throws Exception {
    IpcProcess.Builder b = IpcProcess.builder().warmSpare(true).name("from-spare");
    assertTrue(b.awaitWarmSpare(LONG), "a spare must boot");
    long sparePid = SparePool.sparePid(b.command()).orElseThrow();
    String out = dir.resolve("who").toString();
    IpcProcess p = b.start(() ->
        TextFiles.publish(out, ProcessHandle.current().pid() + " " + System.getProperty("ipckit.process.name")));
    assertEquals(sparePid, p.pid(), "the waiting spare runs the task");
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(0), p.exitCode());
    assertEquals(sparePid + " from-spare", TextFiles.read(Path.of(out)));

    // the next spare boots by itself; exit codes and daemon-ness are decided at hand-off
    assertTrue(b.awaitWarmSpare(LONG));
    IpcProcess d = b.daemon(true).start(() -> System.exit(5));
    assertTrue(d.join(LONG));
    assertEquals(OptionalInt.of(5), d.exitCode());
    assertTrue(d.daemon());
    assertTrue(b.awaitWarmSpare(LONG));
    IpcProcess t = b.daemon(false).start(() -> {
      throw new IllegalStateException("thrown on purpose by a test in a warm spare; this stack trace is expected");
    });
    assertTrue(t.join(LONG));
    assertEquals(OptionalInt.of(1), t.exitCode());
  }

  @Test
  void aSpareServesOnlyTheFlagsItWasBootedWith() throws Exception {
    IpcProcess.Builder plain = IpcProcess.builder().warmSpare(true);
    assertTrue(plain.awaitWarmSpare(LONG));
    long sparePid = SparePool.sparePid(plain.command()).orElseThrow();
    String out = dir.resolve("opt").toString();
    IpcProcess p = IpcProcess.builder().warmSpare(true).jvmOptions("-Dipckit.test.opt=other")
        .start(() -> TextFiles.publish(out, String.valueOf(System.getProperty("ipckit.test.opt"))));
    assertTrue(p.join(LONG));
    assertNotEquals(sparePid, p.pid(), "a spare booted with other flags must not be used");
    assertEquals("other", TextFiles.read(Path.of(out)));
    assertEquals(sparePid, SparePool.sparePid(plain.command()).orElseThrow(), "the plain spare still waits");
    assertFalse(Children.isDead(sparePid));
  }

  @Test
  void retiredSparesExit() throws Exception {
    IpcProcess.Builder b = IpcProcess.builder().warmSpare(true).jvmOptions("-Dipckit.test.retire=1");
    assertTrue(b.awaitWarmSpare(LONG));
    long sparePid = SparePool.sparePid(b.command()).orElseThrow();
    IpcProcess.retireWarmSpares();
    assertTrue(Children.millisUntilDead(sparePid, LONG) >= 0, "a retired spare must exit");
  }

  @Test
  void aChildCanStartItsOwnChild() throws Exception {
    String out = dir.resolve("grandchild").toString();
    IpcProcess p = IpcProcess.start(() -> {
      IpcProcess grandchild = IpcProcess.builder().name("grandchild")
          .start(() -> TextFiles.publish(out, System.getProperty("ipckit.process.name")));
      grandchild.join();
      System.exit(10 + grandchild.exitCode().getAsInt());
    });
    assertTrue(p.join(LONG));
    assertEquals(OptionalInt.of(10), p.exitCode());
    assertEquals("grandchild", TextFiles.read(Path.of(out)));
  }

  @Test
  void concurrentWarmStartsAllRun() throws Exception {
    IpcProcess.Builder b = IpcProcess.builder().warmSpare(true).jvmOptions("-Dipckit.test.concurrent=1");
    assertTrue(b.awaitWarmSpare(LONG));
    int n = 6;
    java.util.List<java.util.concurrent.Future<IpcProcess>> started = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      for (int i = 0; i < n; i++) {
        int code = 20 + i;
        started.add(pool.submit(() -> b.start(() -> System.exit(code))));
      }
      java.util.Set<Long> pids = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        IpcProcess p = started.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(p.join(LONG), p::toString);
        assertEquals(OptionalInt.of(20 + i), p.exitCode(), p::toString);
        pids.add(p.pid());
      }
      assertEquals(n, pids.size(), "each start gets its own JVM");
    } finally {
      pool.shutdownNow();
    }
    assertTrue(b.awaitWarmSpare(LONG), "a spare waits again after the burst");
    long spare = SparePool.sparePid(b.command()).orElseThrow();
    IpcProcess.retireWarmSpares();
    assertTrue(Children.millisUntilDead(spare, LONG) >= 0);
  }

  @Test
  void wakingADaemonChildEndsItsThreadsParks() throws Exception {
    // the child parks for an hour through its doorbell: only rings end it in time
    IpcProcess p = IpcProcess.builder().daemon(true).start(() -> {
      if (!dev.ipckit.spi.Doorbell.installed()) {
        System.exit(3);
      }
      dev.ipckit.spi.Doorbell.parkNanos(java.util.concurrent.TimeUnit.HOURS.toNanos(1));
    });
    try {
      Await.retry("the rings to wake the child", LONG, () -> {
        if (p.join(Duration.ofMillis(10))) {
          return true;
        }
        p.wake();                               // ring until it ends: a ring before it parks may find no one
        return false;
      });
      assertEquals(OptionalInt.of(0), p.exitCode());
    } finally {
      p.kill();
    }
  }
}
