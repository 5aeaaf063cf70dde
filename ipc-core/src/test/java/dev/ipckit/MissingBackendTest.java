package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipc-core's own tests run without ipc-shm on the class path: exactly the mistake this message is for. */
@Tag("unit")
class MissingBackendTest {
  @Test
  void noBackendSaysWhichArtifactToAdd(@TempDir Path dir) {
    IllegalStateException e = assertThrows(IllegalStateException.class, Ipc::temp);
    assertTrue(e.getMessage().contains("dev.ipckit:ipc-shm"), e.getMessage());
    IllegalStateException open = assertThrows(IllegalStateException.class, () -> Ipc.open(dir.resolve("ns")));
    assertTrue(open.getMessage().contains("no ipckit backend on the class path"), open.getMessage());
    assertTrue(Files.notExists(dir.resolve("ns")), "nothing is created without a backend");
  }
}
