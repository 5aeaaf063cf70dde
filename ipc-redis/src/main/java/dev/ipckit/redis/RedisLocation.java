package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.spi.Locations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed {@code redis://host:port/ns} or {@code rediss://host:port/ns} location: the server, the database
 * ({@code ?db=N}, 0 by default) and the namespace name (checked by the rules of object names). A location with no
 * namespace name names only a server (its {@link #namespace()} is null), which {@code Ipc.temp(URI)} and the sweep
 * take.
 *
 * @param host the server's host name, lower case
 * @param port the server's port
 * @param tls whether the connection uses TLS ({@code rediss:})
 * @param db the database number
 * @param namespace the namespace name, or null for a server location
 */
record RedisLocation(String host, int port, boolean tls, int db, String namespace) {
  static final String REDIS = "redis";
  static final String REDISS = "rediss";
  static final int DEFAULT_PORT = 6379;

  /**
   * Parses {@code location} (no user info: {@link Locations#check} has refused that already).
   *
   * @param needNamespace whether the location must name a namespace
   * @throws IllegalArgumentException naming what is wrong, never echoing more than the location's display form
   */
  static RedisLocation parse(URI location, boolean needNamespace) {
    Locations.check(location);
    String scheme = Locations.scheme(location);
    if (!scheme.equals(REDIS) && !scheme.equals(REDISS)) {
      throw new IllegalArgumentException("not a redis: or rediss: location: " + Locations.display(location));
    }
    if (location.isOpaque() || location.getHost() == null) {
      throw new IllegalArgumentException("a Redis location is redis://host[:port]/namespace[?db=N]: "
          + Locations.display(location));
    }
    int port = location.getPort() < 0 ? DEFAULT_PORT : location.getPort();
    String path = location.getPath() == null ? "" : location.getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String ns = null;
    if (!path.isEmpty()) {
      try {
        ns = Ipc.checkName(path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad namespace name in " + Locations.display(location) + ": "
            + e.getMessage(), e);
      }
    } else if (needNamespace) {
      throw new IllegalArgumentException("a Redis location names its namespace: redis://host[:port]/namespace, not "
          + Locations.display(location));
    }
    int db = 0;
    String query = location.getQuery();
    if (query != null && !query.isEmpty()) {
      for (String part : query.split("&")) {
        if (part.startsWith("db=")) {
          try {
            db = Integer.parseInt(part.substring(3));
          } catch (NumberFormatException e) {
            db = -1;
          }
          if (db < 0) {
            throw new IllegalArgumentException("db must be a non-negative number in " + withoutQuery(location));
          }
        } else {
          throw new IllegalArgumentException("unknown parameter \"" + part.split("=", 2)[0] + "\" in "
              + withoutQuery(location) + " (a Redis location knows db=N; credentials come from"
              + " ipckit.redis.user / ipckit.redis.password)");
        }
      }
    }
    return new RedisLocation(location.getHost().toLowerCase(Locale.ROOT), port, scheme.equals(REDISS), db, ns);
  }

  /** {@code location} for a message about its query: without the query, which may hold anything. */
  private static String withoutQuery(URI location) {
    String s = Locations.display(location);
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q) + "?...";
  }

  /** The same server and database with namespace {@code name}. */
  RedisLocation withNamespace(String name) {
    return new RedisLocation(host, port, tls, db, name);
  }

  /** The location URI, normalised: {@code redis://host:port/ns} (with {@code ?db=N} when not 0). */
  URI uri() {
    try {
      return new URI(tls ? REDISS : REDIS, null, host, port, namespace == null ? "/" : "/" + namespace,
          db == 0 ? null : "db=" + db, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What identifies the server connection: scheme, host, port, database. */
  String serverKey() {
    return (tls ? REDISS : REDIS) + "://" + host + ":" + port + "/?db=" + db;
  }

  /** {@code host:port} for messages. */
  String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return uri().toString();
  }
}
