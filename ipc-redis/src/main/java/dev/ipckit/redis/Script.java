package dev.ipckit.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script of the backend, run by its SHA-1 ({@code EVALSHA}) and sent whole only when the server does not
 * know it yet ({@code NOSCRIPT}: first use, a restart, {@code SCRIPT FLUSH}). Every script may use the helpers of
 * {@link #PRELUDE}. Scripts use nothing newer than Redis 6.2.
 */
final class Script {
  /**
   * Helpers every script has. {@code alive(token)}: whether the process whose liveness token (its own pub/sub
   * channel) is {@code token} is alive — still subscribed to its channel (the server drops the subscription the
   * moment the kernel closes a dead process's socket) and holding its lease (which covers a machine that died or
   * was cut off, whose socket the server cannot see close).
   */
  static final String PRELUDE = String.join("\n",
      "local function alive(tok)",
      "  if not tok or tok == '' then return false end",
      "  if redis.call('EXISTS', tok .. ':lease') == 0 then return false end",
      "  local r = redis.call('PUBSUB', 'NUMSUB', tok)",
      "  return tonumber(r[2]) > 0",
      "end",
      "");

  private final String name;
  private final byte[] text;
  private final byte[] sha;

  Script(String name, String body) {
    this.name = name;
    this.text = (PRELUDE + body).getBytes(StandardCharsets.UTF_8);
    this.sha = hex(sha1(text)).getBytes(StandardCharsets.US_ASCII);
  }

  /** Runs the script with {@code keys} and {@code args} (each a {@code byte[]}, a String, or a number). */
  Object run(Jedis jedis, List<byte[]> keys, Object... args) {
    List<byte[]> a = new ArrayList<>(args.length);
    for (Object o : args) {
      a.add(bytes(o));
    }
    try {
      return jedis.evalsha(sha, keys, a);
    } catch (JedisNoScriptException e) {
      return jedis.eval(text, keys, a);
    }
  }

  static byte[] bytes(Object o) {
    if (o instanceof byte[]) {
      return (byte[]) o;
    }
    return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
  }

  String name() {
    return name;
  }

  private static byte[] sha1(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder(b.length * 2);
    for (byte x : b) {
      s.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return s.toString();
  }

  // ---- reply decoding

  static long asLong(Object reply) {
    if (reply instanceof Long) {
      return (Long) reply;
    }
    if (reply instanceof byte[]) {
      return Long.parseLong(new String((byte[]) reply, StandardCharsets.US_ASCII));
    }
    throw new IllegalStateException("unexpected reply " + reply);
  }

  static String asString(Object reply) {
    if (reply == null) {
      return null;
    }
    if (reply instanceof byte[]) {
      return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
    return String.valueOf(reply);
  }

  @SuppressWarnings("unchecked")
  static List<Object> asList(Object reply) {
    return (List<Object>) reply;
  }
}
