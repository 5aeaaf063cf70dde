package dev.ipckit.shm.wait;

import dev.ipckit.Ipc;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.shm.ShmNamespace;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.sync.ShmEvent;
import dev.ipckit.spi.Doorbell;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bell wakes waiters parked for an hour, in this JVM and in another: only a ring (an inotify event on the
 * namespace's bell file) can end such a park within the tests' bounds.
 */
@Tag("process")
class BellTest {
  private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);
  @RegisterExtension
  final Children children = new Children();

  @Test
  void aChangeRingsAWaiterOfThisJvm() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmNamespace ns = (ShmNamespace) ipc.namespace();
      ShmEvent event = (ShmEvent) ipc.event("e");
      assertTrue(new Bell(ns.dir()).listen(), "inotify is available on Linux");
      Thread sleeper = new Thread(() -> {
        Bell.announce(event.buffer(), event.sleepAt(), AN_HOUR);
        Doorbell.parkNanos(AN_HOUR);
      }, "sleeper");
      sleeper.start();
      Await.parked(sleeper, START);
      event.set();                                // finds the announcement and rings
      sleeper.join(START.toMillis());
      assertFalse(sleeper.isAlive(), "the ring must end an hour's park");
      assertFalse(Bell.claimRing(event.buffer(), event.sleepAt()), "the ring cleared the announcement");
    }
  }

  @Test
  void aChangeRingsAWaiterOfAnotherProcess() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcEvent event = ipc.event("e");
      SharedInt parked = ipc.sharedInt("parked", 0);
      IpcProcess child = children.start(() -> {
        ShmEvent e = (ShmEvent) event;
        if (!new Bell(Ipc.attach(e.ns.dir()).dir()).listen()) {
          System.exit(3);
        }
        Bell.announce(e.buffer(), FileHeader.SLEEP_OFFSET, AN_HOUR);
        parked.set(1);
        Doorbell.parkNanos(AN_HOUR);              // only a ring ends this in time
      });
      Await.value(parked, 1, START);
      Await.retry("the bell to wake the child", START, () -> {
        if (child.join(Duration.ofMillis(20))) {
          return true;
        }
        event.set();                              // rings while the announcement stands
        event.clear();
        Bell.announce(((ShmEvent) event).buffer(), ((ShmEvent) event).sleepAt(), AN_HOUR); // the child may not
        // have parked yet when the first ring came: announce again on its behalf so the next set rings
        return false;
      });
      assertEquals(0, child.exitCode().getAsInt());
    }
  }

  @Test
  void waitersAnnounceTheirLongParksAndChangesClaimTheRing() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmEvent event = (ShmEvent) ipc.event("e");
      Thread waiter = new Thread(() -> {
        try {
          event.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "waiter");
      waiter.start();
      java.nio.ByteBuffer buf = event.buffer();
      int at = event.sleepAt();
      Await.until("the waiter to announce a long park", START,
          () -> (long) Mem.LONG.getVolatile(buf, at) != 0L);
      long rings = Bell.rings();
      event.set();
      assertTrue(Bell.rings() > rings, "the set must find the announcement and ring");
      waiter.join(START.toMillis());
      assertFalse(waiter.isAlive());
    }
  }
}
