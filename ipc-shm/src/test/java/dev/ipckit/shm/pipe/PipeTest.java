package dev.ipckit.shm.pipe;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.DecodeException;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.suite.QueueCodecs;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pipes between real processes: messages, order, direction, EOF on close and on SIGKILL, large messages. */
@Tag("crash")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeTest {
  @RegisterExtension
  final Children children = new Children();

  @Test
  void pingPongBothWays() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("pp", true, Codec.string());
      Connection<String> right = pipe.right();
      IpcProcess child = children.start(() -> {
        // phase 1: answer the parent's pings
        for (;;) {
          String m = right.recv();
          if (m.equals("switch")) {
            break;
          }
          right.send("pong " + m);
        }
        // phase 2: ping the parent
        for (int i = 0; i < 1000; i++) {
          right.send("ping " + i);
          String r = right.recv();
          if (!r.equals("pong ping " + i)) {
            throw new AssertionError("child expected the answer to ping " + i + ", got " + r);
          }
        }
        right.close();
      });
      Connection<String> left = pipe.left();
      for (int i = 0; i < 1000; i++) {
        left.send(Integer.toString(i));
        assertEquals("pong " + i, left.recv());
      }
      left.send("switch");
      for (int i = 0; i < 1000; i++) {
        String m = left.recv();
        assertEquals("ping " + i, m);
        left.send("pong " + m);
      }
      assertThrows(EOFException.class, left::recv);
      assertExitsOk(child, RUN);
    }
  }

  @Test
  void halfDuplexDirections() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
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

      Pipe<String> duplex = ipc.pipe("full", true, Codec.string());
      assertTrue(duplex.duplex());
      for (Connection<String> c : Arrays.asList(duplex.left(), duplex.right())) {
        assertTrue(c.readable());
        assertTrue(c.writable());
      }
    }
  }

  @Test
  void millionMessagesInOrder() throws Exception {
    int n = 1_000_000;
    try (Ipc ipc = Ipc.temp()) {
      Pipe<byte[]> pipe = ipc.pipe("order", false, Codec.bytes());
      IpcProcess child = children.start(() -> {
        Connection<byte[]> out = pipe.right(); // the whole pipe travelled; this process uses its right end
        for (int i = 0; i < n; i++) {
          byte[] m = new byte[8 + i % 61]; // sizes vary so that records pad at the ring's end
          ByteBuffer.wrap(m).putLong(i);
          out.sendBytes(m);
        }
      });
      Connection<byte[]> in = pipe.left();
      for (int i = 0; i < n; i++) {
        byte[] m = in.recvBytes();
        assertEquals(8 + i % 61, m.length, "length of message " + i);
        long seq = ByteBuffer.wrap(m).getLong();
        if (seq != i) {
          fail("message " + i + " arrived as sequence number " + seq);
        }
      }
      // the sender exited without closing: its death is the end of the stream
      assertThrows(EOFException.class, in::recvBytes);
      assertExitsOk(child, RUN);
    }
  }

  @Test
  void pollTimeouts() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("poll", true, Codec.string());
      Connection<String> left = pipe.left();
      Connection<String> right = pipe.right();
      assertFalse(left.poll(Duration.ZERO));
      assertFalse(left.poll(Duration.ofMillis(-5)));
      long t0 = System.nanoTime();
      assertFalse(left.poll(Duration.ofMillis(50)));
      long waited = System.nanoTime() - t0;
      assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "poll(50 ms) returned after " + waited + " ns");
      right.send("here");
      assertTrue(left.poll(Duration.ZERO));
      assertTrue(left.poll(Duration.ofSeconds(10)));
      assertEquals("here", left.recv());
      assertFalse(left.poll(Duration.ofMillis(1)));
      // a message from another process wakes a long poll
      Pipe<String> other = ipc.pipe("poll2", true, Codec.string());
      Connection<String> theirs = other.right();
      Connection<String> mine = other.left();
      IpcProcess child = children.start(() -> theirs.send("late"));
      assertTrue(mine.poll(RUN));
      assertEquals("late", mine.recv());
      assertExitsOk(child, RUN);
      // EOF counts as readable: the child's end is released when it exits
      assertTrue(mine.poll(RUN));
      assertThrows(EOFException.class, mine::recv);
      assertThrows(IOException.class, () -> mine.send("to nobody"));
    }
  }

  /** The child uses {@code childEnd}, sends three messages and closes it while staying alive. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void eofWhenThePeerCloses(int childEnd) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("close", true, Codec.string());
      SharedLong release = ipc.sharedLong("release", 0);
      Connection<String> theirs = childEnd == 0 ? pipe.left() : pipe.right();
      Connection<String> mine = childEnd == 0 ? pipe.right() : pipe.left();
      IpcProcess child = children.start(() -> {
        for (int i = 0; i < 3; i++) {
          theirs.send("m" + i);
        }
        theirs.close();
        // stay alive: the EOF must come from the close, not from the exit
        Await.value(release, 1, RUN);
      });
      try {
        for (int i = 0; i < 3; i++) {
          assertEquals("m" + i, mine.recv());
        }
        EOFException eof = assertThrows(EOFException.class, mine::recv);
        assertTrue(eof.getMessage().contains("was closed"), eof.getMessage());
        assertTrue(child.isAlive());
        assertThrows(EOFException.class, mine::recv, "EOF is sticky");
        assertTrue(mine.poll(Duration.ZERO));
        IOException io = assertThrows(IOException.class, () -> mine.send("to a closed end"));
        assertTrue(io.getMessage().contains("closed"), io.getMessage());
      } finally {
        release.set(1);
      }
      assertExitsOk(child, RUN);
    }
  }

  /** The child claims {@code childEnd} and is SIGKILLed while the parent is blocked in recv. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void eofWhenThePeerIsKilled(int childEnd) throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("kill", true, Codec.string());
      Connection<String> theirs = childEnd == 0 ? pipe.left() : pipe.right();
      Connection<String> mine = childEnd == 0 ? pipe.right() : pipe.left();
      IpcProcess child = children.start(() -> {
        theirs.send("ready");
        theirs.recv(); // blocks until killed
      });
      assertEquals("ready", mine.recv());
      long[] dead = new long[1];
      CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
        try {
          // paces the kill so that the parent is inside recv; the outcome does not depend on it
          Thread.sleep(200);
          Crash.kill(child);
          dead[0] = System.nanoTime();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      EOFException eof = assertThrows(EOFException.class, mine::recv);
      long eofAt = System.nanoTime();
      killer.get(60, TimeUnit.SECONDS);
      assertTrue(eof.getMessage().contains("died") && eof.getMessage().contains("pid " + child.pid()),
          eof.getMessage());
      long latencyMs = TimeUnit.NANOSECONDS.toMillis(eofAt - dead[0]);
      // the promise is 100 ms; the bound here leaves room for a loaded machine
      assertTrue(latencyMs < 1000, "EOF came " + latencyMs + " ms after the peer died");
    }
  }

  /** An end handed to a child is claimed on arrival: the child's death is an EOF even if it never used it. */
  @Test
  void eofWhenAPeerThatNeverUsedItsEndIsKilled() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("unused", true, Codec.string());
      Connection<String> theirs = pipe.right();
      Crash child = Crash.at(children, ipc, () -> {
        Object keep = theirs; // captured, reopened on arrival, never used; the child stands still until killed
        keep.hashCode();
      });
      child.kill();
      Connection<String> mine = pipe.left();
      assertTrue(mine.poll(Duration.ofSeconds(10)), "EOF counts as readable");
      EOFException eof = assertThrows(EOFException.class, mine::recv);
      assertTrue(eof.getMessage().contains("pid " + child.process().pid()), eof.getMessage());
    }
  }

  @Test
  void senderGetsIoExceptionWhenTheReaderDies() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<byte[]> pipe = ipc.pipe("reader-dies", false, Codec.bytes());
      SharedLong claimed = ipc.sharedLong("claimed", 0);
      Connection<byte[]> in = pipe.left();
      IpcProcess child = children.start(() -> {
        in.poll(Duration.ZERO); // claims the left end
        claimed.set(1);
        in.poll(Duration.ofSeconds(60)); // blocks until killed
        throw new AssertionError("the reader was not killed");
      });
      Await.value(claimed, 1, RUN);
      Crash.kill(child);
      Connection<byte[]> out = pipe.right();
      byte[] m = new byte[64];
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 10_000_000; i++) { // the ring holds far fewer: the sender must notice
          out.sendBytes(m);
        }
      });
      assertTrue(e.getMessage().contains("died") && e.getMessage().contains("pid " + child.pid()), e.getMessage());
    }
  }

  @Test
  void largeMessagesBothWays() throws Exception {
    int size = 64 << 20;
    try (Ipc ipc = Ipc.temp()) {
      Pipe<byte[]> pipe = ipc.pipe("large", true, Codec.bytes());
      Connection<byte[]> right = pipe.right();
      IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-Xmx512m"), () -> {
        byte[] m = right.recv();
        if (m.length != size) {
          throw new AssertionError("child received " + m.length + " bytes, expected " + size);
        }
        for (int i = 0; i < m.length; i++) {
          m[i] = (byte) ~m[i];
        }
        right.send(m);
        right.send(new byte[0]);
        right.send(new byte[] {42});
      });
      byte[] big = new byte[size];
      for (int i = 0; i < size; i++) {
        big[i] = (byte) (i * 31 + (i >>> 13));
      }
      Connection<byte[]> left = pipe.left();
      left.send(big);
      byte[] back = left.recv();
      for (int i = 0; i < size; i++) {
        big[i] = (byte) ~big[i];
      }
      assertArrayEquals(big, back);
      assertEquals(0, left.recv().length);
      assertArrayEquals(new byte[] {42}, left.recv());
      assertExitsOk(child, RUN);
    }
  }

  @Test
  void partOfALargeMessageFromAKilledSenderIsNeverDelivered() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<byte[]> pipe = ipc.pipe("half-sent", false, Codec.bytes());
      Connection<byte[]> out = pipe.right();
      IpcProcess child = children.start(() -> {
        out.send(new byte[] {1, 2, 3});
        out.send(new byte[16 << 20]); // blocks once the ring is full: nobody reads yet
        throw new AssertionError("a 16 MiB message went through a ring nobody reads");
      });
      Connection<byte[]> in = pipe.left();
      assertTrue(in.poll(RUN));
      // wait until the ring is half full, i.e. the child is inside the large message
      PipeEnd state = ((ShmConnection<byte[]>) in).pipeEnd();
      Await.until("the child to fill half the ring", RUN,
          () -> state.pendingBytes() >= PipeDescriptor.RING_CAPACITY / 2);
      Crash.kill(child);
      assertArrayEquals(new byte[] {1, 2, 3}, in.recv());
      assertThrows(EOFException.class, in::recv);
    }
  }

  @Test
  void anEndOpenedByNameInAnIndependentProcess() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      String dir = ipc.dir().toString();
      Connection<String> left = ipc.pipe("named", true, Codec.string()).left();
      IpcProcess child = children.start(() -> {
        try (Ipc other = Ipc.open(Path.of(dir))) {
          Connection<String> right = other.pipe("named", true, Codec.string()).right();
          right.send("hello from " + ProcessHandle.current().pid());
          String answer = right.recv();
          if (!answer.equals("hello back")) {
            throw new AssertionError("child got " + answer);
          }
          IllegalArgumentException e = null;
          try {
            other.pipe("named", false, Codec.string());
          } catch (IllegalArgumentException expected) {
            e = expected;
          }
          if (e == null || !e.getMessage().contains("duplex=true")) {
            throw new AssertionError("reopening with another duplex flag was not refused clearly", e);
          }
        } // closing the namespace closes the end: the parent sees EOF
      });
      assertEquals("hello from " + child.pid(), left.recv());
      left.send("hello back");
      assertThrows(EOFException.class, left::recv);
      assertExitsOk(child, RUN);
    }
  }

  @Test
  void anEndHasOneOwnerProcessAndADeadOwnersClaimIsTakenOver() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("owned", true, Codec.string());
      Connection<String> left = pipe.left();
      Connection<String> right = pipe.right();
      assertFalse(left.poll(Duration.ZERO)); // claims the left end for this process
      long me = ProcessHandle.current().pid();
      IpcProcess intruder = children.start(() -> {
        try {
          left.recv();
        } catch (IllegalStateException e) {
          String m = e.getMessage();
          if (m.contains("left end of pipe \"owned\"") && m.contains("in use by process " + me)) {
            return;
          }
          throw new AssertionError("unclear message: " + m, e);
        }
        throw new AssertionError("a second process received on an end in use");
      });
      assertExitsOk(intruder, RUN);

      IpcProcess owner = children.start(() -> {
        right.send("from the first owner");
        right.recv(); // blocks until killed
      });
      assertEquals("from the first owner", left.recv());
      Crash.kill(owner);
      assertThrows(EOFException.class, left::recv);
      right.send("from the next owner"); // this process takes the dead owner's end over
      assertEquals("from the next owner", left.recv());
      assertEquals(1, ((ShmConnection<String>) right).pipeEnd().takeovers());
    }
  }

  @Test
  void sendBlocksWhileTheRingIsFullAndLosesNothing() throws Exception {
    int n = 100_000; // 64-byte messages: several times what the ring holds
    try (Ipc ipc = Ipc.temp()) {
      Pipe<byte[]> pipe = ipc.pipe("full", false, Codec.bytes());
      Connection<byte[]> out = pipe.right();
      Connection<byte[]> in = pipe.left();
      assertFalse(in.poll(Duration.ZERO)); // claimed: the sender waits for this reader, not for an owner
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < n; i++) {
            byte[] m = new byte[64];
            ByteBuffer.wrap(m).putInt(i);
            out.sendBytes(m);
            sent.incrementAndGet();
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      PipeEnd state = ((ShmConnection<byte[]>) in).pipeEnd();
      Await.until("the ring to fill", RUN,
          () -> state.pendingBytes() >= PipeDescriptor.RING_CAPACITY - 128);
      assertTrue(sent.get() < n, "all " + n + " messages fitted a full ring");
      assertFalse(sender.isDone());
      for (int i = 0; i < n; i++) {
        assertEquals(i, ByteBuffer.wrap(in.recvBytes()).getInt());
      }
      sender.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void blockedCallsHonourInterrupts() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("interrupts", true, Codec.string());
      Connection<String> left = pipe.left();
      Throwable[] thrown = new Throwable[2];
      Thread recv = new Thread(() -> {
        try {
          left.recv();
        } catch (Throwable t) {
          thrown[0] = t;
        }
      });
      Thread poll = new Thread(() -> {
        try {
          pipe.right().poll(Duration.ofSeconds(60));
        } catch (Throwable t) {
          thrown[1] = t;
        }
      });
      recv.start();
      poll.start();
      recv.interrupt();
      poll.interrupt();
      recv.join(RUN.toMillis());
      poll.join(RUN.toMillis());
      assertFalse(recv.isAlive() || poll.isAlive(), "a blocked call ignored its interrupt");
      assertTrue(thrown[0] instanceof InterruptedException, String.valueOf(thrown[0]));
      assertTrue(thrown[1] instanceof InterruptedException, String.valueOf(thrown[1]));
    }
  }

  @Test
  void badInputs() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
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

      Codec<String> broken = new Codec<>() {
        @Override public byte[] encode(String message) {
          return null;
        }

        @Override public String decode(byte[] bytes, int offset, int length) {
          return "";
        }
      };
      Connection<String> viaBroken = ipc.pipe("broken", true, broken).left();
      assertThrows(NullPointerException.class, () -> viaBroken.send("x"));

      left.close();
      left.close(); // harmless
      IllegalStateException closed = assertThrows(IllegalStateException.class, () -> left.send("x"));
      assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
      assertThrows(IllegalStateException.class, left::recv);
      pipe.close();
      assertThrows(IllegalStateException.class, pipe::left);
    }
  }

  @Test
  void anUndecodableMessageIsThrownWithItsBytesAndTheNextOneArrives() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("picky", true, new QueueCodecs.Picky());
      pipe.left().send("poison");
      pipe.left().send("fine");
      Connection<String> right = pipe.right();
      DecodeException e = assertThrows(DecodeException.class, right::recv);
      assertEquals("poison", new String(e.bytes(), StandardCharsets.UTF_8));
      assertTrue(e.getMessage().contains("picky") && e.getMessage().contains("6 bytes"), e.getMessage());
      assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
      assertEquals("fine", right.recv(), "the connection stays usable");
    }
  }
}
