package dev.ipckit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.IpcException;
import dev.ipckit.testkit.Serialized;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The serialized form of a handle: its location, the directory derived for file:, and its format version. */
@Tag("unit")
class HandleRefTest {
  @Test
  void aDirectoryIsAFileLocation() {
    HandleRef byDir = new HandleRef("/dev/shm/ns", "LONG", "v", 0, false, null);
    HandleRef byLocation = new HandleRef(URI.create("file:///dev/shm/ns"), "LONG", "v", 0, false, null);
    assertEquals(byDir, byLocation);
    assertEquals("/dev/shm/ns", byDir.dir());
    assertEquals(URI.create("file:///dev/shm/ns"), byDir.location());
    assertEquals(HandleRef.FORMAT_VERSION, byDir.version());
  }

  @Test
  void aHandleElsewhereHasALocationButNoDirectory() {
    HandleRef r = new HandleRef(URI.create("redis://host:6379/ns"), "LONG", "v", 0, false, Codec.string());
    assertEquals("redis", Locations.scheme(r.location()));
    assertThrows(UnsupportedOperationException.class, r::dir);
    assertTrue(r.toString().contains("location=redis://host:6379/ns"), r.toString());
  }

  @Test
  void aLocationWithCredentialsIsRefusedWithoutEchoingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HandleRef(URI.create("redis://u:s3cret@host/ns"), "LONG", "v", 0, false, null));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void aHandleOfAnotherFormatVersionNamesBothOnReopen() {
    HandleRef old = new HandleRef(1, "/dev/shm/ns", "LONG", "v", 0, false, null);
    IpcException e = assertThrows(IpcException.class, old::reopen);
    assertTrue(e.getMessage().startsWith("a handle of format version 1 (kind LONG, name \"v\"), this ipckit reads "
        + HandleRef.FORMAT_VERSION), e.getMessage());
    HandleRef newer = new HandleRef(HandleRef.FORMAT_VERSION + 1, "x:y", "LONG", "v", 0, false, null);
    e = assertThrows(IpcException.class, newer::reopen);
    assertTrue(e.getMessage().contains("format version " + (HandleRef.FORMAT_VERSION + 1) + " "), e.getMessage());
  }

  @Test
  void aSerializedHandleOfAnotherVersionIsRefusedOnReading() throws Exception {
    // as from an ipckit before format versions: the field reads as 0, reported as format 1
    for (int version : new int[] {0, HandleRef.FORMAT_VERSION + 1}) {
      byte[] form = Serialized.bytes(new HandleRef(version, "/dev/shm/ns", "QUEUE", "q", 4, false, null));
      IpcException e = assertThrows(IpcException.class, () -> Serialized.read(form));
      assertTrue(e.getMessage().contains("format version " + (version == 0 ? 1 : version) + " ")
          && e.getMessage().contains("this ipckit reads " + HandleRef.FORMAT_VERSION), e.getMessage());
    }
  }
}
