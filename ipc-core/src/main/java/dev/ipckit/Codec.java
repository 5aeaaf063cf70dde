package dev.ipckit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
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
   * Java serialization, read back through an {@link ObjectInputFilter} that bounds depth (64), references
   * (1,000,000), array length (the message size) and the stream to the message's own bytes. Classes are
   * resolved as usual; a process-wide {@code jdk.serialFilter} still applies on top.
   */
  @SuppressWarnings("unchecked")
  static <T extends Serializable> Codec<T> serializable() {
    return (Codec<T>) Codecs.SERIALIZABLE;
  }

  /** Java serialization read back through {@code filter} in addition to the default limits. */
  static <T extends Serializable> Codec<T> serializable(ObjectInputFilter filter) {
    return new Codecs.SerializableCodec<>(Objects.requireNonNull(filter, "filter"));
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
  static final Codec<Serializable> SERIALIZABLE = new SerializableCodec<>(null);

  static final class SerializableCodec<T extends Serializable> implements Codec<T> {
    static final long MAX_DEPTH = 64;
    static final long MAX_REFS = 1_000_000;
    private final ObjectInputFilter extra;

    SerializableCodec(ObjectInputFilter extra) {
      this.extra = extra;
    }

    @Override public byte[] encode(T message) {
      Objects.requireNonNull(message, "message");
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
      final long limit = length;
      ObjectInputFilter limits = info -> {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFS || info.streamBytes() > limit
            || info.arrayLength() > limit) {
          return ObjectInputFilter.Status.REJECTED;
        }
        if (extra != null) {
          ObjectInputFilter.Status s = extra.checkInput(info);
          if (s != ObjectInputFilter.Status.UNDECIDED) {
            return s;
          }
        }
        return ObjectInputFilter.Status.UNDECIDED;
      };
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
        in.setObjectInputFilter(limits);
        return (T) in.readObject();
      } catch (InvalidClassException e) {
        throw new IllegalArgumentException("message rejected by the deserialization filter: " + e.getMessage(), e);
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("message names a class not on this class path: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot deserialize a message of " + length + " bytes: " + e, e);
      }
    }

    @Override public String toString() {
      return extra == null ? "Codec.serializable()" : "Codec.serializable(" + extra + ")";
    }

    private Object readResolve() {
      return extra == null ? SERIALIZABLE : this;
    }
  }
}
