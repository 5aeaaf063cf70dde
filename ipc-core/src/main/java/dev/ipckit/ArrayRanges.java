package dev.ipckit;

import dev.ipckit.spi.CellArray;
import java.util.function.IntConsumer;

/**
 * The loop behind the default bulk {@code get} and {@code set} of every shared array interface: a range of
 * elements of the shared array and the same number of elements of a Java array, both checked ({@link
 * CellArray#checkRange}, the one bounds check) before any element is touched.
 */
final class ArrayRanges {
  private ArrayRanges() {
  }

  /**
   * Checks that {@code count} elements from index {@code from} lie in a shared array of {@code length} elements and
   * from {@code offset} in a Java array of {@code javaLength}, then calls {@code each} with 0, 1, ... {@code
   * count - 1}.
   *
   * @param type the shared array's interface name, for the message ({@code "SharedIntArray"})
   * @param name the shared array's name, for the message
   * @throws IndexOutOfBoundsException naming the array, the index, the count and the length, if a range does not fit
   */
  static void forEach(String type, String name, int length, int from, int count, int javaLength, int offset,
      IntConsumer each) {
    CellArray.checkRange(type, name, length, from, count, javaLength, offset);
    for (int k = 0; k < count; k++) {
      each.accept(k);
    }
  }
}
