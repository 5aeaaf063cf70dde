package dev.ipckit;

import java.io.Serializable;

/**
 * Typed tuples of arguments, for {@link Pool#starmap(CheckedBiFunction, java.util.List) Pool.starmap}. Java has no
 * tuple literal, so where Python writes {@code pool.starmap(f, [(1, 2), (3, 4)])}, ipckit takes records of two or
 * three typed parts, and the function takes the parts as its parameters:
 *
 * <pre>{@code
 * List<Integer> sums = pool.starmap((a, b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4)));  // [3, 7]
 * }</pre>
 *
 * <p>The records are immutable, compare and hash by their parts, and are serializable when their parts are. A part
 * may be null.
 */
public final class Args {
  private Args() {
  }

  /**
   * Two arguments, as Python's {@code (first, second)}.
   *
   * @param first  the first argument
   * @param second the second argument
   * @param <A>    the type of the first argument
   * @param <B>    the type of the second argument
   */
  public record Two<A, B>(A first, B second) implements Serializable {
  }

  /**
   * Three arguments, as Python's {@code (first, second, third)}.
   *
   * @param first  the first argument
   * @param second the second argument
   * @param third  the third argument
   * @param <A>    the type of the first argument
   * @param <B>    the type of the second argument
   * @param <C>    the type of the third argument
   */
  public record Three<A, B, C>(A first, B second, C third) implements Serializable {
  }

  /**
   * The tuple {@code (first, second)}.
   *
   * @param first  the first argument
   * @param second the second argument
   * @param <A>    the type of the first argument
   * @param <B>    the type of the second argument
   * @return a record of the two arguments
   */
  public static <A, B> Two<A, B> of(A first, B second) {
    return new Two<>(first, second);
  }

  /**
   * The tuple {@code (first, second, third)}.
   *
   * @param first  the first argument
   * @param second the second argument
   * @param third  the third argument
   * @param <A>    the type of the first argument
   * @param <B>    the type of the second argument
   * @param <C>    the type of the third argument
   * @return a record of the three arguments
   */
  public static <A, B, C> Three<A, B, C> of(A first, B second, C third) {
    return new Three<>(first, second, third);
  }
}
