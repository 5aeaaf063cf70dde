package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.Pipe;
import dev.ipckit.testkit.suite.PipeSuite;
import java.io.EOFException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link PipeSuite} on Redis, and what is Redis's own: the message size limit, the owners in the pipe's hash. */
class RedisPipeTest extends PipeSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  @Test
  void aMessageOverTheServersLimitIsRefusedBeforeAnythingIsSent() {
    String label = "pipe \"big\" in redis://h:1/ns";
    RedisPipeEnd.checkLength(label, RedisPipeEnd.MAX_MESSAGE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisPipeEnd.checkLength(label, RedisPipeEnd.MAX_MESSAGE + 1));
    assertTrue(e.getMessage().contains(label) && e.getMessage().contains((RedisPipeEnd.MAX_MESSAGE + 1) + " bytes")
        && e.getMessage().contains("512 MiB"), e.getMessage());
    assertEquals(512L << 20, RedisPipeEnd.MAX_MESSAGE, "Redis's default proto-max-bulk-len");
  }

  @Test
  void theOwnersOfTheEndsAreLiveTokensInThePipesHashAndRemoveRespectsThem() throws Exception {
    Pipe<String> pipe = ipc.pipe("hash", true, Codec.string());
    RedisNamespace ns = (RedisNamespace) ipc.namespace();
    String key = ns.key(Kind.PIPE, "hash");
    pipe.left().send("x");
    String token = ns.server.token();
    assertEquals(token, hget(ns, key, "o0"));
    long queued = ns.server.call(j -> j.llen(key + ":to1"));
    assertEquals(1, queued);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.remove("hash"));
    assertTrue(e.getMessage().contains("in use by the live process " + ProcessHandle.current().pid()),
        e.getMessage());
    pipe.left().close();
    assertEquals("1", hget(ns, key, "c0"), "closed");
    assertNull(hget(ns, key, "o0"), "and released");
    assertEquals("x", pipe.right().recv());
    assertThrows(EOFException.class, pipe.right()::recv);
    pipe.close();
    assertTrue(ipc.remove("hash"), "no live owner left");
    long left = ns.server.call(j -> j.exists(key, key + ":to0", key + ":to1"));
    assertEquals(0, left);
    Pipe<String> fresh = ipc.pipe("hash", true, Codec.string());
    assertFalse(fresh.left().poll(Duration.ZERO), "a fresh pipe");
  }

  private static String hget(RedisNamespace ns, String key, String field) {
    return ns.server.call(j -> j.hget(key, field));
  }
}
