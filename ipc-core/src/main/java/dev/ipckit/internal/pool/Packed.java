package dev.ipckit.internal.pool;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A list in a compact serialized form: when every element is an Integer, a Long, a Double or a String (the
 * common items of a map), the values are written as such, without Java serialization's per-object cost
 * (about 150 ns an element); otherwise the list is written as usual. Reads back as an {@link ArrayList}.
 */
final class Packed implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final byte OBJECTS = 0;
  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte DOUBLES = 3;
  private static final byte STRINGS = 4;

  transient List<?> list;

  Packed(List<?> list) {
    this.list = list;
  }

  private static byte kindOf(List<?> list) {
    if (list.isEmpty()) {
      return OBJECTS;
    }
    Class<?> c = list.get(0) == null ? null : list.get(0).getClass();
    byte k = c == Integer.class ? INTS : c == Long.class ? LONGS : c == Double.class ? DOUBLES
        : c == String.class ? STRINGS : OBJECTS;
    if (k != OBJECTS) {
      for (Object o : list) {
        if (o == null || o.getClass() != c) {
          return OBJECTS;
        }
      }
    }
    return k;
  }

  private void writeObject(java.io.ObjectOutputStream out) throws IOException {
    byte k = kindOf(list);
    out.writeByte(k);
    out.writeInt(list.size());
    switch (k) {
      case INTS:
        for (Object o : list) {
          out.writeInt((Integer) o);
        }
        break;
      case LONGS:
        for (Object o : list) {
          out.writeLong((Long) o);
        }
        break;
      case DOUBLES:
        for (Object o : list) {
          out.writeDouble((Double) o);
        }
        break;
      case STRINGS:
        for (Object o : list) {
          byte[] b = ((String) o).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
        break;
      default:
        for (Object o : list) {
          out.writeObject(o);
        }
    }
  }

  private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
    byte k = in.readByte();
    int n = in.readInt();
    if (n < 0) {
      throw new java.io.InvalidObjectException("negative list size " + n);
    }
    ArrayList<Object> l = new ArrayList<>(Math.min(n, 1 << 16));
    for (int i = 0; i < n; i++) {
      switch (k) {
        case INTS:
          l.add(in.readInt());
          break;
        case LONGS:
          l.add(in.readLong());
          break;
        case DOUBLES:
          l.add(in.readDouble());
          break;
        case STRINGS:
          int len = in.readInt();
          if (len < 0) {
            throw new java.io.InvalidObjectException("negative string length " + len);
          }
          byte[] b = in.readNBytes(len);
          if (b.length != len) {
            throw new java.io.EOFException("string truncated: " + b.length + " of " + len + " bytes");
          }
          l.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
          break;
        case OBJECTS:
          l.add(in.readObject());
          break;
        default:
          throw new java.io.InvalidObjectException("unknown list encoding " + k);
      }
    }
    list = l;
  }
}
