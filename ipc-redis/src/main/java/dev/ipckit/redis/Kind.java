package dev.ipckit.redis;

import dev.ipckit.spi.CellType;
import java.util.List;

/**
 * The kinds of object a Redis namespace holds, as the namespace's {@code meta} hash records them (field: the
 * object's name; value: {@link #id} and, for kinds with a fixed shape, {@code "/"} and the shape, e.g.
 * {@code intArray/16}, {@code queue/100}). An object of kind K named N keeps its data in the key
 * {@code ipckit:{ns}:K:N} and, for some kinds, in keys of that prefix and a {@link #suffixes suffix}. {@link
 * RedisNamespace#remove} deletes exactly those keys, after checking that no live process owns the object through
 * one of its {@link #owners owner fields} (fields of the object's hash holding a liveness token).
 */
enum Kind {
  INT("SharedInt", null),
  LONG("SharedLong", null),
  DOUBLE("SharedDouble", null),
  INT_ARRAY("intArray", "length"),
  LONG_ARRAY("longArray", "length"),
  DOUBLE_ARRAY("doubleArray", "length"),
  BYTE_ARRAY("byteArray", "length"),
  FLOAT_ARRAY("floatArray", "length"),
  BOOLEAN_ARRAY("booleanArray", "length"),
  /** Hash: {@code o} owner token, {@code t} owner thread, {@code c} hold count, {@code s} condition signal count. */
  LOCK("lock", null, List.of(), List.of("o")),
  RLOCK("rlock", null, List.of(), List.of("o")),
  /** Hash: {@code p} permits; {@code KEY:holders} hash token → permits held. */
  SEMAPHORE("semaphore", null, List.of("holders"), List.of()),
  /** As {@link #SEMAPHORE}, and its bound: the permits it was created with. */
  BOUNDED_SEMAPHORE("boundedSemaphore", "bound", List.of("holders"), List.of()),
  EVENT("event", null),
  /** Hash of the barrier's state; {@code KEY:arrived} the tokens of the parties waiting in this generation. */
  BARRIER("barrier", "parties", List.of("arrived"), List.of()),
  /** {@code KEY:list} the messages; {@code KEY:tasks} the task counts (see {@link RedisQueue}). */
  QUEUE("queue", "capacity", List.of("list", "tasks"), List.of()),
  /** Hash of both ends' state ({@code o0}, {@code o1} owner tokens); {@code KEY:to0}, {@code KEY:to1} the messages. */
  PIPE("pipe", "duplex", List.of("to0", "to1"), List.of("o0", "o1"));

  final String id;
  /** What the shape of a kind with one is called in messages ("length", "capacity"); null if it has none. */
  final String shapeLabel;
  final List<String> suffixes;
  final List<String> owners;

  Kind(String id, String shapeLabel) {
    this(id, shapeLabel, List.of(), List.of());
  }

  Kind(String id, String shapeLabel, List<String> suffixes, List<String> owners) {
    this.id = id;
    this.shapeLabel = shapeLabel;
    this.suffixes = suffixes;
    this.owners = owners;
  }

  /** The meta descriptor of an object of this kind and {@code shape} (null for a kind without one). */
  String descriptor(Object shape) {
    return shape == null ? id : id + "/" + shape;
  }

  /** The array kind of {@code type}: the one whose id is the name of its factory ({@code intArray}, ...). */
  static Kind of(CellType<?> type) {
    return ofId(type.factory());
  }

  /** The element type of an array kind; null for the other kinds. */
  CellType<?> cells() {
    for (CellType<?> t : CellType.values()) {
      if (t.factory().equals(id)) {
        return t;
      }
    }
    return null;
  }

  static Kind ofId(String id) {
    for (Kind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    return null;
  }

  /** A descriptor in words: {@code intArray/16} → "intArray of length 16". */
  static String describe(String descriptor) {
    int slash = descriptor.indexOf('/');
    if (slash < 0) {
      return descriptor;
    }
    Kind k = ofId(descriptor.substring(0, slash));
    String label = k == null || k.shapeLabel == null ? "shape" : k.shapeLabel;
    return descriptor.substring(0, slash) + " of " + label + " " + descriptor.substring(slash + 1);
  }
}
