package dev.ipckit.shm.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ipckit.Ipc;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A namespace whose directory or any parent is writable by others without the sticky bit is refused: anyone could
 * rename the namespace away and put a directory of their own, with files of their own, in its place. Sticky
 * world-writable parents ({@code /tmp}, {@code /dev/shm}) and group-writable ones are allowed.
 */
@Tag("unit")
class DirsTest {
  private Path root;

  @BeforeEach
  void scratch() throws IOException {
    root = OtherUser.stickyRoot();
  }

  @AfterEach
  void clean() {
    TempNamespaces.delete(root);
  }

  private Path dirWithMode(String name, int mode) throws IOException {
    Path d = Files.createDirectory(root.resolve(name));
    Files.setAttribute(d, "unix:mode", mode);
    return d;
  }

  @Test
  void aParentWritableByOthersWithoutTheStickyBitIsRefused() throws IOException {
    Path open = dirWithMode("open", 0777);
    Path ns = open.resolve("deep/ns");
    Files.createDirectories(ns, SafeFiles.DIR_ATTRIBUTE);
    Files.setPosixFilePermissions(ns.getParent(), SafeFiles.DIR_MODE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.open(ns));
    assertEquals("namespace directory " + ns + " is inside " + open + ", which has mode rwxrwxrwx: others may write"
        + " it without the sticky bit, so anyone could replace the namespace directory; refusing it (chmod o-w "
        + open + ", or chmod +t " + open + " as /tmp has)", e.getMessage());
    try (var s = Files.list(ns)) {
      assertEquals(0, s.count(), "nothing created in a refused namespace");
    }
    assertThrows(IllegalArgumentException.class, () -> Ipc.attach(ns), "attaching checks the same");
  }

  @Test
  void aMissingNamespaceUnderSuchAParentIsRefusedToo() throws IOException {
    Path open = dirWithMode("open", 0777);
    assertThrows(IllegalArgumentException.class, () -> Ipc.open(open.resolve("new-ns")));
  }

  @Test
  void stickyAndGroupWritableParentsAreFine() throws IOException {
    Path sticky = dirWithMode("sticky", 01777);
    Path group = dirWithMode("group", 0770);
    Files.setAttribute(group, "unix:mode", 0770);
    assertDoesNotThrow(() -> Ipc.open(sticky.resolve("ns")).close());
    assertDoesNotThrow(() -> Ipc.open(group.resolve("ns")).close());
  }

  @Test
  void theNamespaceDirectoryItselfMustNotBeWritableByGroupOrOthers() throws IOException {
    Path ns = Files.createDirectory(root.resolve("ns"));
    Files.setPosixFilePermissions(ns, PosixFilePermissions.fromString("rwxrwx---"));
    assertThrows(IllegalArgumentException.class, () -> Ipc.open(ns));
    assertFalse(Files.exists(ns.resolve(".registry")));
  }
}
