package dev.ipckit.testkit.suite;

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
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.testkit.Children;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipes between this JVM and real child JVMs, on any backend: a child that echoes over a duplex pipe, a
 * half-duplex producer, large messages, polls woken from another process, end-of-file when the child closes its
 * end or exits, an end opened by name, and one owner process per end. Children get their ends captured by the task
 * (claimed on arrival) or open the pipe by name; they synchronise with this JVM through pipes alone.
 */
@Tag("process")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PipeProcessSuite {
  @RegisterExtension
  protected final Children children = new Children();

  protected Ipc ipc;

  /** A namespace of the backend under test that no other test uses; the suite closes it after each test. */
  protected abstract Ipc newNamespace(String hint);

  @BeforeEach
  void openNamespace() {
    ipc = newNamespace("pipe-process");
  }

  @AfterEach
  void closeNamespace() {
    if (ipc != null) {
      ipc.close();
    }
  }

  @Test
  void aChildEchoesOverADuplexPipeAndThenPingsBack() throws Exception {
    int rounds = 300;
    Pipe<String> pipe = ipc.pipe("echo", true, Codec.string());
    Connection<String> right = pipe.right();
    IpcProcess child = children.start(() -> {
      for (;;) {                                 // phase 1: answer the parent's pings
        String m = right.recv();
        if (m.equals("switch")) {
          break;
        }
        right.send("pong " + m);
      }
      for (int i = 0; i < rounds; i++) {        // phase 2: ping the parent
        right.send("ping " + i);
        String r = right.recv();
        check(r.equals("pong ping " + i), "the answer to ping " + i + ", not " + r);
      }
      right.close();
    });
    Connection<String> left = pipe.left();
    for (int i = 0; i < rounds; i++) {
      left.send(Integer.toString(i));
      assertEquals("pong " + i, left.recv());
    }
    left.send("switch");
    for (int i = 0; i < rounds; i++) {
      String m = left.recv();
      assertEquals("ping " + i, m);
      left.send("pong " + m);
    }
    EOFException eof = assertThrows(EOFException.class, left::recv);
    assertTrue(eof.getMessage().contains("was closed"), eof.getMessage());
    assertExitsOk(child, RUN);
  }

  @Test
  void aHalfDuplexProducerChildStreamsMessagesInOrderAndItsExitIsTheEnd() throws Exception {
    int n = 10_000;                             // about 10 MB: many times what a direction holds
    Pipe<byte[]> pipe = ipc.pipe("stream", false, Codec.bytes());
    IpcProcess child = children.start(() -> {
      Connection<byte[]> out = pipe.right();    // the whole pipe travelled; this process uses its right end
      for (int i = 0; i < n; i++) {
        out.sendBytes(numbered(i));
      }
    });
    Connection<byte[]> in = pipe.left();
    for (int i = 0; i < n; i++) {
      byte[] m = in.recvBytes();
      if (m.length != numbered(i).length || ByteBuffer.wrap(m).getInt() != i || m[m.length - 1] != (byte) i) {
        fail("message " + i + " arrived as " + m.length + " bytes numbered " + ByteBuffer.wrap(m).getInt());
      }
    }
    // the producer exited without closing its end: that is the end of the stream too
    assertThrows(EOFException.class, in::recvBytes);
    assertExitsOk(child, RUN);
  }

  @Test
  void aPollIsWokenByAnotherProcessAndTheEndOfThatProcessCountsAsReadable() throws Exception {
    Pipe<String> pipe = ipc.pipe("poll", true, Codec.string());
    Connection<String> theirs = pipe.right();
    Connection<String> mine = pipe.left();
    assertFalse(mine.poll(Duration.ZERO));
    IpcProcess child = children.start(() -> {
      theirs.send("late");
      check(theirs.recv().equals("bye"), "bye");
    });
    assertTrue(mine.poll(RUN));
    assertEquals("late", mine.recv());
    mine.send("bye");
    assertExitsOk(child, RUN);
    assertTrue(mine.poll(RUN), "end-of-file counts as readable");
    assertThrows(EOFException.class, mine::recv);
    assertThrows(IOException.class, () -> mine.send("to nobody"));
  }

  /** The child sends three messages and closes {@code childEnd} while it stays alive. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void eofWhenThePeerProcessClosesItsEnd(int childEnd) throws Exception {
    Pipe<String> pipe = ipc.pipe("close", true, Codec.string());
    Pipe<String> control = ipc.pipe("control", false, Codec.string());
    Connection<String> stay = control.left();
    Connection<String> theirs = childEnd == 0 ? pipe.left() : pipe.right();
    Connection<String> mine = childEnd == 0 ? pipe.right() : pipe.left();
    IpcProcess child = children.start(() -> {
      for (int i = 0; i < 3; i++) {
        theirs.send("m" + i);
      }
      theirs.close();
      stay.recv();                              // alive until the parent says: the EOF comes from the close
    });
    for (int i = 0; i < 3; i++) {
      assertEquals("m" + i, mine.recv());
    }
    EOFException eof = assertThrows(EOFException.class, mine::recv);
    assertTrue(eof.getMessage().contains("was closed"), eof.getMessage());
    assertTrue(child.isAlive());
    assertThrows(EOFException.class, mine::recv, "end-of-file stays");
    assertTrue(mine.poll(Duration.ZERO));
    IOException io = assertThrows(IOException.class, () -> mine.send("to a closed end"));
    assertTrue(io.getMessage().contains("closed"), io.getMessage());
    control.right().send("go");
    assertExitsOk(child, RUN);
  }

  @Test
  void anEndOpenedByNameInAnIndependentProcess() throws Exception {
    URI where = ipc.location();
    Connection<String> left = ipc.pipe("named", true, Codec.string()).left();
    IpcProcess child = children.start(() -> {
      try (Ipc other = Ipc.open(where)) {
        Connection<String> right = other.pipe("named", true, Codec.string()).right();
        right.send("hello from " + ProcessHandle.current().pid());
        String answer = right.recv();
        check(answer.equals("hello back"), "hello back, not " + answer);
        IllegalArgumentException e = null;
        try {
          other.pipe("named", false, Codec.string());
        } catch (IllegalArgumentException expected) {
          e = expected;
        }
        check(e != null && e.getMessage().contains("duplex=true"),
            "a clear refusal of the other duplex flag, not " + e);
      }                                         // closing the namespace closes the end: the parent sees EOF
    });
    assertEquals("hello from " + child.pid(), left.recv());
    left.send("hello back");
    EOFException eof = assertThrows(EOFException.class, left::recv);
    assertTrue(eof.getMessage().contains("was closed"), eof.getMessage());
    assertExitsOk(child, RUN);
  }

  @Test
  void anEndInUseByThisProcessIsRefusedToAnotherNamingThisPid() throws Exception {
    Pipe<String> pipe = ipc.pipe("owned", true, Codec.string());
    Connection<String> left = pipe.left();
    assertFalse(left.poll(Duration.ZERO));      // claims the left end for this process
    long me = ProcessHandle.current().pid();
    IpcProcess intruder = children.start(() -> {
      for (Call call : new Call[] {left::recv, () -> left.send("x"), () -> left.poll(Duration.ZERO)}) {
        try {
          call.run();
        } catch (IllegalStateException e) {
          String m = e.getMessage();
          check(m.contains("left end of pipe \"owned\"") && m.contains("in use by process " + me),
              "a message naming the end and the owner's pid, not: " + m);
          continue;
        }
        throw new AssertionError("a second process used an end in use");
      }
    });
    assertExitsOk(intruder, RUN);
    pipe.right().send("still mine");
    assertEquals("still mine", left.recv());
  }

  @Test
  void anEndIsClaimedWhereItArrivesAndByTheNextProcessOnceReleased() throws Exception {
    Pipe<String> pipe = ipc.pipe("arrives", true, Codec.string());
    Pipe<String> control = ipc.pipe("control", true, Codec.string());
    Connection<String> right = pipe.right();
    Connection<String> ctl = control.right();
    IpcProcess child = children.start(() -> {
      Object keep = right;                      // arrives, so it is claimed here, and is never used
      ctl.send("arrived");
      check(ctl.recv().equals("close it"), "close it");
      ((Connection<?>) keep).close();
      ctl.send("closed");
      ctl.recv();                               // until the parent is done
    });
    Connection<String> parent = control.left();
    assertEquals("arrived", parent.recv());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> right.send("too early"));
    assertTrue(e.getMessage().contains("right end of pipe \"arrives\"")
        && e.getMessage().contains("in use by process " + child.pid()), e.getMessage());
    parent.send("close it");
    assertEquals("closed", parent.recv());
    right.send("mine now");                     // released there: this process claims it
    assertEquals("mine now", pipe.left().recv());
    parent.send("bye");
    assertExitsOk(child, RUN);
  }

  @Test
  void aMessageSentBeforeThePeerEndWasEverClaimedWaitsForItsFirstOwner() throws Exception {
    Pipe<String> pipe = ipc.pipe("early", true, Codec.string());
    Connection<String> left = pipe.left();
    left.send("sent before anyone had the right end");
    Connection<String> right = pipe.right();
    IpcProcess child = children.start(() -> right.send("got: " + right.recv()));
    assertEquals("got: sent before anyone had the right end", left.recv());
    assertExitsOk(child, RUN);
  }

  @Test
  void aFiveMebibyteMessageBothWays() throws Exception {
    int size = 5 << 20;
    Pipe<byte[]> pipe = ipc.pipe("large", true, Codec.bytes());
    Connection<byte[]> right = pipe.right();
    IpcProcess child = children.start(() -> {
      byte[] m = right.recv();
      check(m.length == size, size + " bytes, not " + m.length);
      for (int i = 0; i < m.length; i++) {
        m[i] = (byte) ~m[i];
      }
      right.send(m);
      right.send(new byte[0]);
      right.send(new byte[] {42});
    });
    byte[] big = PipeSuite.content(5, size);
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

  // ---- helpers

  /** A call a child makes, which may throw. */
  private interface Call {
    void run() throws Exception;
  }

  /** In a child: fails the child (exit code 1, the message on its standard error) unless {@code ok}. */
  protected static void check(boolean ok, String expected) {
    if (!ok) {
      throw new AssertionError("in the child, expected " + expected);
    }
  }

  /** Message {@code i} of a stream: its number, then bytes up to a length that varies (8 to about 2 KB). */
  static byte[] numbered(int i) {
    byte[] b = new byte[8 + (i * 37) % 2000];
    ByteBuffer.wrap(b).putInt(i);
    b[b.length - 1] = (byte) i;
    return b;
  }
}
