package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ipckit.Ipc;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import java.util.ArrayList;
import java.util.List;

/** Checks of what the {@link HandleRef} of a handle carries, shared by the suites of the kinds. */
final class References {
  private References() {
  }

  /**
   * Asserts that the reference of each of {@code handles} names {@code ipc}'s location, carries the {@code arg} at
   * its place in {@code args}, and no flag and no codec.
   */
  static void assertPlain(Ipc ipc, List<Long> args, Object... handles) {
    List<Long> found = new ArrayList<>();
    for (Object h : handles) {
      HandleRef r = ((Handle) h).handleRef();
      found.add(r.arg());
      assertFalse(r.flag(), r.toString());
      assertNull(r.codec(), r.toString());
      assertEquals(ipc.location(), r.location(), r.toString());
    }
    assertEquals(args, found);
  }
}
