package dev.ipckit.shm.core;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Temporary files of killed creators are removed when a JVM opens the namespace; nothing else is. */
@Tag("crash")
class LeftoversTest {
  @RegisterExtension
  final Children children = new Children();

  private static void age(Path p) throws Exception {
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - Leftovers.MIN_AGE_MILLIS - 60_000));
  }

  @Test
  void aKilledCreatorsTemporaryFileIsRemovedByTheNextOpenAndALiveOnesIsKept() throws Exception {
    try (Ipc scratch = Ipc.temp()) {
      Path dir = scratch.dir().resolve("ns");
      try (Ipc made = Ipc.open(dir)) {
        String d = dir.toString();
        // a creator half-way through making an object: its temporary file written, then kill -9
        Crash creator = Crash.at(children, scratch, () -> Files.write(Path.of(d).resolve(".tmp-"
            + ProcessHandle.current().pid() + "-half"), new byte[1 << 20]));
        long deadPid = creator.process().pid();
        creator.kill();
        Path dead = dir.resolve(".tmp-" + deadPid + "-half");
        Path mine = dir.resolve(".tmp-" + ProcessHandle.current().pid() + "-busy");
        Path young = dir.resolve(".tmp-" + deadPid + "-young");
        Path foreign = dir.resolve(".tmpfoo");
        Files.write(mine, new byte[1]);
        Files.write(young, new byte[1]);
        Files.write(foreign, new byte[1]);
        age(dead);
        age(mine);
        age(foreign);
        assertTrue(Files.exists(dead));
        // a fresh JVM opens the namespace: the first open there sweeps
        Path report = scratch.dir().resolve("report");
        String r = report.toString();
        children.start(() -> {
          try (Ipc again = Ipc.open(Path.of(d))) {
            Files.writeString(Path.of(r), "opened");
          }
        });
        Await.until("a fresh JVM to open the namespace", START, () -> Files.exists(report));
        Await.until("the dead creator's file to go", START, () -> !Files.exists(dead));
        assertTrue(Files.exists(mine), "a live creator's file is kept");
        assertTrue(Files.exists(young), "a young file is kept: its creator may live in another pid namespace");
        assertTrue(Files.exists(foreign), "not a temporary name of ours");
        assertEquals(1, made.sharedLong("v", 1).get(), "the namespace itself is untouched");
      }
      assertFalse(Files.exists(dir.resolve(".tmp-0-x")));
    }
  }

  @Test
  void onlyWellFormedNamesHaveACreator() {
    assertEquals(123, Leftovers.creatorOf(".tmp-123-abc"));
    assertEquals(-1, Leftovers.creatorOf(".tmp-x-abc"));
    assertEquals(-1, Leftovers.creatorOf(".tmp-123"));
    assertEquals(-1, Leftovers.creatorOf("tmp-123-a"));
  }
}
