package dev.ipckit.internal.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Task;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The direct form of a lambda task: which tasks take it, that running the decoded form does what the lambda does,
 * and that a foreign or damaged form is an error that says so. Children running it are tested in
 * {@code IpcProcessTest} and the backend's process tests.
 */
@Tag("unit")
class DirectTaskTest {
  /** What the tasks below saw; tasks run in this JVM here. */
  static final List<Object> SEEN = new ArrayList<>();

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  static void record(Object... values) {
    SEEN.addAll(Arrays.asList(values));
  }

  private static void roundTrip(Task task) throws Exception {
    byte[] form = DirectTask.encode(task);
    assertNotNull(form, "a lambda capturing only direct values must have a direct form");
    Task decoded = DirectTask.decode(form);
    assertTrue(decoded instanceof DirectTask);
    decoded.run();
  }

  @Test
  void everyDirectValueTypeArrivesUnchanged() throws Exception {
    String s = "zürich \uD83D\uDE00";
    int i = -7;
    long l = Long.MIN_VALUE;
    double d = Double.NaN;
    float f = -0.0f;
    short sh = Short.MAX_VALUE;
    byte b = (byte) 0x80;
    char c = '\u20AC';
    boolean z = true;
    String none = null;
    roundTrip(() -> record(s, i, l, d, f, sh, b, c, z, none));
    assertEquals(Arrays.asList(s, i, l, d, f, sh, b, c, z, null), SEEN);
    assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) SEEN.get(4)));
  }

  @Test
  void anObjectCapturedTwiceArrivesOnce() throws Exception {
    String s = new String("same");
    String t = s;
    String other = new String("same");
    roundTrip(() -> record(s, t, other));
    assertEquals(List.of("same", "same", "same"), SEEN);
    assertTrue(SEEN.get(0) == SEEN.get(1), "one object captured twice stays one object");
    assertTrue(SEEN.get(0) != SEEN.get(2), "two equal objects stay two");
  }

  @Test
  void aBackReferenceToALaterValueIsRejected() {
    String s = new String("x");
    String t = s;
    byte[] form = DirectTask.encode(() -> record(s, t));
    int at = form.length - 2;                   // TAG_SAME, index 0
    assertEquals(11, form[at]);
    form[at + 1] = 1;
    InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> DirectTask.decode(form));
    assertTrue(e.getMessage().contains("not an earlier one"), e.getMessage());
  }

  @Test
  void aLambdaWithoutCapturesRuns() throws Exception {
    roundTrip(() -> record("ran"));
    assertEquals(List.of("ran"), SEEN);
  }

  @Test
  void aStaticMethodReferenceRuns() throws Exception {
    roundTrip(DirectTaskTest::staticTarget);
    assertEquals(List.of("static"), SEEN);
  }

  static int staticTarget() {
    record("static");
    return 42;                        // the value a Task drops
  }

  @Test
  void aConstructorReferenceRuns() throws Exception {
    roundTrip(Built::new);
    assertEquals(List.of("built"), SEEN);
  }

  static final class Built {
    Built() {
      record("built");
    }
  }

  @Test
  void aBoundMethodReferenceCallsItsReceiver() throws Exception {
    String text = "bound";
    Task t = text::intern;                      // invokeVirtual on a captured String
    byte[] form = DirectTask.encode(t);
    assertNotNull(form);
    DirectTask.decode(form).run();              // nothing to observe but that it resolves and runs
    Task throwing = "x"::wait;                  // Object.wait without the monitor throws in the callee
    assertThrows(IllegalMonitorStateException.class, DirectTask.decode(DirectTask.encode(throwing))::run);
  }

  @Test
  void whatTheTaskThrowsIsThrownAsIs() throws Exception {
    Task checked = () -> {
      throw new IOException("checked on purpose");
    };
    IOException e = assertThrows(IOException.class, DirectTask.decode(DirectTask.encode(checked))::run);
    assertEquals("checked on purpose", e.getMessage());
    Task error = () -> {
      throw new AssertionError("error on purpose");
    };
    assertThrows(AssertionError.class, DirectTask.decode(DirectTask.encode(error))::run);
  }

  @Test
  void otherCapturesTravelAsJavaSerialization() {
    ArrayList<Integer> list = new ArrayList<>(List.of(1, 2));
    assertNull(DirectTask.encode(() -> record(list)), "a captured list has no direct form");
    int[] array = {1};
    assertNull(DirectTask.encode(() -> record(array[0])), "a captured array has no direct form");
    assertNull(DirectTask.encode(new ClassTask()), "a class implementing Task has no direct form");
    SubTask sub = () -> record("sub");
    assertNull(DirectTask.encode(sub), "a lambda of a Task sub-interface has no direct form");
    assertNull(DirectTask.encode(this::instanceTarget), "a lambda bound to a non-direct receiver");
    assertTrue(SEEN.isEmpty(), "encoding must not run anything");
  }

  void instanceTarget() {
    record("instance");
  }

  interface SubTask extends Task {
  }

  static final class ClassTask implements Task {
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
      record("class");
    }

    Object writeReplace() {
      record("writeReplace must not be called");
      return this;
    }
  }

  @Test
  void aForeignFormIsRejectedNamingWhatWasFound() {
    byte[] foreign = {(byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3, 4};
    InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> DirectTask.decode(foreign));
    assertTrue(e.getMessage().contains("0xaced0005"), e.getMessage());
  }

  @Test
  void aTruncatedFormIsAnEofNamingItsLength() {
    byte[] form = DirectTask.encode(() -> record("long enough to cut", 1L));
    for (int cut : new int[] {0, 3, 8, form.length / 2, form.length - 1}) {
      byte[] part = Arrays.copyOf(form, cut);
      IOException e = assertThrows(IOException.class, () -> DirectTask.decode(part), "cut at " + cut);
      assertTrue(e instanceof EOFException || e instanceof InvalidObjectException, e.toString());
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("length"), e.getMessage());
    }
  }

  @Test
  void trailingBytesAndUnknownTagsAreRejected() {
    int five = Integer.parseInt("5");
    byte[] form = DirectTask.encode(() -> record(five));
    byte[] longer = Arrays.copyOf(form, form.length + 1);
    assertThrows(InvalidObjectException.class, () -> DirectTask.decode(longer));
    byte[] badTag = form.clone();
    badTag[form.length - 5] = 99;               // the tag before the int
    InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> DirectTask.decode(badTag));
    assertTrue(e.getMessage().contains("tag"), e.getMessage());
  }

  @Test
  void aMissingClassOrMethodIsAReflectiveError() throws Exception {
    byte[] form = DirectTask.encode(DirectTaskTest::staticTarget);
    String text = new String(form, StandardCharsets.ISO_8859_1);
    byte[] noClass = text.replace("DirectTaskTest", "DirectTaskTesX").getBytes(StandardCharsets.ISO_8859_1);
    assertThrows(ClassNotFoundException.class, () -> DirectTask.decode(noClass));
    byte[] noMethod = text.replace("staticTarget", "staticTargeX").getBytes(StandardCharsets.ISO_8859_1);
    NoSuchMethodException e = assertThrows(NoSuchMethodException.class, () -> DirectTask.decode(noMethod));
    assertTrue(e.getMessage().contains("staticTargeX"), e.getMessage());
  }

  @Test
  void aKindThatDoesNotMatchTheMethodIsRejected() throws Exception {
    byte[] form = DirectTask.encode(DirectTaskTest::staticTarget);
    ByteBuffer buf = ByteBuffer.wrap(form);
    buf.getInt();
    for (int k = 0; k < 3; k++) {
      int length = buf.getInt();
      buf.position(buf.position() + length);
    }
    int kindAt = buf.position();
    form[kindAt] = 5;                           // invokeVirtual of a static method
    assertThrows(NoSuchMethodException.class, () -> DirectTask.decode(form));
  }

  @Test
  void descriptorsMatchTheJvmNotation() {
    assertEquals("()V", LambdaTarget.descriptor(new Class<?>[0], void.class));
    assertEquals("(IJZDFBCS[I[Ljava/lang/String;Ljava/util/List;)Ljava/lang/Object;",
        LambdaTarget.descriptor(new Class<?>[] {int.class, long.class, boolean.class, double.class, float.class,
            byte.class, char.class, short.class, int[].class, String[].class, List.class}, Object.class));
  }

  @Test
  void decodingTwiceGivesIndependentTasks() throws Exception {
    byte[] form = DirectTask.encode(() -> record("twice"));
    Task a = DirectTask.decode(form);
    Task b = DirectTask.decode(form);
    a.run();
    b.run();
    assertEquals(List.of("twice", "twice"), SEEN);
  }
}
