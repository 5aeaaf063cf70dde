package dev.ipckit.shm.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.IpcException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafeFiles#openOwnFile}: never through a link, only a regular 0600 file of this user. */
@Tag("unit")
class SafeFilesTest {
  @TempDir
  Path dir;

  @Test
  void theUidIsTheOwnerOfAFileThisProcessMakes() throws IOException {
    Path f = Files.createFile(dir.resolve("mine"));
    assertEquals(Files.getAttribute(f, "unix:uid"), SafeFiles.UID);
  }

  @Test
  void createsWithMode0600AndOpensItAgain() throws IOException {
    Path f = dir.resolve("f");
    try (FileChannel ch = SafeFiles.openOwnFile(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    try (FileChannel ch = SafeFiles.openOwnFile(f, StandardOpenOption.READ)) {
      assertEquals(1, ch.size());
    }
    assertThrows(FileAlreadyExistsException.class,
        () -> SafeFiles.openOwnFile(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    assertThrows(NoSuchFileException.class, () -> SafeFiles.openOwnFile(dir.resolve("none"), StandardOpenOption.READ));
  }

  @Test
  void aLinkIsNeverFollowedNotEvenToCreate() throws IOException {
    Path target = Files.write(Files.createFile(dir.resolve("target"), SafeFiles.FILE_ATTRIBUTE), new byte[] {7});
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    IpcException e = assertThrows(IpcException.class,
        () -> SafeFiles.openOwnFile(link, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
    assertEquals(link + " is a symbolic link to " + target + "; a namespace file must be a regular file owned by"
        + " this user (uid " + SafeFiles.UID + ") with mode rw-------: refusing to use it", e.getMessage());
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("made"));
    assertThrows(IpcException.class, () -> SafeFiles.openOwnFile(dangling, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE));
    assertTrue(Files.notExists(dir.resolve("made"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void anotherModeOrADirectoryIsRefused() throws IOException {
    Path loose = Files.createFile(dir.resolve("loose"));
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    IpcException e = assertThrows(IpcException.class, () -> SafeFiles.openOwnFile(loose, StandardOpenOption.READ));
    assertTrue(e.getMessage().startsWith(loose + " has mode rw-r--r--; "), e.getMessage());
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertEquals("is a directory", SafeFiles.problem(sub, false));
    assertNull(SafeFiles.problem(Files.createDirectory(dir.resolve("private"), SafeFiles.DIR_ATTRIBUTE), true));
  }

  @Test
  void modeStringsShowTheStickyBit() {
    assertEquals("rwxrwxrwt", SafeFiles.modeString(01777));
    assertEquals("rwx------", SafeFiles.modeString(0700));
    assertEquals("rwxrwxrwx", SafeFiles.modeString(040777));
  }
}
