package dev.ipckit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Locations: the file: form of a directory, and user info that is refused and never shown. */
@Tag("unit")
class LocationsTest {
  @Test
  void aDirectoryIsAFileLocationAndBack() {
    URI l = Locations.of(Path.of("/dev/shm/a b/../ns"));
    assertEquals("file:///dev/shm/ns", l.toString());
    assertTrue(Locations.isFile(l));
    assertEquals("file", Locations.scheme(URI.create("FILE:///x")));
    assertEquals(Path.of("/dev/shm/ns"), Locations.dir(l));
    assertEquals(Path.of("/dev/shm/a b"), Locations.dir(Locations.of(Path.of("/dev/shm/a b"))));
  }

  @Test
  void aLocationElsewhereHasNoDirectory() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Locations.dir(URI.create("redis://host:6379/ns")));
    assertTrue(e.getMessage().contains("redis://host:6379/ns") && e.getMessage().contains("not a directory"),
        e.getMessage());
  }

  @Test
  void displayLeavesUserInfoOut() {
    assertEquals("redis://host:6379/ns?db=1", Locations.display(URI.create("redis://user:pw@host:6379/ns?db=1")));
    assertEquals("redis://ho_st/ns", Locations.display(URI.create("redis://us:pw@ho_st/ns")),
        "an authority Java cannot parse as user@host");
    assertEquals("redis:host/ns", Locations.display(URI.create("redis:us:pw@host/ns")), "an opaque URI");
    assertEquals("redis://host/ns", Locations.display(URI.create("redis://host/ns")));
  }

  @Test
  void userInfoIsRefusedWithoutEchoingIt() {
    for (String s : new String[] {"redis://alice:s3cret@host:6379/ns", "redis://:s3cret@ho_st/ns",
        "redis:alice:s3cret@host"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Locations.parse(s));
      assertTrue(e.getMessage().contains("must not carry credentials"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
      assertFalse(e.getMessage().contains("alice"), e.getMessage());
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Locations.parse("redis://user:s3cret @host/ns"));
    assertFalse(bad.getMessage().contains("s3cret"), "a string that is no URI is not echoed: " + bad.getMessage());
  }

  @Test
  void aLocationNeedsAScheme() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Locations.check(URI.create("/dev/shm/ns")));
    assertTrue(e.getMessage().contains("needs a scheme"), e.getMessage());
  }
}
