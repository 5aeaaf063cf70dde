package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueSuite;
import java.nio.charset.StandardCharsets;

/** The value and array suite on Redis. */
class RedisValueTest extends ValueSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  /** SETRANGE of the array's string, at the element's byte. */
  @Override
  protected void writeForeignByte(Ipc ipc, String array, int index, byte b) {
    String key = ((RedisNamespace) ipc.namespace()).key(Kind.BOOLEAN_ARRAY, array);
    RedisTestServer.shared().command("SETRANGE", key, String.valueOf(index),
        new String(new byte[] {b}, StandardCharsets.ISO_8859_1));
  }
}
