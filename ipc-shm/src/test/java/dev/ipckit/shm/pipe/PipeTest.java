package dev.ipckit.shm.pipe;

import static dev.ipckit.testkit.Children.RUN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.EOFException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is the shared-memory pipe's own, beside {@link ShmPipeTest}, {@link ShmPipeProcessTest} and
 * {@link ShmPipeCrashTest}: a message streamed through the ring in parts, and the takeover count in the file.
 */
@Tag("crash")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeTest {
  @RegisterExtension
  final Children children = new Children();

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
  void aTakeoverOfADeadOwnersEndIsCountedInTheFile() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Pipe<String> pipe = ipc.pipe("owned", true, Codec.string());
      Connection<String> left = pipe.left();
      Connection<String> right = pipe.right();
      IpcProcess owner = children.start(() -> {
        right.send("from the first owner");
        right.recv(); // blocks until killed
      });
      assertEquals("from the first owner", left.recv());
      Crash.kill(owner);
      assertThrows(EOFException.class, left::recv);
      assertEquals(0, ((ShmConnection<String>) right).pipeEnd().takeovers());
      right.send("from the next owner"); // this process takes the dead owner's end over
      assertEquals("from the next owner", left.recv());
      assertEquals(1, ((ShmConnection<String>) right).pipeEnd().takeovers());
    }
  }
}
