package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RedisNamespaceTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @Test
  void aNamespaceOpensEmptyAndItsLocationIsNormalised() {
    URI where = SERVER.newNamespace("open");
    try (Ipc ipc = Ipc.open(where)) {
      assertEquals(where, ipc.location());
      assertTrue(ipc.names().isEmpty());
      assertThrows(UnsupportedOperationException.class, ipc::dir);
    }
  }

  @Test
  void thisProcessIsAliveForTheOthersWhileItHasANamespaceOpen() {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("alive"))) {
      Server server = ((RedisNamespace) ipc.namespace()).server;
      String token = server.token();
      assertTrue(SERVER.command("PUBSUB", "NUMSUB", token).contains(":1"), token);
      assertTrue(SERVER.command("EXISTS", token + ":lease").contains(":1"));
    }
  }

  @Test
  void anUnreachableServerIsAClearError() {
    IpcException e = assertThrows(IpcException.class, () -> Ipc.open(URI.create("redis://127.0.0.1:1/ns")));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}
