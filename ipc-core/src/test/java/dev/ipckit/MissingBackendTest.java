package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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
    IllegalStateException byUri = assertThrows(IllegalStateException.class,
        () -> Ipc.open(dir.resolve("ns").toUri()));
    assertTrue(byUri.getMessage().contains("serves file: add the dependency dev.ipckit:ipc-shm"),
        byUri.getMessage());
    assertTrue(Files.notExists(dir.resolve("ns")), "nothing is created without a backend");
  }

  @Test
  void noBackendForASchemeNamesTheArtifact() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Ipc.open(URI.create("redis://host:6379/ns")));
    assertTrue(e.getMessage().contains("no ipckit backend on the class path serves redis: add the dependency"
        + " dev.ipckit:ipc-redis"), e.getMessage());
    IllegalStateException other = assertThrows(IllegalStateException.class,
        () -> Ipc.open(URI.create("nosuch://host/ns")));
    assertTrue(other.getMessage().contains("serves nosuch") && other.getMessage().contains("Backend.schemes()"),
        other.getMessage());
  }

  @Test
  void aLocationWithAPasswordIsRefusedBeforeAnyBackendIsSought() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("redis://admin:hunter2@host:6379/ns")));
    assertTrue(e.getMessage().contains("redis://host:6379/ns") && e.getMessage().contains("own configuration"),
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("admin"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ipc.open(URI.create("relative/ns")), "no scheme");
  }
}
