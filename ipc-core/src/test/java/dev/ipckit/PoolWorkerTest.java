package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Children;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The worker command's usage errors, and what a remote pool refuses, without any remote-pool service. */
@Tag("process")
class PoolWorkerTest {
  @RegisterExtension
  final Children children = new Children();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PoolWorker.run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(2, run());
    assertTrue(err().contains("usage: java -cp <app> dev.ipckit.PoolWorker"), err());
    assertEquals(2, run("redis://h/ns", "p", "--threads", "0"));
    assertTrue(err().contains("--threads takes a number from 1 to 1024, not 0"), err());
    assertEquals(2, run("redis://h/ns", "p", "--workers", "2"));
    assertTrue(err().contains("unknown option --workers"), err());
    assertEquals(2, run("redis://h/ns", "bad name!"));
    assertEquals(2, run("::not a uri", "p"));
  }

  @Test
  void aMissingServiceNamesTheArtifact() {
    assertEquals(2, run("redis://127.0.0.1:1/ns", "p"));
    assertTrue(err().contains("dev.ipckit:ipc-redis"), err());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Pool.builder().remote(URI.create("redis://127.0.0.1:1/ns"), "p").build());
    assertTrue(e.getMessage().contains("dev.ipckit:ipc-redis"), e.getMessage());
  }

  @Test
  void optionsOfTheWorkersAreRefusedForARemotePool() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Pool.builder().remote(URI.create("redis://127.0.0.1:1/ns"), "p").jvmOptions("-Xmx64m").build());
    assertTrue(e.getMessage().contains("do not apply to Pool.builder().remote()"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Pool.builder().remote(URI.create("redis://h/ns"), "a/b"));
  }

  @Test
  void theCommandExitsWithStatus2OnAUsageError(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path errFile = dir.resolve("err");
    Process p = children.launch(PoolWorker.class, out, errFile, List.of(), "redis://h/ns");
    assertEquals(2, Children.exitOf(p, Children.START));
    assertTrue(Files.readString(errFile).contains("usage:"), Files.readString(errFile));
  }
}
