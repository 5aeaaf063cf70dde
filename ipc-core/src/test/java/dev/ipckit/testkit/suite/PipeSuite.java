package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.DecodeException;
import dev.ipckit.Ipc;
import dev.ipckit.Pipe;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Serialized;
import dev.ipckit.testkit.Threads;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Pipe} and {@link Connection} contract within one JVM, on any backend: directions, messages whole and
 * in order whatever their size, waiting for room, polls and their timeouts, end-of-file after a close, interrupts,
 * closed handles, codecs that fail, references that name an end. Both ends are used by this process (which may own
 * both); what needs another process is in {@link PipeProcessSuite} and {@link PipeCrashSuite}.
 */
@Tag("unit")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PipeSuite {
  /** How long a test waits for what must happen soon (generous: the machine may be loaded). */
  protected static final Duration SOON = Duration.ofSeconds(30);

  protected Ipc ipc;

  /** A namespace of the backend under test that no other test uses; the suite closes it after each test. */
  protected abstract Ipc newNamespace(String hint);

  @BeforeEach
  void openNamespace() {
    ipc = newNamespace("pipe");
  }

  @AfterEach
  void closeNamespace() {
    if (ipc != null) {
      ipc.close();
    }
  }

  @Test
  void aHalfDuplexLeftEndOnlyReceivesAndItsRightEndOnlySends() throws Exception {
    Pipe<String> pipe = ipc.pipe("half", false, Codec.string());
    Connection<String> left = pipe.left();
    Connection<String> right = pipe.right();
    assertFalse(pipe.duplex());
    assertTrue(left.readable());
    assertFalse(left.writable());
    assertFalse(right.readable());
    assertTrue(right.writable());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> left.send("x"));
    assertTrue(e.getMessage().contains("left end of half-duplex pipe \"half\"")
        && e.getMessage().contains("only receives"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> left.sendBytes(new byte[1]));
    e = assertThrows(IllegalStateException.class, right::recv);
    assertTrue(e.getMessage().contains("right end of half-duplex pipe \"half\"")
        && e.getMessage().contains("only sends"), e.getMessage());
    assertThrows(IllegalStateException.class, right::recvBytes);
    assertThrows(IllegalStateException.class, () -> right.poll(Duration.ZERO));
    right.send("one way");
    assertEquals("one way", left.recv());
    right.close();
    assertTrue(right.writable(), "writable() does not depend on the connection being open");

    Pipe<String> duplex = ipc.pipe("full", true, Codec.string());
    assertTrue(duplex.duplex());
    assertEquals("full", duplex.name());
    assertSame(duplex.left(), duplex.left(), "left() returns the same connection each time");
    for (Connection<String> c : List.of(duplex.left(), duplex.right())) {
      assertTrue(c.readable());
      assertTrue(c.writable());
    }
    duplex.left().send("to the right");
    duplex.right().send("to the left");
    assertEquals("to the left", duplex.left().recv());
    assertEquals("to the right", duplex.right().recv());
  }

  @Test
  void messagesOfEverySizeArriveWholeAndInOrder() throws Exception {
    Pipe<byte[]> pipe = ipc.pipe("sizes", false, Codec.bytes());
    int[] sizes = {0, 1, 7, 1000, 65_536, (1 << 20) + 1, 0, 3 << 20, 2};
    CompletableFuture<Void> sender = Threads.start(() -> {
      for (int i = 0; i < sizes.length; i++) {
        pipe.right().sendBytes(content(i, sizes[i]));
      }
      return null;
    }, null);
    for (int i = 0; i < sizes.length; i++) {
      assertArrayEquals(content(i, sizes[i]), pipe.left().recvBytes(), "message " + i + " of " + sizes[i] + " bytes");
    }
    sender.get(SOON.toSeconds(), TimeUnit.SECONDS);
    Pipe<String> text = ipc.pipe("text", true, Codec.string());
    text.left().send("");
    text.left().send("héllo wörld");
    assertEquals("", text.right().recv());
    assertArrayEquals("héllo wörld".getBytes(StandardCharsets.UTF_8), text.right().recvBytes(),
        "recvBytes returns the codec's encoding");
  }

  @Test
  void sendBytesCopiesTheArrayBeforeItReturns() throws Exception {
    Pipe<byte[]> pipe = ipc.pipe("copy", true, Codec.bytes());
    byte[] b = {1, 2, 3};
    pipe.left().sendBytes(b);
    b[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, pipe.right().recvBytes());
  }

  @Test
  void pollLooksWaitsAndTimesOut() throws Exception {
    Pipe<String> pipe = ipc.pipe("poll", true, Codec.string());
    Connection<String> left = pipe.left();
    Connection<String> right = pipe.right();
    for (Duration d : List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofMillis(-5),
        Duration.ofSeconds(Long.MIN_VALUE))) {
      long t0 = System.nanoTime();
      assertFalse(left.poll(d), "poll(" + d + ")");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "poll(" + d + ") only looks");
    }
    long t0 = System.nanoTime();
    assertFalse(left.poll(Duration.ofMillis(50)));
    long waited = System.nanoTime() - t0;
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "poll(50 ms) returned after " + waited + " ns");
    right.send("here");
    assertTrue(left.poll(Duration.ZERO));
    assertTrue(left.poll(Duration.ofSeconds(10)), "poll does not take the message");
    assertEquals("here", left.recv());
    assertFalse(left.poll(Duration.ofMillis(1)));
    for (Duration huge : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofNanos(Long.MAX_VALUE),
        Duration.ofDays(365L * 1000))) {
      Thread[] poller = new Thread[1];
      CompletableFuture<Boolean> f = Threads.start(() -> left.poll(huge), poller);
      Await.blocked(poller[0], SOON);
      assertFalse(f.isDone(), "poll(" + huge + ") returned before anything was sent");
      right.send("wake");
      assertTrue(f.get(SOON.toSeconds(), TimeUnit.SECONDS), "poll(" + huge + ")");
      assertEquals("wake", left.recv());
    }
  }

  @Test
  void eofOnceThePeerEndIsClosedAndEverythingItSentIsReceived() throws Exception {
    Pipe<String> pipe = ipc.pipe("close", true, Codec.string());
    Connection<String> left = pipe.left();
    Connection<String> right = pipe.right();
    assertFalse(left.poll(Duration.ZERO));
    for (int i = 0; i < 3; i++) {
      right.send("m" + i);
    }
    right.close();
    for (int i = 0; i < 3; i++) {
      assertTrue(left.poll(Duration.ZERO));
      assertEquals("m" + i, left.recv());
    }
    EOFException eof = assertThrows(EOFException.class, left::recv);
    assertTrue(eof.getMessage().contains("right end of pipe \"close\"") && eof.getMessage().contains("was closed"),
        eof.getMessage());
    assertThrows(EOFException.class, left::recvBytes, "end-of-file stays");
    assertTrue(left.poll(Duration.ZERO), "end-of-file counts as readable");
    assertTrue(left.poll(Duration.ofDays(1)), "once the peer is gone a poll returns at once");
    IOException io = assertThrows(IOException.class, () -> left.send("to a closed end"));
    assertTrue(io.getMessage().contains("closed"), io.getMessage());
    assertThrows(IOException.class, () -> left.sendBytes(new byte[0]));

    // the next connection of this process that uses the right end claims it again
    Pipe<String> again = ipc.pipe("close", true, Codec.string());
    again.right().send("after the close");
    assertEquals("after the close", left.recv());
  }

  @Test
  void aBlockedReceiveSeesEndOfFileWhenThePeerEndCloses() throws Exception {
    Pipe<String> pipe = ipc.pipe("blocked-eof", false, Codec.string());
    Connection<String> right = pipe.right();
    right.send("first");
    Thread[] receiver = new Thread[1];
    CompletableFuture<List<String>> f = Threads.start(() -> {
      List<String> got = new ArrayList<>();
      try {
        for (;;) {
          got.add(pipe.left().recv());
        }
      } catch (EOFException e) {
        got.add("EOF");
      }
      return got;
    }, receiver);
    Await.blocked(receiver[0], SOON);
    assertFalse(f.isDone());
    right.close();
    assertEquals(List.of("first", "EOF"), f.get(SOON.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void aSendWaitingForRoomGetsIoExceptionWhenTheReaderEndCloses() throws Exception {
    Pipe<byte[]> pipe = ipc.pipe("reader-closes", false, Codec.bytes());
    Connection<byte[]> in = pipe.left();
    assertFalse(in.poll(Duration.ZERO));        // claimed: the sender waits for this reader
    Thread[] sender = new Thread[1];
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<Void> f = Threads.start(() -> {
      byte[] m = new byte[4096];
      for (;;) {
        pipe.right().sendBytes(m);
        sent.incrementAndGet();
      }
    }, sender);
    Await.blocked(sender[0], SOON);
    int before = sent.get();
    in.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(SOON.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("left end") && e.getCause().getMessage().contains("closed"),
        e.getCause().getMessage());
    assertTrue(sent.get() <= before + 1, "sends went on after the reader closed: " + before + " -> " + sent.get());
  }

  @Test
  void sendsWaitWhileTheDirectionIsFullAndLoseNothing() throws Exception {
    int n = 2000;                               // 4 KiB each: several times what a direction holds
    Pipe<byte[]> pipe = ipc.pipe("full", false, Codec.bytes());
    Connection<byte[]> out = pipe.right();
    Connection<byte[]> in = pipe.left();
    assertFalse(in.poll(Duration.ZERO));
    AtomicInteger sent = new AtomicInteger();
    Thread[] sender = new Thread[1];
    CompletableFuture<Void> f = Threads.start(() -> {
      for (int i = 0; i < n; i++) {
        byte[] m = new byte[4096];
        ByteBuffer.wrap(m).putInt(i).putInt(m.length - 4, ~i);
        out.sendBytes(m);
        sent.incrementAndGet();
      }
      return null;
    }, sender);
    Await.blocked(sender[0], SOON);
    assertTrue(sent.get() < n, "all " + n + " messages fitted without a reader");
    assertFalse(f.isDone());
    for (int i = 0; i < n; i++) {
      ByteBuffer m = ByteBuffer.wrap(in.recvBytes());
      assertEquals(4096, m.capacity());
      assertEquals(i, m.getInt(0));
      assertEquals(~i, m.getInt(4092));
    }
    f.get(SOON.toSeconds(), TimeUnit.SECONDS);
    assertFalse(in.poll(Duration.ZERO));
  }

  @Test
  void concurrentSendersAndReceiversKeepEachMessageWholeAndEachSendersOrder() throws Exception {
    int senders = 4;
    int receivers = 2;
    int each = 300;
    Pipe<byte[]> pipe = ipc.pipe("threads", true, Codec.bytes());
    Connection<byte[]> out = pipe.right();
    Connection<byte[]> in = pipe.left();
    List<CompletableFuture<Void>> sending = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int id = s;
      sending.add(Threads.start(() -> {
        for (int i = 0; i < each; i++) {
          out.sendBytes(tagged(id, i));
        }
        return null;
      }, null));
    }
    AtomicInteger left = new AtomicInteger(senders * each);
    List<CompletableFuture<List<long[]>>> receiving = new ArrayList<>();
    for (int r = 0; r < receivers; r++) {
      receiving.add(Threads.start(() -> {
        List<long[]> got = new ArrayList<>();
        while (left.getAndDecrement() > 0) {
          byte[] m = in.recvBytes();
          ByteBuffer b = ByteBuffer.wrap(m);
          int id = b.getInt();
          int seq = b.getInt();
          if (!Arrays.equals(m, tagged(id, seq))) {
            throw new AssertionError("message " + seq + " of sender " + id + " arrived damaged: " + m.length
                + " bytes");
          }
          got.add(new long[] {id, seq});
        }
        return got;
      }, null));
    }
    for (CompletableFuture<Void> f : sending) {
      f.get(SOON.toSeconds(), TimeUnit.SECONDS);
    }
    Set<Long> seen = new HashSet<>();
    for (CompletableFuture<List<long[]>> f : receiving) {
      int[] last = new int[senders];
      Arrays.fill(last, -1);
      for (long[] m : f.get(SOON.toSeconds(), TimeUnit.SECONDS)) {
        int id = (int) m[0];
        int seq = (int) m[1];
        assertTrue(seq > last[id], "sender " + id + ": message " + seq + " arrived after " + last[id]);
        last[id] = seq;
        assertTrue(seen.add(m[0] * each + seq), "message " + seq + " of sender " + id + " arrived twice");
      }
    }
    assertEquals(senders * each, seen.size());
    assertFalse(in.poll(Duration.ZERO));
  }

  @Test
  void blockedCallsHonourInterrupts() throws Exception {
    Pipe<byte[]> pipe = ipc.pipe("interrupts", true, Codec.bytes());
    Connection<byte[]> left = pipe.left();
    List<Thread> threads = new ArrayList<>();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    Thread[] one = new Thread[1];
    calls.add(Threads.start(left::recvBytes, one));               // nothing comes
    threads.add(one[0]);
    calls.add(Threads.start(() -> left.poll(Duration.ofSeconds(60)), one));
    threads.add(one[0]);
    calls.add(Threads.start(() -> {                                // blocks once the direction is full
      for (;;) {
        left.sendBytes(new byte[8192]);
      }
    }, one));
    threads.add(one[0]);
    for (int i = 0; i < threads.size(); i++) {
      Await.blocked(threads.get(i), SOON);
      assertFalse(calls.get(i).isDone());
    }
    threads.forEach(Thread::interrupt);
    for (CompletableFuture<?> call : calls) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> call.get(SOON.toSeconds(), TimeUnit.SECONDS));
      assertInstanceOf(InterruptedException.class, e.getCause());
    }
  }

  @Test
  void anInterruptedReceiveTakesNoMessage() throws Exception {
    Pipe<String> pipe = ipc.pipe("interrupted-recv", true, Codec.string());
    Thread[] receiver = new Thread[1];
    CompletableFuture<String> f = Threads.start(() -> pipe.left().recv(), receiver);
    Await.blocked(receiver[0], SOON);
    receiver[0].interrupt();
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(SOON.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, e.getCause());
    pipe.right().send("still there");
    assertEquals("still there", pipe.left().recv());
  }

  @Test
  void closingAConnectionFailsTheCallsBlockedOnIt() throws Exception {
    Pipe<String> pipe = ipc.pipe("closed-while-blocked", true, Codec.string());
    Connection<String> left = pipe.left();
    Thread[] receiver = new Thread[1];
    CompletableFuture<String> f = Threads.start(left::recv, receiver);
    Await.blocked(receiver[0], SOON);
    left.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(SOON.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
  }

  @Test
  void theLastConnectionOfThisJvmToUseAnEndReleasesIt() throws Exception {
    Pipe<String> first = ipc.pipe("users", true, Codec.string());
    Pipe<String> second = ipc.pipe("users", true, Codec.string());
    Pipe<String> unused = ipc.pipe("users", true, Codec.string());
    Connection<String> left = first.left();
    first.right().send("a");
    second.right().send("b");
    unused.right().close();                     // never used: releases nothing
    first.right().close();                      // second.right() still uses the end
    assertEquals("a", left.recv());
    assertEquals("b", left.recv());
    assertFalse(left.poll(Duration.ZERO), "end-of-file while another connection of this JVM uses the end");
    second.close();                             // the pipe handle closes its connections
    assertTrue(left.poll(Duration.ofSeconds(10)));
    assertThrows(EOFException.class, left::recv);
  }

  @Test
  void aMessageSentBeforeThePeerEndIsEverUsedWaitsForIt() throws Exception {
    Pipe<String> pipe = ipc.pipe("early", true, Codec.string());
    pipe.left().send("early");
    assertFalse(pipe.left().poll(Duration.ofMillis(20)), "a peer end nobody ever used is not end-of-file");
    assertEquals("early", ipc.pipe("early", true, Codec.string()).right().recv());
  }

  @Test
  void badArgumentsAndClosedHandlesAreRefused() throws Exception {
    Pipe<String> pipe = ipc.pipe("bad", true, Codec.string());
    Connection<String> left = pipe.left();
    assertThrows(NullPointerException.class, () -> left.send(null));
    assertThrows(NullPointerException.class, () -> left.sendBytes(null));
    assertThrows(NullPointerException.class, () -> left.poll(null));
    assertThrows(NullPointerException.class, () -> ipc.pipe("bad2", true, null));
    assertThrows(IllegalArgumentException.class, () -> ipc.pipe("../x", true, Codec.string()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ipc.pipe("bad", false, Codec.string()));
    assertTrue(e.getMessage().contains("\"bad\"") && e.getMessage().contains("duplex=true"), e.getMessage());
    ipc.sharedLong("a-long", 0);
    e = assertThrows(IllegalArgumentException.class, () -> ipc.pipe("a-long", true, Codec.string()));
    assertTrue(e.getMessage().contains("SharedLong"), e.getMessage());

    Codec<String> encodesNull = new Codec<>() {
      @Override public byte[] encode(String message) {
        return null;
      }

      @Override public String decode(byte[] bytes, int offset, int length) {
        return null;
      }
    };
    Pipe<String> broken = ipc.pipe("broken", true, encodesNull);
    assertThrows(NullPointerException.class, () -> broken.left().send("x"));
    broken.left().sendBytes(new byte[] {1});
    DecodeException d = assertThrows(DecodeException.class, () -> broken.right().recv());
    assertArrayEquals(new byte[] {1}, d.bytes());
    assertNull(d.getCause());

    left.close();
    left.close();                               // harmless
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> left.send("x"));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    assertThrows(IllegalStateException.class, left::recv);
    assertThrows(IllegalStateException.class, left::recvBytes);
    assertThrows(IllegalStateException.class, () -> left.sendBytes(new byte[1]));
    assertThrows(IllegalStateException.class, () -> left.poll(Duration.ZERO));
    pipe.close();
    pipe.close();
    assertThrows(IllegalStateException.class, pipe::left);
    assertThrows(IllegalStateException.class, pipe::right);
  }

  @Test
  void anUndecodableMessageIsThrownWithItsBytesAndTheNextOneArrives() throws Exception {
    Pipe<String> pipe = ipc.pipe("picky", true, new Picky());
    pipe.left().send("poison");
    pipe.left().send("fine");
    Connection<String> right = pipe.right();
    DecodeException e = assertThrows(DecodeException.class, right::recv);
    assertEquals("poison", new String(e.bytes(), StandardCharsets.UTF_8));
    assertTrue(e.getMessage().contains("picky") && e.getMessage().contains("6 bytes"), e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("fine", right.recv(), "the connection stays usable");
  }

  @Test
  void aCodecThatCannotEncodeSendsNothing() throws Exception {
    Pipe<String> pipe = ipc.pipe("unencodable", true, new Picky());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pipe.left().send("unencodable"));
    assertTrue(e.getMessage().contains("refusing to encode"), e.getMessage());
    assertFalse(pipe.right().poll(Duration.ZERO));
    pipe.left().send("next");
    assertEquals("next", pipe.right().recv());
  }

  @Test
  void referencesNameThePipeOrTheEndAndReopenIt() throws Exception {
    Pipe<String> pipe = ipc.pipe("refs", false, Codec.string());
    HandleRef whole = ((Handle) pipe).handleRef();
    HandleRef left = ((Handle) pipe.left()).handleRef();
    HandleRef right = ((Handle) pipe.right()).handleRef();
    assertEquals(List.of(2L, 0L, 1L), List.of(whole.arg(), left.arg(), right.arg()));
    for (HandleRef r : List.of(whole, left, right)) {
      assertEquals("refs", r.name());
      assertFalse(r.flag(), "the duplex flag");
      assertSame(Codec.string(), r.codec());
      assertEquals(ipc.location(), r.location());
    }
    @SuppressWarnings("unchecked")
    Connection<String> leftAgain = (Connection<String>) Serialized.roundTrip(pipe.left());
    assertTrue(leftAgain.readable());
    assertFalse(leftAgain.writable());
    @SuppressWarnings("unchecked")
    Pipe<String> pipeAgain = (Pipe<String>) Serialized.roundTrip(pipe);
    assertFalse(pipeAgain.duplex());
    pipeAgain.right().send("through the copies");
    assertEquals("through the copies", leftAgain.recv());
  }

  // ---- helpers

  /** Message {@code i} of {@code size} bytes, its bytes a function of both. */
  static byte[] content(int i, int size) {
    byte[] b = new byte[size];
    for (int k = 0; k < size; k++) {
      b[k] = (byte) (k * 31 + i + (k >>> 11));
    }
    return b;
  }

  /** Message {@code seq} of sender {@code id}: both as ints, then filler of a length that varies with them. */
  static byte[] tagged(int id, int seq) {
    byte[] b = new byte[8 + (seq * 53 + id * 17) % 700];
    ByteBuffer.wrap(b).putInt(id).putInt(seq);
    for (int k = 8; k < b.length; k++) {
      b[k] = (byte) (k ^ seq ^ id);
    }
    return b;
  }

  /** UTF-8 strings; refuses to encode "unencodable" and to decode "poison". */
  static final class Picky implements Codec<String> {
    private static final long serialVersionUID = 1L;

    @Override public byte[] encode(String m) {
      if (m.equals("unencodable")) {
        throw new IllegalStateException("refusing to encode " + m);
      }
      return m.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String decode(byte[] b, int off, int len) {
      String s = new String(b, off, len, StandardCharsets.UTF_8);
      if (s.equals("poison")) {
        throw new IllegalStateException("refusing to decode " + s);
      }
      return s;
    }

    @Override public String toString() {
      return "Picky";
    }
  }
}
