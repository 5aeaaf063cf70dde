package dev.ipckit.testkit.suite;

import dev.ipckit.Codec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Small codecs for the queue and pipe tests of every backend, and the messages of the queue suites. */
public final class QueueCodecs {
  private QueueCodecs() {
  }

  /** Integers as 4 bytes. */
  public static final class Ints implements Codec<Integer> {
    private static final long serialVersionUID = 1L;

    @Override public byte[] encode(Integer m) {
      return ByteBuffer.allocate(4).putInt(m).array();
    }

    @Override public Integer decode(byte[] b, int off, int len) {
      if (len != 4) {
        throw new IllegalArgumentException("an int is 4 bytes, got " + len);
      }
      return ByteBuffer.wrap(b, off, len).getInt();
    }
  }

  /** Longs as 8 little-endian bytes. */
  public static final class Longs implements Codec<Long> {
    private static final long serialVersionUID = 1L;

    @Override public byte[] encode(Long m) {
      return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(m).array();
    }

    @Override public Long decode(byte[] b, int off, int len) {
      return ByteBuffer.wrap(b, off, len).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
  }

  /** UTF-8 strings; refuses to encode "unencodable" and to decode "poison". */
  public static final class Picky implements Codec<String> {
    private static final long serialVersionUID = 1L;

    @Override public byte[] encode(String m) {
      if (m.equals("unencodable")) {
        throw new IllegalStateException("refusing to encode " + m);
      }
      return m.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String decode(byte[] b, int off, int len) {
      String s = new String(b, off, len, StandardCharsets.UTF_8);
      if (s.equals("poison")) {
        throw new IllegalStateException("refusing to decode " + s);
      }
      return s;
    }
  }

  /** The first 8 bytes of a message as a little-endian long (messages may be longer). */
  public static long id(byte[] m) {
    return ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** A message of {@code length} bytes (at least 8) starting with {@code id}. */
  public static byte[] message(long id, int length) {
    byte[] b = new byte[Math.max(8, length)];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(id);
    for (int i = 8; i < b.length; i++) {
      b[i] = (byte) (id + i);
    }
    return b;
  }
}
