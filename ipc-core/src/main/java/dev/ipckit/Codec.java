package dev.ipckit;

import dev.ipckit.internal.process.ResolvingObjectInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a message becomes bytes and back. Implementations must be stateless or thread-safe: one codec serves
 * every thread that uses a queue or pipe. A codec that throws fails only the call that used it.
 */
public interface Codec<E> extends Serializable {

  /** The bytes of {@code message}; never {@code null}. */
  byte[] encode(E message);

  /** The message whose bytes are {@code bytes[offset, offset + length)}. */
  E decode(byte[] bytes, int offset, int length);

  default E decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Raw bytes, unchanged (the array is neither copied on encode nor shared on decode). */
  static Codec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /** UTF-8 text. */
  static Codec<String> string() {
    return Codecs.STRING;
  }

  /**
   * Java serialization of any {@link Serializable} message (checked when it is encoded: any element type
   * compiles, so {@code IpcQueue<List<Integer>>} works), read back through an {@link ObjectInputFilter} that bounds
   * the work one message can cause: nesting depth {@value Codecs.SerializableCodec#MAX_DEPTH}, references
   * {@value Codecs.SerializableCodec#MAX_REFS}, every array's length and the whole stream to the message's own
   * bytes. A message past a bound is rejected as soon as the bound is crossed, before the objects it nests are
   * built (40 nested {@code HashSet}s, which cost seconds to rebuild, are rejected in microseconds); one within
   * the bounds costs at most about 2<sup>20</sup> steps however it is built. Any class on the class path may still
   * be read, and its {@code readObject} runs here: where the sender is not trusted, name the classes with
   * {@link #serializable(Class, String...)}, the defence this library recommends. A process-wide
   * {@code jdk.serialFilter} still applies on top. A {@link dev.ipckit.Pool} sends tasks and results with this
   * codec.
   */
  @SuppressWarnings("unchecked")
  static <T> Codec<T> serializable() {
    return (Codec<T>) Codecs.SERIALIZABLE;
  }

  /** Java serialization read back through {@code filter} in addition to the default limits of {@link #serializable()}. */
  static <T> Codec<T> serializable(ObjectInputFilter filter) {
    return new Codecs.SerializableCodec<>(Objects.requireNonNull(filter, "filter"), null, null);
  }

  /**
   * Java serialization that reads back only an allow-list: {@code type} itself, the classes {@code patterns}
   * name, and the JDK's boxed primitives, {@code String}, {@code Number} and {@code Enum} (and {@code Object[]} and
   * {@code Map.Entry[]}, which collections check their internal arrays against); every other class is
   * rejected before it is instantiated. Patterns use {@link ObjectInputFilter.Config#createFilter} syntax
   * ({@code "com.example.Order"}, {@code "com.example.model.*"}, {@code "java.util.ArrayList"},
   * {@code "com.example.**"}), and may set limits ({@code "maxdepth=40"}, {@code "maxrefs=..."},
   * {@code "maxarray=..."}) that replace the defaults of {@link #serializable()}. Arrays are checked by their
   * element type; arrays of primitives are allowed. A decoded message that is not a {@code type} is an
   * {@link IllegalArgumentException}. The codec is {@link Serializable}: it travels with the handles of the queues
   * and pipes that use it.
   *
   * <pre>{@code
   * IpcQueue<Order> q = ipc.queue("orders", 1000, Codec.serializable(Order.class, "com.example.model.*",
   *     "java.util.ArrayList"));
   * }</pre>
   */
  static <T> Codec<T> serializable(Class<T> type, String... patterns) {
    Objects.requireNonNull(type, "type");
    for (String p : Objects.requireNonNull(patterns, "patterns")) {
      Objects.requireNonNull(p, "pattern");
      if (p.indexOf(';') >= 0) {
        throw new IllegalArgumentException("one pattern per argument, without ';': \"" + p + "\"");
      }
    }
    Codecs.SerializableCodec<T> c = new Codecs.SerializableCodec<>(null, type.getName(), patterns.clone());
    c.allowList();                                           // a malformed pattern fails here, not at a decode
    return c;
  }
}

final class Codecs {
  private Codecs() {
  }

  static final Codec<byte[]> BYTES = new Codec<>() {
    @Override public byte[] encode(byte[] message) {
      return Objects.requireNonNull(message, "message");
    }

    @Override public byte[] decode(byte[] bytes, int offset, int length) {
      return offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override public String toString() {
      return "Codec.bytes()";
    }

    private Object readResolve() {
      return BYTES;
    }
  };

  static final Codec<String> STRING = new Codec<>() {
    @Override public byte[] encode(String message) {
      return message.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String decode(byte[] bytes, int offset, int length) {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override public String toString() {
      return "Codec.string()";
    }

    private Object readResolve() {
      return STRING;
    }
  };

  /** The one filter-less serializable codec: stateless, so every caller shares it. */
  static final Codec<Object> SERIALIZABLE = new SerializableCodec<>(null, null, null);

  static final class SerializableCodec<T> implements Codec<T> {
    private static final long serialVersionUID = 2L;
    static final long MAX_DEPTH = 20;
    static final long MAX_REFS = 100_000;
    /**
     * Always allowed by an allow-list: values every message may hold, and the element types the JDK's collections
     * check their internal arrays against ({@code Object[]}, {@code Map.Entry[]}); neither can be instantiated
     * from a stream.
     */
    private static final String BASICS = "java.lang.Object;java.util.Map$Entry;java.lang.String;java.lang.Number;java.lang.Integer;java.lang.Long;"
        + "java.lang.Short;java.lang.Byte;java.lang.Character;java.lang.Boolean;java.lang.Double;java.lang.Float;"
        + "java.lang.Enum";

    private final ObjectInputFilter extra;
    /** The allow-list's type and patterns (null: none): kept as text, so that the codec serializes. */
    private final String typeName;
    private final String[] patterns;
    private transient volatile ObjectInputFilter allowList;
    private transient volatile Class<?> type;

    SerializableCodec(ObjectInputFilter extra, String typeName, String[] patterns) {
      this.extra = extra;
      this.typeName = typeName;
      this.patterns = patterns;
    }

    /** The allow-list filter, built once: the type, the patterns, the basics, and nothing else. */
    ObjectInputFilter allowList() {
      ObjectInputFilter f = allowList;
      if (f == null && typeName != null) {
        StringBuilder spec = new StringBuilder(typeName).append(';').append(BASICS);
        for (String p : patterns) {
          spec.append(';').append(p);
        }
        f = ObjectInputFilter.Config.createFilter(spec.append(";!*").toString());
        allowList = f;
      }
      return f;
    }

    /** A limit set by a pattern ({@code maxdepth=40}), else the default. */
    private long limit(String name, long otherwise) {
      if (patterns != null) {
        for (String p : patterns) {
          if (p.startsWith(name + "=")) {
            return Long.parseLong(p.substring(name.length() + 1).trim());
          }
        }
      }
      return otherwise;
    }

    @Override public byte[] encode(T message) {
      Objects.requireNonNull(message, "message");
      if (!(message instanceof Serializable)) {
        throw new IllegalArgumentException("cannot serialize a " + message.getClass().getName()
            + ": it does not implement java.io.Serializable");
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(message);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot serialize " + message.getClass().getName() + ": " + e, e);
      }
      return bytes.toByteArray();
    }

    @Override @SuppressWarnings("unchecked")
    public T decode(byte[] bytes, int offset, int length) {
      final long size = length;
      final long maxDepth = limit("maxdepth", MAX_DEPTH);
      final long maxRefs = limit("maxrefs", MAX_REFS);
      final long maxArray = Math.min(size, limit("maxarray", size));
      final ObjectInputFilter classes = allowList();
      ObjectInputFilter limits = info -> {
        if (info.depth() > maxDepth || info.references() > maxRefs || info.streamBytes() > size
            || info.arrayLength() > maxArray) {
          return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        while (c != null && c.isArray()) {
          c = c.getComponentType();
        }
        if (c != null && !c.isPrimitive()) {
          for (ObjectInputFilter f : new ObjectInputFilter[] {classes, extra}) {
            if (f != null) {
              ObjectInputFilter.Status s = f.checkInput(info);
              if (s != ObjectInputFilter.Status.UNDECIDED) {
                if (s == ObjectInputFilter.Status.REJECTED) {
                  return s;
                }
                if (f == classes) {
                  break;                                     // allowed by the list; extra may still say no
                }
              }
            }
          }
        } else if (c == null && extra != null) {
          return extra.checkInput(info);
        }
        return ObjectInputFilter.Status.UNDECIDED;
      };
      Object o;
      try (ResolvingObjectInputStream in = new ResolvingObjectInputStream(
          new ByteArrayInputStream(bytes, offset, length))) {
        in.setObjectInputFilter(limits);
        o = in.readObjectNamingMissing();
      } catch (InvalidClassException e) {
        throw new IllegalArgumentException("message rejected by the deserialization filter of " + this + ": "
            + e.getMessage(), e);
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("message names a class not on this class path: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot deserialize a message of " + length + " bytes: " + e, e);
      }
      if (typeName != null && o != null && !type().isInstance(o)) {
        throw new IllegalArgumentException("message is a " + o.getClass().getName() + ", not the " + typeName
            + " that " + this + " reads");
      }
      return (T) o;
    }

    private Class<?> type() {
      Class<?> t = type;
      if (t == null) {
        try {
          t = Class.forName(typeName, false, Thread.currentThread().getContextClassLoader() != null
              ? Thread.currentThread().getContextClassLoader() : SerializableCodec.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException(this + " reads " + typeName + ", which is not on this class path", e);
        }
        type = t;
      }
      return t;
    }

    @Override public String toString() {
      if (typeName != null) {
        return "Codec.serializable(" + typeName + (patterns.length == 0 ? "" : ", " + String.join(", ", patterns))
            + ")";
      }
      return extra == null ? "Codec.serializable()" : "Codec.serializable(" + extra + ")";
    }

    private Object readResolve() {
      return extra == null && typeName == null ? SERIALIZABLE : this;
    }
  }
}
