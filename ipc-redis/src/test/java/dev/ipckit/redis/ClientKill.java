package dev.ipckit.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Drops connections of this JVM on the test server, as a network failure or the server's idle {@code timeout}
 * would: {@code CLIENT KILL ID} for each client of the given type that this JVM opened (its connections are named
 * {@code ipckit-PID}).
 */
final class ClientKill {
  private ClientKill() {
  }

  /**
   * Kills this JVM's connections of {@code type} ({@code pubsub}: its liveness subscription; {@code normal}: its
   * pooled command connections) and returns how many there were.
   */
  static int thisProcess(RedisTestServer server, String type) {
    String me = "name=ipckit-" + ProcessHandle.current().pid() + " ";
    List<String> ids = new ArrayList<>();
    for (String line : server.command("CLIENT", "LIST", "TYPE", type).split("\n")) {
      if (line.contains(me) && line.startsWith("id=")) {
        ids.add(line.substring(3, line.indexOf(' ')));
      }
    }
    for (String id : ids) {
      server.command("CLIENT", "KILL", "ID", id);
    }
    return ids.size();
  }
}
