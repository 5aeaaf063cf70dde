package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.DecodeException;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Threads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link IpcQueue} in one JVM, whatever the backend: what {@code IpcQueue}'s javadoc adds to
 * {@link java.util.concurrent.BlockingQueue} (codec failures, task accounting, closed handles, descriptions,
 * unsupported methods), with threads where a call must block. The subclass names the backend.
 */
@Tag("unit")
public abstract class QueueSuite {
  private final List<Ipc> opened = new ArrayList<>();

  /** A new namespace of the backend under test; the suite closes it after the test. */
  protected abstract Ipc newNamespace(String hint);

  /** {@link #newNamespace}, closed after the test. */
  protected final Ipc ipc(String hint) {
    Ipc ipc = newNamespace(hint);
    opened.add(ipc);
    return ipc;
  }

  @AfterEach
  void closeNamespaces() {
    for (Ipc ipc : opened) {
      ipc.close();
    }
    opened.clear();
  }

  /** Runs {@code body} in another thread and waits until that thread blocks in it. */
  private static <T> CompletableFuture<T> blockedIn(Callable<T> body) {
    Thread[] t = new Thread[1];
    CompletableFuture<T> f = Threads.start(body, t);
    Await.blocked(t[0], START);
    return f;
  }

  @Test
  void aReferenceCarriesTheCapacityAndTheCodec() {
    Ipc ipc = ipc("reference");
    Codec<Long> codec = new QueueCodecs.Longs();
    HandleRef r = ((Handle) ipc.queue("q", 7, codec)).handleRef();
    assertEquals(7L, r.arg());
    assertFalse(r.flag());
    assertSame(codec, r.codec());
    assertEquals(ipc.location(), r.location());
  }

  @Test
  void unsupportedMethodsThrowAndSayWhy() {
    IpcQueue<Long> q = ipc("unsupported").queue("q", 4, new QueueCodecs.Longs());
    q.add(1L);
    q.add(2L);
    Iterator<Long> it = q.iterator();
    assertEquals(1L, (long) it.next());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, it::remove);
    assertTrue(e.getMessage().contains("iterator().remove()") && e.getMessage().contains("\"q\""), e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> q.remove(1L));
    assertThrows(UnsupportedOperationException.class, () -> q.removeAll(List.of(1L)));
    assertThrows(UnsupportedOperationException.class, () -> q.retainAll(List.of(1L)));
    assertThrows(UnsupportedOperationException.class, () -> q.removeIf(x -> true));
    assertEquals(2, q.size());
  }

  @Test
  void aMessageTheCodecCannotEncodeIsAnIllegalArgumentExceptionAndNothingIsPut() throws Exception {
    IpcQueue<String> q = ipc("encode").queue("q", 4, new QueueCodecs.Picky());
    q.put("a");
    List<Executable> puts = List.of(() -> q.offer("unencodable"), () -> q.add("unencodable"),
        () -> q.put("unencodable"), () -> q.offer("unencodable", 1, TimeUnit.SECONDS));
    for (Executable put : puts) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, put);
      assertTrue(e.getMessage().contains("cannot encode") && e.getMessage().contains("\"q\""), e.getMessage());
    }
    IpcQueue<String> nulls = ipc("encode-null").queue("nulls", 4, new Codec<String>() {
      @Override public byte[] encode(String m) {
        return null;
      }

      @Override public String decode(byte[] b, int off, int len) {
        return "";
      }
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nulls.put("x"));
    assertTrue(e.getMessage().contains("as null"), e.getMessage());
    assertEquals(1, q.size());
    assertEquals(0, nulls.size());
    assertEquals("a", q.take());
  }

  @Test
  void anUndecodableMessageLeavesTheQueueWithItsBytesInTheExceptionOnlyWhenTaken() throws Exception {
    IpcQueue<String> q = ipc("decode").queue("q", 10, new QueueCodecs.Picky());
    q.put("poison");
    q.put("b");
    // looking leaves it in the queue
    DecodeException peeked = assertThrows(DecodeException.class, q::peek);
    assertEquals("poison", new String(peeked.bytes(), StandardCharsets.UTF_8));
    assertThrows(DecodeException.class, q::element);
    assertThrows(DecodeException.class, () -> q.contains("b"));
    assertThrows(DecodeException.class, q::toArray);
    assertThrows(DecodeException.class, q::iterator);
    assertEquals(2, q.size());
    // taking removes it: the others are intact, whichever call met it
    DecodeException taken = assertThrows(DecodeException.class, q::take);
    assertTrue(taken.getMessage().contains("\"q\""), taken.getMessage());
    assertEquals("poison", new String(taken.bytes(), StandardCharsets.UTF_8));
    assertEquals("b", q.poll());
    for (int i = 0; i < 3; i++) {
      q.put("poison");
    }
    assertThrows(DecodeException.class, q::poll);
    assertThrows(DecodeException.class, () -> q.poll(1, TimeUnit.SECONDS));
    assertThrows(DecodeException.class, q::remove);
    assertTrue(q.isEmpty());
    // drainTo delivers the good ones around bad ones and then reports the first, the others suppressed in it
    q.put("b");
    q.put("poison");
    q.put("c");
    q.put("poison");
    List<String> got = new ArrayList<>();
    DecodeException drained = assertThrows(DecodeException.class, () -> q.drainTo(got));
    assertEquals(List.of("b", "c"), got);
    assertEquals("poison", new String(drained.bytes(), StandardCharsets.UTF_8));
    assertEquals(1, drained.getSuppressed().length);
    assertTrue(q.isEmpty());
  }

  @Test
  void messagesOfSeveralMebibytesRoundTripWhole() throws Exception {
    IpcQueue<byte[]> q = ipc("big").queue("big", 3, Codec.bytes());
    byte[] big = new byte[5 << 20];
    new Random(5).nextBytes(big);
    q.put(big);
    q.put(new byte[0]);
    assertTrue(q.offer(big, 10, TimeUnit.SECONDS));
    assertArrayEquals(big, q.peek());
    assertArrayEquals(big, q.take());
    assertArrayEquals(new byte[0], q.take());
    assertArrayEquals(big, q.poll());
    assertNull(q.poll());
  }

  @Test
  void aTimedJoinReturnsFalseUntilEveryTaskIsDone() throws Exception {
    IpcQueue<String> q = ipc("timed").queue("timed", 4, Codec.string());
    assertTrue(q.join(0, TimeUnit.SECONDS), "nothing put: done at once");
    q.put("a");
    q.take();
    assertFalse(q.join(20, TimeUnit.MILLISECONDS), "one task is not done");
    assertFalse(q.join(Long.MIN_VALUE, TimeUnit.DAYS), "looks once");
    q.taskDone();
    assertTrue(q.join(Long.MAX_VALUE, TimeUnit.DAYS));
    assertEquals(0, q.abandonedTasks(), "no consumer died");
  }

  @Test
  void joinWaitsForTheLastTaskDoneOfAnotherThread() throws Exception {
    IpcQueue<String> q = ipc("join").queue("q", 10, Codec.string());
    q.put("a");
    q.put("b");
    q.take();
    q.take();
    CompletableFuture<Boolean> joined = blockedIn(() -> {
      q.join();
      return true;
    });
    q.taskDone();
    assertThrows(TimeoutException.class, () -> joined.get(50, TimeUnit.MILLISECONDS), "one task is not done");
    q.taskDone();
    assertTrue(joined.get(START.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void taskDoneMoreOftenThanMessagesPutIsRefusedAndAClearedMessageCountsAsNotDone() throws Exception {
    IpcQueue<String> q = ipc("taskdone").queue("q", 10, Codec.string());
    IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
    assertTrue(e.getMessage().contains("more times than messages were put") && e.getMessage().contains("\"q\""),
        e.getMessage());
    q.put("a");
    q.put("b");
    q.clear();
    assertFalse(q.join(0, TimeUnit.SECONDS), "cleared messages are not done");
    q.taskDone();
    q.taskDone();
    assertTrue(q.join(0, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, q::taskDone);
    q.put("c");
    q.taskDone();                                  // need not follow a take: a count, not a record
    assertTrue(q.join(0, TimeUnit.SECONDS));
    assertEquals(1, q.size());
  }

  @Test
  void interruptedJoinThrowsOnEntryAndWhileWaiting() throws Exception {
    IpcQueue<String> q = ipc("interrupt").queue("q", 2, Codec.string());
    q.put("a");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, q::join);
    assertFalse(Thread.interrupted(), "the status is cleared by the exception");
    Thread[] t = new Thread[1];
    CompletableFuture<Object> joined = Threads.start(() -> {
      q.join();
      return "returned";
    }, t);
    Await.blocked(t[0], START);
    t[0].interrupt();
    ExecutionException e = assertThrows(ExecutionException.class, () -> joined.get(START.toMillis(),
        TimeUnit.MILLISECONDS));
    assertTrue(e.getCause() instanceof InterruptedException, "got " + e.getCause());
  }

  @Test
  void clearLetsAProducerBlockedOnAFullQueuePut() throws Exception {
    IpcQueue<String> q = ipc("clear").queue("full", 1, Codec.string());
    q.put("a");
    CompletableFuture<Boolean> put = blockedIn(() -> {
      q.put("b");
      return true;
    });
    q.clear();
    assertTrue(put.get(START.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(List.of("b"), new ArrayList<>(q));
  }

  @Test
  void aClosedHandleIsAnIllegalStateExceptionAndOtherHandlesGoOn() throws Exception {
    Ipc ipc = ipc("closed");
    IpcQueue<String> q = ipc.queue("q", 4, Codec.string());
    IpcQueue<String> other = ipc.queue("q", 4, Codec.string());
    q.put("a");
    q.close();
    q.close();                                     // harmless
    List<Executable> calls = List.of(() -> q.offer("x"), () -> q.put("x"), () -> q.add("x"),
        () -> q.offer("x", 1, TimeUnit.SECONDS), q::poll, q::take, () -> q.poll(1, TimeUnit.SECONDS), q::peek,
        q::size, q::clear, q::taskDone, q::join, () -> q.join(1, TimeUnit.SECONDS), q::abandonedTasks,
        () -> q.drainTo(new ArrayList<>()), q::iterator);
    for (Executable c : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, c);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertTrue(q.describe().contains("\"q\""), q.describe());
    assertEquals(1, other.size(), "the queue stays for its other handles");
    assertEquals("a", other.take());
  }

  @Test
  void closingTheHandleEndsABlockedTakeWithIllegalStateException() throws Exception {
    IpcQueue<String> q = ipc("close-wait").queue("q", 1, Codec.string());
    CompletableFuture<String> take = blockedIn(q::take);
    q.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> take.get(START.toMillis(),
        TimeUnit.MILLISECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException, "got " + e.getCause());
  }

  @Test
  void describeNamesTheQueueItsDepthCapacityAndCodec() throws Exception {
    Ipc ipc = ipc("describe");
    IpcQueue<String> q = ipc.queue("jobs", 1000, Codec.string());
    q.put("a");
    q.put("b");
    q.put("c");
    String d = q.describe();
    assertTrue(d.contains("\"jobs\"") && d.contains("3/1000") && d.contains("Codec.string()"), d);
    assertEquals("[a, b, c]", q.toString(), "toString() prints the messages, as every Collection does");
    assertEquals(1000, q.capacity());
    assertEquals("jobs", q.name());
  }

  @Test
  void anotherCapacityForTheSameNameIsRefusedNamingBoth() {
    Ipc ipc = ipc("capacity");
    IpcQueue<String> q = ipc.queue("q", 5, Codec.string());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", 7,
        Codec.string()));
    assertTrue(e.getMessage().contains("capacity 5") && e.getMessage().contains("7"), e.getMessage());
    assertEquals(5, ipc.queue("q", 5, Codec.string()).capacity());
    assertEquals(5, q.capacity());
  }
}
