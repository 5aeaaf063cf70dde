package dev.ipckit.redis;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Threads;
import dev.ipckit.testkit.suite.QueueSuite;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link QueueSuite} on the Redis backend, and what only it has: the message size limit of a Redis value, the keys
 * {@link Kind#QUEUE} documents, a consumer whose connection drops, and a queue removed under its handles.
 */
class RedisQueueTest extends QueueSuite {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(SERVER.newNamespace(hint));
  }

  private static Server server(Ipc ipc) {
    return ((RedisNamespace) ipc.namespace()).server;
  }

  /** The reply of one command, its RESP framing removed (a bulk string or an integer). */
  private static String reply(String... command) {
    String r = SERVER.command(command).trim();
    return r.startsWith("$") || r.startsWith("*") ? r.substring(r.indexOf('\n') + 1).trim() : r.substring(1);
  }

  /**
   * Drops this JVM's subscriber connection, as a network failure would: its token is dead for every process at
   * once. Returns once the server has given this JVM a new token.
   */
  private static String dropSubscription(Server server) {
    String before = server.token();
    long epoch = server.epoch();
    String id = null;
    for (String line : SERVER.command("CLIENT", "LIST").split("\n")) {
      if (line.contains(" name=ipckit-" + ProcessHandle.current().pid() + " ") && !line.contains(" sub=0 ")) {
        id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
      }
    }
    assertTrue(id != null, "this JVM's subscriber connection");
    assertEquals("1", reply("CLIENT", "KILL", "ID", id));
    Await.until("the token to be lost", START, () -> server.epoch() != epoch);
    String after = server.token();
    assertFalse(after.equals(before), "a new token");
    assertTrue(SERVER.command("PUBSUB", "NUMSUB", before).trim().endsWith(":0"), "the old token is dead");
    return after;
  }

  @Test
  void theServersBulkLimitIsTheMessageLimitAndALongerMessageIsRefusedNamingBoth() throws Exception {
    assertTrue(SERVER.command("CONFIG", "GET", "proto-max-bulk-len").contains(String.valueOf(
        RedisQueue.MAX_MESSAGE_BYTES)), "the limit is the server's default proto-max-bulk-len");
    IpcQueue<byte[]> q = ipc("limit").queue("q", 2, Codec.bytes());
    ((RedisQueue<byte[]>) q).messageLimit(1000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(new byte[1001]));
    assertTrue(e.getMessage().contains("1001 bytes") && e.getMessage().contains("at most 1000 bytes")
        && e.getMessage().contains("\"q\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> q.offer(new byte[1001]));
    assertEquals(0, q.size(), "nothing put");
    assertTrue(q.offer(new byte[1000]));
    assertEquals(1000, q.take().length);
  }

  @Test
  void theQueueLivesInTheKeysKindDocuments() throws Exception {
    Ipc ipc = ipc("keys");
    IpcQueue<String> q = ipc.queue("jobs", 5, Codec.string());
    q.put("a");
    q.put("b");
    q.take();
    String ns = ipc.location().getPath().substring(1);
    String key = "ipckit:{" + ns + "}:queue:jobs";
    assertEquals("queue/5", reply("HGET", "ipckit:{" + ns + "}:meta", "jobs"));
    assertEquals("1", reply("LLEN", key + ":list"));
    assertEquals("2", reply("HGET", key + ":tasks", "p"));
    assertEquals("1", reply("HGET", key + ":tasks", "o:" + server(ipc).token()));
    q.taskDone();
    assertEquals("1", reply("HGET", key + ":tasks", "d"));
    assertEquals("0", reply("HEXISTS", key + ":tasks", "o:" + server(ipc).token()), "nothing owed: no field");
  }

  @Test
  void aConsumerWhoseConnectionDroppedHasItsTasksCountedAsAbandonedAndTheQueueGoesOn() throws Exception {
    Ipc ipc = ipc("dropped");
    IpcQueue<String> q = ipc.queue("q", 4, Codec.string());
    q.put("a");
    q.take();
    assertFalse(q.join(20, TimeUnit.MILLISECONDS));
    dropSubscription(server(ipc));
    assertTrue(q.join(START.toMillis(), TimeUnit.MILLISECONDS), "the lost token's task is abandoned");
    assertEquals(1, q.abandonedTasks());
    q.put("b");
    assertEquals("b", q.poll(START.toMillis(), TimeUnit.MILLISECONDS), "the queue goes on with the new token");
    assertFalse(q.join(0, TimeUnit.SECONDS), "the new token's task is not abandoned");
    q.taskDone();
    assertTrue(q.join(0, TimeUnit.SECONDS));
  }

  @Test
  void taskDoneAfterTheConnectionDroppedPaysTheTasksOwedUnderTheLostToken() throws Exception {
    Ipc ipc = ipc("repaid");
    IpcQueue<String> q = ipc.queue("q", 4, Codec.string());
    q.put("a");
    q.put("b");
    q.put("c");
    q.take();
    q.take();
    dropSubscription(server(ipc));
    q.taskDone();                                  // a and b were taken under the lost token: they are paid
    q.taskDone();
    assertFalse(q.join(50, TimeUnit.MILLISECONDS), "c is not done: the two paid tasks are not abandoned too");
    assertEquals(0, q.abandonedTasks());
    q.take();
    q.taskDone();
    assertTrue(q.join(0, TimeUnit.SECONDS));
  }

  @Test
  void aRemovedQueueIsAnIpcExceptionNamingItNotANewQueue() throws Exception {
    Ipc ipc = ipc("removed");
    IpcQueue<String> q = ipc.queue("q", 2, Codec.string());
    IpcQueue<String> waiting = ipc.queue("w", 2, Codec.string());
    Thread[] t = new Thread[1];
    CompletableFuture<String> take = Threads.start(waiting::take, t);
    Await.blocked(t[0], START);
    q.put("a");
    assertTrue(ipc.remove("q"));
    assertTrue(ipc.remove("w"));
    IpcException e = assertThrows(IpcException.class, () -> q.put("b"));
    assertTrue(e.getMessage().contains("\"q\"") && e.getMessage().contains("no longer exists"), e.getMessage());
    assertThrows(IpcException.class, q::poll);
    assertThrows(IpcException.class, q::taskDone);
    assertThrows(IpcException.class, () -> q.join(0, TimeUnit.SECONDS));
    assertFalse(ipc.names().contains("q"));
    String ns = ipc.location().getPath().substring(1);
    assertEquals("0", reply("EXISTS", "ipckit:{" + ns + "}:queue:q:list"), "no new list made");
    ExecutionException woken = assertThrows(ExecutionException.class, () -> take.get(START.toMillis(),
        TimeUnit.MILLISECONDS));
    assertTrue(woken.getCause() instanceof IpcException, "a blocked take ends: " + woken.getCause());
  }
}
