package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.RUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.Threads;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipes whose peer process is killed with {@code kill -9}, on any backend: a receiver blocked on the dead peer
 * sees end-of-file (after what the peer had sent) within a bounded wait, even when the peer never used its end;
 * a sender blocked on a full direction into a dead reader gets {@link IOException}; the dead owner's end is taken
 * over by the next process that uses it. Children synchronise with this JVM through pipes alone.
 */
@Tag("crash")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PipeCrashSuite {
  /** The longest a survivor may take to notice a reaped peer's death (the backends take milliseconds). */
  protected static final Duration NOTICE = Duration.ofSeconds(3);

  @RegisterExtension
  protected final Children children = new Children();

  protected Ipc ipc;

  /** A namespace of the backend under test that no other test uses; the suite closes it after each test. */
  protected abstract Ipc newNamespace(String hint);

  @BeforeEach
  void openNamespace() {
    ipc = newNamespace("pipe-crash");
  }

  @AfterEach
  void closeNamespace() {
    if (ipc != null) {
      ipc.close();
    }
  }

  /** The child claims {@code childEnd}, and is killed while this process is blocked in recv on the other end. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void eofWhenThePeerIsKilledWhileThisEndIsBlockedInRecv(int childEnd) throws Exception {
    Pipe<String> pipe = ipc.pipe("kill", true, Codec.string());
    Connection<String> theirs = childEnd == 0 ? pipe.left() : pipe.right();
    Connection<String> mine = childEnd == 0 ? pipe.right() : pipe.left();
    IpcProcess child = children.start(() -> {
      theirs.send("ready");
      theirs.recv();                            // blocks until killed
    });
    assertEquals("ready", mine.recv());
    AtomicLong eofAt = new AtomicLong();
    Thread[] receiver = new Thread[1];
    CompletableFuture<String> f = Threads.start(() -> {
      try {
        return mine.recv();
      } finally {
        eofAt.set(System.nanoTime());
      }
    }, receiver);
    Await.blocked(receiver[0], RUN);
    Crash.kill(child);
    long dead = System.nanoTime();
    EOFException eof = endOfFile(f);
    assertTrue(eof.getMessage().contains("died") && eof.getMessage().contains("pid " + child.pid()),
        eof.getMessage());
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(eofAt.get() - dead);
    assertTrue(latencyMs < NOTICE.toMillis(), "end-of-file came " + latencyMs + " ms after the peer was reaped");
    assertTrue(mine.poll(Duration.ZERO), "end-of-file counts as readable");
    assertThrows(EOFException.class, mine::recv, "end-of-file stays");
    IOException io = assertThrows(IOException.class, () -> mine.send("to the dead"),
        "a send to an owner found dead fails at once");
    assertTrue(io.getMessage().contains("pid " + child.pid()), io.getMessage());
  }

  /** An end handed to a child is claimed on arrival: the child's death is an EOF even if it never used the end. */
  @Test
  void eofWhenAPeerThatNeverUsedItsEndIsKilled() throws Exception {
    Pipe<String> pipe = ipc.pipe("unused", true, Codec.string());
    Pipe<String> control = ipc.pipe("control", false, Codec.string());
    Connection<String> theirs = pipe.right();
    Connection<String> ready = control.right();
    IpcProcess child = children.start(() -> {
      Object keep = theirs;                     // captured, claimed on arrival, never used
      ready.send("arrived " + keep.hashCode());
      new CountDownLatch(1).await();            // until killed
    });
    assertTrue(control.left().recv().startsWith("arrived"));
    Crash.kill(child);
    Connection<String> mine = pipe.left();
    assertTrue(mine.poll(NOTICE), "end-of-file counts as readable");
    EOFException eof = assertThrows(EOFException.class, mine::recv);
    assertTrue(eof.getMessage().contains("pid " + child.pid()), eof.getMessage());
  }

  @Test
  void aSenderBlockedOnAFullDirectionGetsIoExceptionWhenTheReaderIsKilled() throws Exception {
    Pipe<byte[]> pipe = ipc.pipe("reader-dies", false, Codec.bytes());
    Pipe<String> control = ipc.pipe("control", false, Codec.string());
    Connection<byte[]> in = pipe.left();
    Connection<String> ready = control.right();
    IpcProcess child = children.start(() -> {
      in.poll(Duration.ZERO);                   // claims the left end (it arrived claimed already)
      ready.send("reading");
      new CountDownLatch(1).await();            // reads nothing until killed
    });
    assertEquals("reading", control.left().recv());
    Connection<byte[]> out = pipe.right();
    Thread[] sender = new Thread[1];
    CompletableFuture<Void> f = Threads.start(() -> {
      byte[] m = new byte[4096];
      for (;;) {
        out.sendBytes(m);
      }
    }, sender);
    Await.blocked(sender[0], RUN);             // the direction is full: the send waits for the reader
    assertFalse(f.isDone());
    Crash.kill(child);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(NOTICE.toMillis(),
        TimeUnit.MILLISECONDS));
    assertInstanceOf(IOException.class, e.getCause());
    String m = e.getCause().getMessage();
    assertTrue(m.contains("died") && m.contains("pid " + child.pid()), m);
    IOException again = assertThrows(IOException.class, () -> out.sendBytes(new byte[1]));
    assertTrue(again.getMessage().contains("pid " + child.pid()), again.getMessage());
  }

  @Test
  void aMessageSentToAKilledReaderWhileThereIsRoomIsKeptForTheEndsNextOwner() throws Exception {
    Pipe<String> pipe = ipc.pipe("kept", false, Codec.string());
    Pipe<String> control = ipc.pipe("control", false, Codec.string());
    Connection<String> in = pipe.left();
    Connection<String> ready = control.right();
    IpcProcess reader = children.start(() -> {
      ready.send("read " + in.recv());
      in.recv();                                // waits for more until killed
    });
    Connection<String> out = pipe.right();
    out.send("the first");
    assertEquals("read the first", control.left().recv());
    Crash.kill(reader);
    out.send("kept for the next owner");        // there is room, and nobody has found the reader dead yet
    assertEquals("kept for the next owner", pipe.left().recv(), "this process takes the dead reader's end over");
  }

  @Test
  void aKilledOwnersEndIsTakenOverByTheNextProcessThatUsesIt() throws Exception {
    Pipe<String> pipe = ipc.pipe("takeover", true, Codec.string());
    Pipe<String> control = ipc.pipe("control", false, Codec.string());
    Connection<String> right = pipe.right();
    Connection<String> ready = control.right();
    IpcProcess owner = children.start(() -> {
      for (int i = 0; i < 3; i++) {
        right.send("m" + i);
      }
      ready.send("sent");
      right.recv();                             // blocks until killed
    });
    assertEquals("sent", control.left().recv());
    Crash.kill(owner);
    Connection<String> left = pipe.left();
    for (int i = 0; i < 3; i++) {
      assertEquals("m" + i, left.recv(), "what the dead owner had sent is still received");
    }
    EOFException eof = assertThrows(EOFException.class, left::recv);
    assertTrue(eof.getMessage().contains("pid " + owner.pid()), eof.getMessage());
    right.send("from the next owner");          // this process takes the dead owner's end over
    assertEquals("from the next owner", left.recv());
    left.send("to the next owner");
    assertEquals("to the next owner", right.recv());
  }

  /** The end-of-file {@code f} (a receive) ends with, within {@link #NOTICE} of now. */
  private static EOFException endOfFile(CompletableFuture<?> f) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> f.get(NOTICE.toMillis() + Children.REAP.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(EOFException.class, e.getCause());
    return (EOFException) e.getCause();
  }
}
