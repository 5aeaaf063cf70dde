package dev.ipckit.redis;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Threads;
import dev.ipckit.testkit.suite.PipeProcessSuite;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PipeProcessSuite} on Redis, and Redis's own liveness: a process whose connection to the server drops is
 * dead for its peers (its token is gone), and carries on under its new token once it reconnects.
 */
class RedisPipeProcessTest extends PipeProcessSuite {
  @TempDir
  Path dir;

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  @Test
  void aPeerWhoseConnectionDropsIsSeenDeadAndTakesItsEndBackOnceReconnected() throws Exception {
    Pipe<String> pipe = ipc.pipe("dropped", true, Codec.string());
    Connection<String> right = pipe.right();
    String go = dir.resolve("go").toString();
    IpcProcess child = children.start(() -> {
      Server server = ((RedisHandle) right).server;
      long before = server.epoch();
      right.send("ready");
      Await.file(go, RUN);                       // idle while its subscription is dropped
      Await.until("this process to notice that its token is lost", RUN, () -> server.epoch() != before);
      server.token();                            // and to be alive again under a new one
      right.send("after reconnecting");
      check(right.recv().equals("bye"), "bye");
    });
    Connection<String> left = pipe.left();
    assertEquals("ready", left.recv());
    Thread[] receiver = new Thread[1];
    CompletableFuture<String> f = Threads.start(left::recv, receiver);
    Await.blocked(receiver[0], RUN);
    dropSubscription(child.pid());
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertInstanceOf(EOFException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("died") && e.getCause().getMessage().contains("pid " + child.pid()),
        e.getCause().getMessage());
    Files.createFile(Path.of(go));
    // end-of-file while the end is the old token's; the child's next send takes it back under its new token
    String[] got = new String[1];
    Await.retry("the child to send again under its new token", RUN, () -> {
      try {
        got[0] = left.recv();
        return true;
      } catch (EOFException stillDead) {
        return false;
      }
    });
    assertEquals("after reconnecting", got[0]);
    left.send("bye");
    assertExitsOk(child, RUN);
  }

  /** Kills the connection that carries the liveness subscription of process {@code pid}. */
  private static void dropSubscription(long pid) {
    RedisTestServer server = RedisTestServer.shared();
    String clients = server.command("CLIENT", "LIST", "TYPE", "pubsub");
    Matcher m = Pattern.compile("(?m)^id=(\\d+) .*\\bname=ipckit-" + pid + " ").matcher(clients);
    if (!m.find()) {
      fail("no subscriber connection of process " + pid + " in " + clients);
    }
    String reply = server.command("CLIENT", "KILL", "ID", m.group(1));
    assertTrue(reply.startsWith(":1"), reply);
  }
}
