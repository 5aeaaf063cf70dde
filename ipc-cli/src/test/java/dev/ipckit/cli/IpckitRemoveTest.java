package dev.ipckit.cli;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.TextFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipckit rm} and {@code gc} run as a process of their own against a namespace this test's JVM has open (a
 * live process): removal refused with exit 3 unless forced; gc removes only a dead creator's old temporary file.
 */
@Tag("crash")
class IpckitRemoveTest extends AgainstANamespace {
  @Test
  void rmIsRefusedWhileTheNamespaceHasALiveProcess() throws Exception {
    ipc = Ipc.temp();
    String dir = ipc.dir().toString();
    SharedLong v = ipc.sharedLong("v", 7);
    Cli.Run refused = Cli.run(children, scratch, "rm", dir, "v");
    assertEquals(Ipckit.REFUSED, refused.exit, refused.toString());
    assertTrue(refused.err.contains("pid " + ProcessHandle.current().pid() + " (alive)"), refused.toString());
    assertTrue(ipc.names().contains("v"), "still there");
    assertEquals(7, v.get());

    Cli.Run forced = Cli.run(children, scratch, "rm", dir, "v", "--force");
    assertEquals(Ipckit.OK, forced.exit, forced.toString());
    assertTrue(forced.out.contains("removed " + ipc.dir().resolve("v")), forced.toString());
    assertTrue(!ipc.names().contains("v"));
    assertEquals(7, v.get(), "a handle open meanwhile keeps its words, as a removed file's mapping");
  }

  @Test
  void theCommandRefusesToRunInAProcessOfTheNamespace() {
    ipc = Ipc.temp();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int code = new Ipckit(sink, new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"ls", ipc.dir().toString()});
    assertEquals(Ipckit.REFUSED, code, "probing its own liveness file would drop its lock");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("inspect the namespace from another process"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void gcRemovesOnlyTheOldTemporaryFilesOfDeadCreators() throws Exception {
    ipc = Ipc.temp();
    Process gone = new ProcessBuilder("true").start();
    assertEquals(0, Children.exitOf(gone, Children.REAP));
    Path dead = temp(".tmp-" + gone.pid() + "-x1");
    Path young = temp(".tmp-" + gone.pid() + "-x2");
    Path alive = temp(".tmp-" + ProcessHandle.current().pid() + "-x3");
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(dead, old);
    Files.setLastModifiedTime(alive, old);

    Cli.Run gc = Cli.run(children, scratch, "gc", ipc.dir().toString());
    assertEquals(Ipckit.OK, gc.exit, gc.toString());
    assertTrue(gc.out.contains("removed 1 temporary file"), gc.toString());
    assertTrue(!Files.exists(dead), "a dead creator's old file goes");
    assertTrue(Files.exists(young), "a young file stays (its creator may be in another pid namespace)");
    assertTrue(Files.exists(alive), "a live creator's file stays");
  }

  private Path temp(String name) throws Exception {
    return Files.createFile(ipc.dir().resolve(name), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
  }

  @Test
  void gcOfTheTemporaryBaseRemovesTheNamespacesOfDeadProcessesOnly() throws Exception {
    ipc = Ipc.temp();                                   // this JVM's: alive, kept
    Path base = ipc.dir().getParent();
    String published = scratch.resolve("dead-namespace").toString();
    IpcProcess owner = children.start(() -> {
      Ipc mine = Ipc.temp();
      mine.sharedLong("left-behind", 1);
      TextFiles.publish(published, mine.dir().toString());
      new java.util.concurrent.CountDownLatch(1).await();   // until killed: never closed
    });
    Await.until("the child's namespace", Children.START, () -> !TextFiles.read(Path.of(published)).isEmpty());
    Path dead = Path.of(TextFiles.read(Path.of(published)));
    Crash.kill(owner);
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    for (Path d : List.of(dead, ipc.dir())) {            // both old enough: only liveness decides
      Files.setLastModifiedTime(d.resolve(".registry"), old);
    }

    Cli.Run gc = Cli.run(children, scratch, "gc", base.toString());
    assertEquals(Ipckit.OK, gc.exit, gc.toString());
    assertTrue(gc.out.contains("removed 1 temporary namespace "), gc.toString());
    assertTrue(!Files.exists(dead), "the dead process's namespace is gone");
    assertTrue(Files.isDirectory(ipc.dir()), "the live one stays");
  }
}
