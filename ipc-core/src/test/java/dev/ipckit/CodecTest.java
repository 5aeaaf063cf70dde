package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Serialized;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CodecTest {
  record Point(int x, int y) implements Serializable {
  }

  record Holder(Object payload) implements Serializable {
  }

  static final class Node implements Serializable {
    Node next;
  }

  @Test
  void bytesPassThroughAndSlicesAreCopied() {
    byte[] b = {1, 2, 3, 4, 5};
    assertSame(b, Codec.bytes().encode(b));
    assertSame(b, Codec.bytes().decode(b));
    byte[] slice = Codec.bytes().decode(b, 1, 3);
    assertArrayEquals(new byte[] {2, 3, 4}, slice);
    slice[0] = 9;
    assertEquals(2, b[1], "a slice does not share the caller's array");
    assertEquals(0, Codec.bytes().decode(b, 5, 0).length);
  }

  @Test
  void bytesRefuseNull() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Codec.bytes().encode(null));
    assertEquals("message", e.getMessage());
  }

  @Test
  void stringIsUtf8() {
    String s = "héllo \u20ac \uD83D\uDE00";
    byte[] b = Codec.string().encode(s);
    assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), b);
    assertEquals(s, Codec.string().decode(b));
    byte[] framed = new byte[b.length + 4];
    System.arraycopy(b, 0, framed, 2, b.length);
    assertEquals(s, Codec.string().decode(framed, 2, b.length));
    assertEquals("", Codec.string().decode(new byte[0]));
  }

  @Test
  void serializableRoundTrips() {
    Codec<Point> c = Codec.serializable();
    Point p = new Point(3, -4);
    assertEquals(p, c.decode(c.encode(p)));
    Codec<ArrayList<String>> lists = Codec.serializable();
    ArrayList<String> l = new ArrayList<>(List.of("a", "b"));
    assertEquals(l, lists.decode(lists.encode(l)));
  }

  @Test
  void serializableDecodesASliceOnly() {
    Codec<Point> c = Codec.serializable();
    byte[] b = c.encode(new Point(1, 2));
    byte[] framed = new byte[b.length + 10];
    Arrays.fill(framed, (byte) 0x7f);
    System.arraycopy(b, 0, framed, 5, b.length);
    assertEquals(new Point(1, 2), c.decode(framed, 5, b.length));
  }

  @Test
  void serializableNamesWhatCannotBeSerialized() {
    Codec<Holder> c = Codec.serializable();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.encode(new Holder(new Object())));
    assertTrue(e.getMessage().startsWith("cannot serialize " + Holder.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  @Test
  void serializableRefusesNull() {
    Codec<Point> c = Codec.serializable();
    assertThrows(NullPointerException.class, () -> c.encode(null));
  }

  @Test
  void serializableRejectsADeepGraph() {
    Node head = new Node();
    Node n = head;
    for (int i = 0; i < 200; i++) {
      n.next = new Node();
      n = n.next;
    }
    Codec<Node> c = Codec.serializable();
    byte[] b = c.encode(head);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.decode(b));
    assertTrue(e.getMessage().startsWith("message rejected by the deserialization filter"), e.getMessage());
  }

  @Test
  void serializableAppliesTheCallersFilter() {
    ObjectInputFilter noPoints = info -> info.serialClass() == Point.class
        ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
    Codec<Point> c = Codec.serializable(noPoints);
    byte[] b = c.encode(new Point(1, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.decode(b));
    assertTrue(e.getMessage().startsWith("message rejected by the deserialization filter"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Codec.serializable(null));
  }

  @Test
  void serializableReportsTruncatedBytes() {
    Codec<Point> c = Codec.serializable();
    byte[] b = c.encode(new Point(1, 2));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> c.decode(b, 0, b.length - 3));
    assertTrue(e.getMessage().startsWith("cannot deserialize a message of " + (b.length - 3) + " bytes"),
        e.getMessage());
    assertThrows(UncheckedIOException.class, () -> c.decode(new byte[] {1, 2, 3}));
  }

  @Test
  void codecsThemselvesSerializeAndTheBuiltInOnesStaySingletons() throws Exception {
    assertSame(Codec.bytes(), Serialized.roundTrip(Codec.bytes()));
    assertSame(Codec.string(), Serialized.roundTrip(Codec.string()));
    Codec<Point> c = Serialized.roundTrip(Codec.<Point>serializable());
    assertEquals(new Point(7, 8), c.decode(c.encode(new Point(7, 8))));
  }

}
