package dev.ipckit;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.TextFiles.valueIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children of a parent JVM the test controls ({@link ProcessTestMain}): their output arriving in the parent's, the
 * parent's flags passed on, daemon children dying with a SIGKILLed parent, non-daemon children outliving it, spares
 * never outliving it.
 */
@Tag("crash")
class ProcessParentTest {
  private static final Duration LONG = Duration.ofSeconds(90);

  @RegisterExtension
  final Children children = new Children();

  @TempDir
  Path dir;

  @Test
  void outputArrivesInTheParentAndTheParentsFlagsArePassedOn() throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    int jmxPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      jmxPort = s.getLocalPort();
    }
    // a JMX port in the parent: passed on, it would make every child fail to bind it
    Process parent = children.launch(ProcessTestMain.class, out, err,
        List.of("-Xmx100m", "-Dipckit.test.prop=inherited", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false"),
        "outputs");
    int code = Children.exitOf(parent, LONG);
    String o = TextFiles.read(out);
    String e = TextFiles.read(err);
    assertEquals(0, code, "parent failed; stdout:\n" + o + "\nstderr:\n" + e);
    // output of the children, written straight to the parent's file descriptors
    assertTrue(o.contains("out from child printer"), o);
    assertTrue(e.contains("err from child"), e);
    assertEquals("0", valueIn(out, "printExit"));
    // a task that throws: exit code 1, the stack trace on the child's standard error
    assertEquals("1", valueIn(out, "throwExit"));
    assertTrue(e.contains("java.lang.IllegalStateException: boom-marker"), e);
    assertTrue(e.contains("Process thrower"), e);
    assertTrue(e.contains("\tat dev.ipckit.ProcessTestMain"), e);
    // flags
    assertEquals("0", valueIn(out, "flagsExit"));
    assertTrue(Long.parseLong(valueIn(out, "childMaxMemory")) <= 100L << 20, o);
    assertEquals("inherited", valueIn(out, "childProp"));
    assertEquals("true", valueIn(out, "childOpen"), "--add-opens must be passed on");
    assertEquals("-1", valueIn(out, "childStdin"), "the task sees an empty standard input");
    assertEquals("null", valueIn(out, "childJmxPort"), "JMX management flags must stay in the parent");
    // a warm spare prints to the same place
    assertEquals("true", valueIn(out, "spareReady"));
    assertEquals(valueIn(out, "sparePid"), valueIn(out, "spareTaskPid"));
    assertTrue(o.contains("out from spare spare-printer pid " + valueIn(out, "sparePid")), o);
    assertEquals("inherited", valueIn(out, "spareChildProp"));
    assertEquals("0", valueIn(out, "spareExit"));
  }

  @Test
  void daemonsDieWithAKilledParentNonDaemonsOutliveIt() throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Path release = dir.resolve("release");
    Process parent = children.launch(ProcessTestMain.class, out, err, List.of(), "orphans", dir.toString());
    List<Long> pids = new ArrayList<>();
    try {
      until("the parent to start its children (stderr: " + err + ")", LONG,
          () -> "yes".equals(valueIn(out, "started")) || !parent.isAlive());
      assertTrue(parent.isAlive(), () -> "parent died: " + TextFiles.read(err));
      assertEquals("true", valueIn(out, "spareReady"));
      long coldDaemon = Long.parseLong(valueIn(out, "coldDaemon"));
      long coldKeeper = Long.parseLong(valueIn(out, "coldKeeper"));
      long warmDaemon = Long.parseLong(valueIn(out, "warmDaemon"));
      long warmKeeper = Long.parseLong(valueIn(out, "warmKeeper"));
      long spare = Long.parseLong(valueIn(out, "spare"));
      pids.addAll(List.of(coldDaemon, coldKeeper, warmDaemon, warmKeeper, spare));
      for (long pid : pids) {
        assertFalse(Children.isDead(pid), "child " + pid + " must run before the parent dies");
      }

      parent.destroyForcibly();               // SIGKILL: no shutdown hook, no goodbye
      assertEquals(137, Children.exitOf(parent, LONG));

      for (long pid : List.of(coldDaemon, warmDaemon, spare)) {
        long ms = Children.millisUntilDead(pid, Duration.ofSeconds(1));
        assertTrue(ms >= 0, "daemon child or spare " + pid + " still alive 1 s after its parent was killed");
      }
      // the non-daemon children live on: give them the same second to die wrongly
      assertEquals(-1, Children.millisUntilDead(coldKeeper, Duration.ofSeconds(1)));
      assertFalse(Children.isDead(warmKeeper), "a non-daemon child from a spare must outlive its parent");
      Files.createFile(release);
      assertTrue(Children.millisUntilDead(coldKeeper, LONG) >= 0);
      assertTrue(Children.millisUntilDead(warmKeeper, LONG) >= 0);
    } finally {
      parent.destroyForcibly();
      pids.forEach(Children::killQuietly);
    }
  }

  @Test
  void sparesGoWhenTheParentExitsNormally() throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process parent = children.launch(ProcessTestMain.class, out, err, List.of(), "exitspare");
    assertEquals(0, Children.exitOf(parent, LONG), () -> TextFiles.read(err));
    assertEquals("true", valueIn(out, "spareReady"));
    long spare = Long.parseLong(valueIn(out, "spare"));
    try {
      assertTrue(Children.millisUntilDead(spare, Duration.ofSeconds(10)) >= 0,
          "a spare must not outlive its parent");
      Path ready = Path.of(System.getProperty("java.io.tmpdir"), "ipckit-spare-" + spare + ".ready");
      assertFalse(Files.exists(ready), "the spare's ready file must be gone: " + ready);
    } finally {
      Children.killQuietly(spare);
    }
  }
}
