package dev.ipckit.internal.task;

import dev.ipckit.Codec;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.invoke.SerializedLambda;
import java.net.URI;

/**
 * The captured values of a {@link DirectTask}: each a tag byte and the value, in the form's big-endian order and
 * with its strings (see {@link DirectTask}). A value is {@code null}, a string, a boxed primitive or an ipckit
 * {@link Handle} with a built-in codec (written as where it lives: its namespace's location, kind and name, and
 * reopened on reading by the backend of the location's scheme); an object captured
 * twice is written once and then referred to by the index of its first capture.
 */
final class CapturedValues {
  private static final int TAG_NULL = 0;
  private static final int TAG_STRING = 1;
  private static final int TAG_INT = 2;
  private static final int TAG_LONG = 3;
  private static final int TAG_DOUBLE = 4;
  private static final int TAG_FLOAT = 5;
  private static final int TAG_SHORT = 6;
  private static final int TAG_BYTE = 7;
  private static final int TAG_CHAR = 8;
  private static final int TAG_BOOLEAN = 9;
  private static final int TAG_HANDLE = 10;
  /** The same object as an earlier captured value (its index follows), as Java serialization keeps it. */
  private static final int TAG_SAME = 11;

  private static final int CODEC_NONE = 0;
  private static final int CODEC_BYTES = 1;
  private static final int CODEC_STRING = 2;
  private static final int CODEC_SERIALIZABLE = 3;

  private CapturedValues() {
  }

  /** Writes every value {@code lambda} captured; false if one of them has no direct form. */
  static boolean write(DataOutputStream out, SerializedLambda lambda) throws IOException {
    for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
      Object v = lambda.getCapturedArg(i);
      int same = firstIndexOf(lambda, v, i);
      if (same >= 0) {
        out.writeByte(TAG_SAME);
        out.writeByte(same);
      } else if (!writeValue(out, v)) {
        return false;
      }
    }
    return true;
  }

  /** Reads {@code count} values written by {@link #write}, reopening the handles among them. */
  static Object[] read(DataInputStream in, int count) throws IOException {
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      values[i] = readValue(in, values, i);
    }
    return values;
  }

  /** Writes {@code v} with its tag; false if its type has no direct form. */
  private static boolean writeValue(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(TAG_NULL);
    } else if (v instanceof String) {
      out.writeByte(TAG_STRING);
      DirectTask.writeString(out, (String) v);
    } else if (v instanceof Integer) {
      out.writeByte(TAG_INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte(TAG_LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Double) {
      out.writeByte(TAG_DOUBLE);
      out.writeLong(Double.doubleToRawLongBits((Double) v));
    } else if (v instanceof Float) {
      out.writeByte(TAG_FLOAT);
      out.writeInt(Float.floatToRawIntBits((Float) v));
    } else if (v instanceof Short) {
      out.writeByte(TAG_SHORT);
      out.writeShort((Short) v);
    } else if (v instanceof Byte) {
      out.writeByte(TAG_BYTE);
      out.writeByte((Byte) v);
    } else if (v instanceof Character) {
      out.writeByte(TAG_CHAR);
      out.writeChar((Character) v);
    } else if (v instanceof Boolean) {
      out.writeByte(TAG_BOOLEAN);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Handle) {
      HandleRef ref = ((Handle) v).handleRef();
      int codec = codecTag(ref.codec());
      if (codec < 0) {
        return false;
      }
      out.writeByte(TAG_HANDLE);
      DirectTask.writeString(out, ref.location().toString());
      DirectTask.writeString(out, ref.kind());
      DirectTask.writeString(out, ref.name());
      out.writeLong(ref.arg());
      out.writeBoolean(ref.flag());
      out.writeByte(codec);
    } else {
      return false;
    }
    return true;
  }

  /** The index of the first captured value before {@code end} that is {@code v} itself, or -1. */
  private static int firstIndexOf(SerializedLambda lambda, Object v, int end) {
    if (v != null) {
      for (int j = 0; j < end; j++) {
        if (lambda.getCapturedArg(j) == v) {
          return j;
        }
      }
    }
    return -1;
  }

  private static Object readValue(DataInputStream in, Object[] earlier, int index) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case TAG_SAME:
        int same = in.readUnsignedByte();
        if (same >= index) {
          throw new InvalidObjectException("captured value " + index + " refers to value " + same
              + ", not an earlier one");
        }
        return earlier[same];
      case TAG_NULL: return null;
      case TAG_STRING: return DirectTask.readString(in);
      case TAG_INT: return in.readInt();
      case TAG_LONG: return in.readLong();
      case TAG_DOUBLE: return Double.longBitsToDouble(in.readLong());
      case TAG_FLOAT: return Float.intBitsToFloat(in.readInt());
      case TAG_SHORT: return in.readShort();
      case TAG_BYTE: return in.readByte();
      case TAG_CHAR: return in.readChar();
      case TAG_BOOLEAN: return in.readBoolean();
      case TAG_HANDLE:
        String location = DirectTask.readString(in);
        String kind = DirectTask.readString(in);
        String name = DirectTask.readString(in);
        long arg = in.readLong();
        boolean flag = in.readBoolean();
        Codec<?> codec = codec(in.readUnsignedByte());
        return new HandleRef(location(location), kind, name, arg, flag, codec).reopen();
      default:
        throw new InvalidObjectException("unknown value tag in a direct task: " + tag);
    }
  }

  private static URI location(String location) throws InvalidObjectException {
    try {
      return Locations.parse(location);
    } catch (IllegalArgumentException e) {
      throw new InvalidObjectException("a handle with a bad location in a direct task: " + e.getMessage());
    }
  }

  private static int codecTag(Codec<?> codec) {
    if (codec == null) {
      return CODEC_NONE;
    }
    if (codec == Codec.bytes()) {
      return CODEC_BYTES;
    }
    if (codec == Codec.string()) {
      return CODEC_STRING;
    }
    return codec == Codec.serializable() ? CODEC_SERIALIZABLE : -1;
  }

  private static Codec<?> codec(int tag) throws InvalidObjectException {
    switch (tag) {
      case CODEC_NONE: return null;
      case CODEC_BYTES: return Codec.bytes();
      case CODEC_STRING: return Codec.string();
      case CODEC_SERIALIZABLE: return Codec.serializable();
      default: throw new InvalidObjectException("unknown codec tag in a direct task: " + tag);
    }
  }
}
