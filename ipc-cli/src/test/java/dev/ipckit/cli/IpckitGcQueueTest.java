package dev.ipckit.cli;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.shm.queue.QueueLocks;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.suite.QueueCodecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipckit gc} and the side files of queue messages too long for the data area ({@code q@spill-...}): the
 * orphan a producer killed with {@code kill -9} leaves is removed; a file a queued message names is kept, even when
 * its producer is dead; and a queue whose consumer lock a live process holds is reported and left, without waiting
 * for it.
 */
@Tag("crash")
class IpckitGcQueueTest extends AgainstANamespace {
  /** Longer than the data area takes (64 KiB, {@code QueueDescriptor.DATA_MAX}): the message goes to a side file. */
  private static final int SPILLED = 100_000;

  @Test
  void removesTheSideFileOfAProducerKilledBeforePublishing() throws Exception {
    ipc = Ipc.temp();
    IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
    q.put(new byte[] {1});
    Crash producer = orphanProducer(q, QueueCodecs.message(2, SPILLED));
    producer.kill();
    assertEquals(1, sideFiles(ipc.dir(), "q").size(), "the killed producer's side file");

    Cli.Run gc = Cli.run(children, scratch, "gc", ipc.dir().toString());
    assertEquals(Ipckit.OK, gc.exit, gc.toString());
    assertTrue(gc.out.contains("removed 1 orphan spill file of queue q"), gc.toString());
    assertEquals(List.of(), sideFiles(ipc.dir(), "q"), gc.toString());
    assertArrayEquals(new byte[] {1}, q.poll(), "the queue is intact");
    assertNull(q.poll(), "the killed put never happened");
  }

  @Test
  void keepsTheSideFileOfAQueuedMessageWhoseProducerIsDead() throws Exception {
    ipc = Ipc.temp();
    IpcQueue<byte[]> q = ipc.queue("q", 2, Codec.bytes());
    byte[] queued = QueueCodecs.message(1, SPILLED);
    Crash published = Crash.at(children, ipc, () -> q.put(queued));
    published.kill();                                       // its message stays in the queue, in its side file
    List<String> named = sideFiles(ipc.dir(), "q");
    assertEquals(1, named.size());
    q.put(new byte[] {2});                                  // full: the next producer waits with its file written
    Crash orphan = orphanProducer(q, QueueCodecs.message(3, SPILLED));
    orphan.kill();
    assertEquals(2, sideFiles(ipc.dir(), "q").size());

    Cli.Run gc = Cli.run(children, scratch, "gc", ipc.dir().toString());
    assertEquals(Ipckit.OK, gc.exit, gc.toString());
    assertTrue(gc.out.contains("removed 1 orphan spill file of queue q"), gc.toString());
    assertEquals(named, sideFiles(ipc.dir(), "q"), "the file a queued message names stays: " + gc);
    assertArrayEquals(queued, q.poll(), "the spilled message is taken intact after gc");
    assertArrayEquals(new byte[] {2}, q.poll());
    assertNull(q.poll());
    assertEquals(List.of(), sideFiles(ipc.dir(), "q"), "a taken message's side file is deleted");
  }

  @Test
  void leavesAQueueWhoseConsumerLockALiveProcessHolds() throws Exception {
    ipc = Ipc.temp();
    IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
    q.put(new byte[] {1});
    // the consumer first: a JVM's first open of a queue sweeps its orphans (the crash table), so a child that
    // opened it after the producer's death would remove the orphan itself
    Crash consumer = Crash.at(children, ipc, () -> QueueLocks.holdConsumerLock(q)); // alive, inside a "take"
    Crash producer = orphanProducer(q, QueueCodecs.message(2, SPILLED));
    producer.kill();

    // bounded: Cli.run fails after Children.RUN if gc waited for the lock; gc itself tries for 500 ms
    Cli.Run gc = Cli.run(children, scratch, "gc", ipc.dir().toString());
    assertEquals(Ipckit.OK, gc.exit, gc.toString());
    assertTrue(gc.out.contains("queue q: consumer busy (pid " + consumer.process().pid() + "), spill files left"),
        gc.toString());
    assertEquals(1, sideFiles(ipc.dir(), "q").size(), "nothing removed while a live consumer holds the lock");
    assertTrue(consumer.process().isAlive(), "and its lock was not taken from it");

    consumer.kill();                                        // now dead: the next gc takes its lock over
    Cli.Run again = Cli.run(children, scratch, "gc", ipc.dir().toString());
    assertEquals(Ipckit.OK, again.exit, again.toString());
    assertTrue(again.out.contains("removed 1 orphan spill file of queue q"), again.toString());
    assertEquals(List.of(), sideFiles(ipc.dir(), "q"));
    assertArrayEquals(new byte[] {1}, q.poll());
  }

  /**
   * A child whose {@code put(message)} on the full queue {@code q} has written the message's side file and waits
   * for room, never publishing it: killed, it leaves the orphan of the crash table's spill row.
   */
  private Crash orphanProducer(IpcQueue<byte[]> q, byte[] message) {
    String dir = ipc.dir().toString();                      // a Path does not serialize into the child
    int before = sideFiles(ipc.dir(), "q").size();
    return Crash.at(children, ipc, () -> {
      Thread put = new Thread(() -> {
        try {
          q.put(message);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      put.setDaemon(true);
      put.start();
      Await.until("the side file of the waiting put", Children.START,
          () -> sideFiles(Path.of(dir), "q").size() > before);
    });
  }

  /** The side files of queue {@code name} in {@code dir}, sorted. */
  static List<String> sideFiles(Path dir, String name) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(name + "@")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
