package dev.ipckit.shm.inspect;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.lock.LockDescriptor;
import dev.ipckit.shm.slab.SlabCopy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small objects of a namespace's slab as the inspector shows them: a value, a lock, an rlock or an event read
 * from a copy of its slot ({@link SlabCopy}), its size the bytes a slot takes, its fields the slot's meta record then
 * its body's words (offsets from the body's start).
 */
final class SmallObjects {
  private SmallObjects() {
  }

  /** What the slot {@code it} of {@code dir}'s slab holds: state and holders, and every word when asked. */
  static ObjectInfo read(Path dir, SlabCopy.Item it, Processes reg, boolean withFields) {
    long size = SlabCopy.bytesPerObject();
    if (it.kind() == null) {
      return new ObjectInfo(it.name(), null, size, Map.of(), List.of(), "a slab object of an unknown kind (slot "
          + it.slot() + ")", List.of());
    }
    Map<String, Object> state = new LinkedHashMap<>();
    List<Holder> holders = new ArrayList<>();
    ByteBuffer b = it.body();
    Fields f = new Fields(b);
    switch (it.kind()) {
      case INT:
        f.intAt("value", 0, "the int");
        state.put("value", f.get("value"));
        break;
      case LONG:
        f.longAt("value", 0, "the long");
        state.put("value", f.get("value"));
        break;
      case DOUBLE:
        f.longAt("value", 0, "the double's raw bits");
        state.put("value", Double.longBitsToDouble(f.get("value")));
        break;
      case LOCK: case RLOCK:
        LockDescriptor.body(f, 0);
        state.put("held", f.get("owner") != 0L);
        state.put("takeovers", f.get("takeovers"));
        Inspector.holder(holders, "holder", f.get("owner"), 0, reg);
        break;
      case EVENT:
        f.longAt("state", 0, "1 when set");
        state.put("set", f.get("state") == 1L);
        break;
      default:
        return new ObjectInfo(it.name(), it.kind().label(), size, Map.of(), List.of(), "a " + it.kind().label()
            + " cannot live in the slab (slot " + it.slot() + "): damaged", List.of());
    }
    if (it.kind() == Kind.INT || it.kind() == Kind.LONG || it.kind() == Kind.DOUBLE) {
      Inspector.valueLock(dir, it.name(), holders, reg);
    }
    List<Fields.Field> fields = new ArrayList<>();
    if (withFields) {
      fields.addAll(it.metaFields().list());         // the slot's meta record, then its body's words
      fields.addAll(f.list());
    }
    return new ObjectInfo(it.name(), it.kind().label(), size, Collections.unmodifiableMap(state),
        Collections.unmodifiableList(holders), null, Collections.unmodifiableList(fields));
  }
}
