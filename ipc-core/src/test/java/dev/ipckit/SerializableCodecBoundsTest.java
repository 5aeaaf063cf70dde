package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The serializable codecs bound the work a message can cause, and the allow-list reads only what it names. */
@Tag("unit")
class SerializableCodecBoundsTest {
  /** 40 nested pairs of sets (the classic deserialization bomb): rebuilding them costs 2^40 hash steps. */
  static Set<Object> bomb(int levels) {
    Set<Object> root = new HashSet<>();
    Set<Object> s1 = root;
    Set<Object> s2 = new HashSet<>();
    for (int i = 0; i < levels; i++) {
      Set<Object> t1 = new HashSet<>();
      Set<Object> t2 = new HashSet<>();
      t1.add("foo");                              // distinct from t2
      s1.add(t1);
      s1.add(t2);
      s2.add(t1);
      s2.add(t2);
      s1 = t1;
      s2 = t2;
    }
    return root;
  }

  @Test
  void aDeserializationBombIsRejectedInMilliseconds() {
    Codec<Set<Object>> codec = Codec.serializable();
    byte[] bytes = codec.encode(bomb(40));
    assertTrue(bytes.length < 4096, "a small message: " + bytes.length + " bytes");
    long start = System.nanoTime();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(bytes));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.getMessage().contains("rejected"), e.getMessage());
    System.out.println("a 40-level set bomb of " + bytes.length + " bytes rejected in " + millis + " ms");
    assertTrue(millis < 5_000, "rejected after " + millis + " ms (seconds before the depth bound; the bound is"
        + " generous for a loaded machine)");
  }

  @Test
  void anyElementTypeCompilesAndIsCheckedAtRunTime() {
    Codec<List<Integer>> lists = Codec.serializable();
    assertEquals(List.of(1, 2, 3), lists.decode(lists.encode(new ArrayList<>(List.of(1, 2, 3)))));
    Codec<Map<String, Integer>> maps = Codec.serializable();
    Map<String, Integer> m = new HashMap<>();
    m.put("a", 1);
    assertEquals(m, maps.decode(maps.encode(m)));
    Codec<Object> any = Codec.serializable();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> any.encode(new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("Serializable"),
        e.getMessage());
  }

  record Order(String id, int quantity, ArrayList<String> notes) implements Serializable {
  }

  @Test
  void anAllowListReadsItsTypeAndWhatItNamesAndNothingElse() {
    Codec<Order> orders = Codec.serializable(Order.class, "java.util.ArrayList");
    Order o = new Order("A-1", 3, new ArrayList<>(List.of("fragile")));
    assertEquals(o, orders.decode(orders.encode(o)));

    Codec<Order> strict = Codec.serializable(Order.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.decode(strict.encode(o)));
    assertTrue(e.getMessage().contains("rejected"), e.getMessage());

    Codec<Object> sets = Codec.serializable(Object.class);
    byte[] bomb = Codec.serializable().encode(bomb(40));
    assertThrows(IllegalArgumentException.class, () -> sets.decode(bomb), "HashSet is not on the list");

    Codec<Order> wrongType = Codec.serializable(Order.class, "java.util.ArrayList");
    IllegalArgumentException notAnOrder = assertThrows(IllegalArgumentException.class,
        () -> wrongType.decode(Codec.serializable().encode(new ArrayList<>(List.of("x")))));
    assertTrue(notAnOrder.getMessage().contains("not the"), notAnOrder.getMessage());
  }

  @Test
  void arraysOfPrimitivesPassAndLimitsCanBeRaisedByPattern() {
    Codec<int[]> ints = Codec.serializable(int[].class);
    assertEquals(3, ints.decode(ints.encode(new int[] {1, 2, 3})).length);
    Codec<Set<Object>> deep = Codec.serializable();
    assertThrows(IllegalArgumentException.class, () -> deep.decode(deep.encode(bomb(25))));
    Codec<Set<Object>> raised = Codec.serializable(castSet(), "java.util.HashSet", "maxdepth=200");
    assertEquals(2, raised.decode(raised.encode(bomb(3))).size(), "three levels pass with the raised depth");
    assertThrows(IllegalArgumentException.class, () -> Codec.serializable(Order.class, "a;b"));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<Set<Object>> castSet() {
    return (Class) Set.class;
  }

  @Test
  void anAllowListCodecTravelsAsItsTypeAndPatterns() throws Exception {
    Codec<Order> orders = Codec.serializable(Order.class, "java.util.ArrayList");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(orders);
    }
    @SuppressWarnings("unchecked")
    Codec<Order> back = (Codec<Order>) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))
        .readObject();
    Order o = new Order("B", 1, new ArrayList<>());
    assertEquals(o, back.decode(back.encode(o)));
    assertEquals(orders.toString(), back.toString());
  }
}
