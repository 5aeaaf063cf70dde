package dev.ipckit.cli;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.inspect.Holder;
import dev.ipckit.shm.inspect.ObjectInfo;
import dev.ipckit.shm.inspect.ProcessSlot;
import dev.ipckit.shm.inspect.Snapshot;
import java.util.List;
import java.util.Map;

/** The JSON the command writes with {@code --json}: hand-written, one object per command, {@code "schema": 1}. */
final class Json {
  static final int SCHEMA = 1;

  private final StringBuilder out = new StringBuilder();

  private Json() {
  }

  /** {@code ls}: the directory, the processes and every object (no decoded words). */
  static String listing(Snapshot s) {
    Json j = registry(s);
    j.out.append(",\"objects\":[");
    for (int i = 0; i < s.objects().size(); i++) {
      j.out.append(i == 0 ? "" : ",");
      j.object(s.objects().get(i), false);
    }
    j.out.append("]}");
    return j.out.toString();
  }

  /** {@code stat}: one object with every decoded word. */
  static String object(String dir, ObjectInfo o) {
    Json j = new Json();
    j.out.append("{\"schema\":").append(SCHEMA).append(",\"dir\":");
    j.string(dir);
    j.out.append(",\"object\":");
    j.object(o, true);
    j.out.append('}');
    return j.out.toString();
  }

  /** {@code ps}: the registry's claimed slots. */
  static String processes(Snapshot s) {
    Json j = registry(s);
    j.out.append('}');
    return j.out.toString();
  }

  /** What {@code ls} and {@code ps} begin with: the schema, the directory, and the registry's processes. */
  private static Json registry(Snapshot s) {
    Json j = new Json();
    j.out.append("{\"schema\":").append(SCHEMA).append(",\"dir\":");
    j.string(s.dir().toString());
    j.out.append(",\"registryProblem\":");
    j.value(s.registryProblem());
    j.out.append(",\"processes\":");
    j.processes(s.processes());
    return j;
  }

  private void processes(List<ProcessSlot> ps) {
    out.append('[');
    for (int i = 0; i < ps.size(); i++) {
      ProcessSlot p = ps.get(i);
      out.append(i == 0 ? "" : ",").append("{\"slot\":").append(p.slot()).append(",\"generation\":");
      string(Long.toHexString(p.generation()));
      out.append(",\"pid\":").append(p.pid()).append(",\"life\":");
      string(p.life().label());
      out.append('}');
    }
    out.append(']');
  }

  private void object(ObjectInfo o, boolean fields) {
    out.append("{\"name\":");
    string(o.name());
    out.append(",\"kind\":");
    value(o.kind());
    out.append(",\"size\":").append(o.size()).append(",\"problem\":");
    value(o.problem());
    out.append(",\"state\":{");
    int n = 0;
    for (Map.Entry<String, Object> e : o.state().entrySet()) {
      out.append(n++ == 0 ? "" : ",");
      string(e.getKey());
      out.append(':');
      value(e.getValue());
    }
    out.append("},\"holders\":[");
    for (int i = 0; i < o.holders().size(); i++) {
      Holder h = o.holders().get(i);
      out.append(i == 0 ? "" : ",").append("{\"role\":");
      string(h.role());
      out.append(",\"pid\":").append(h.pid()).append(",\"life\":");
      string(h.life().label());
      out.append(",\"token\":");
      string(Long.toHexString(h.token()));
      out.append(",\"count\":").append(h.count()).append('}');
    }
    out.append(']');
    if (fields) {
      out.append(",\"fields\":[");
      for (int i = 0; i < o.fields().size(); i++) {
        Fields.Field f = o.fields().get(i);
        out.append(i == 0 ? "" : ",").append("{\"name\":");
        string(f.name());
        out.append(",\"offset\":").append(f.offset()).append(",\"value\":");
        value(f.value());
        out.append(",\"meaning\":");
        string(f.meaning());
        out.append('}');
      }
      out.append(']');
    }
    out.append('}');
  }

  private void value(Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isFinite(d)) {
        out.append(d);
      } else {
        string(Double.toString(d));      // NaN and the infinities are not JSON numbers
      }
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof List) {
      out.append('[');
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        out.append(i == 0 ? "" : ",");
        value(l.get(i));
      }
      out.append(']');
    } else {
      string(v.toString());
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF && !validSurrogate(s, i))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** Whether the surrogate at {@code i} is half of a well-formed pair (file names may hold lone ones). */
  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
