package dev.ipckit.internal.pool;

import dev.ipckit.Args;
import dev.ipckit.CheckedBiFunction;
import dev.ipckit.CheckedFunction;
import dev.ipckit.CheckedTriFunction;

/**
 * A function of several arguments as a function of one {@link Args} tuple: {@code Pool.starmap} is
 * {@code Pool.map} over the tuples with one of these, so the tuples travel in the same chunks as a map's items.
 */
public final class Spread {
  private Spread() {
  }

  /** {@code fn} applied to the parts of an {@link Args.Two}. */
  public static <A, B, R> CheckedFunction<Args.Two<A, B>, R> two(CheckedBiFunction<A, B, R> fn) {
    return new OfTwo<>(fn);
  }

  /** {@code fn} applied to the parts of an {@link Args.Three}. */
  public static <A, B, C, R> CheckedFunction<Args.Three<A, B, C>, R> three(CheckedTriFunction<A, B, C, R> fn) {
    return new OfThree<>(fn);
  }

  /** See {@link #two}. */
  private static final class OfTwo<A, B, R> implements CheckedFunction<Args.Two<A, B>, R> {
    private static final long serialVersionUID = 1L;
    private final CheckedBiFunction<A, B, R> fn;

    OfTwo(CheckedBiFunction<A, B, R> fn) {
      this.fn = fn;
    }

    @Override
    public R apply(Args.Two<A, B> t) throws Exception {
      return fn.apply(t.first(), t.second());
    }
  }

  /** See {@link #three}. */
  private static final class OfThree<A, B, C, R> implements CheckedFunction<Args.Three<A, B, C>, R> {
    private static final long serialVersionUID = 1L;
    private final CheckedTriFunction<A, B, C, R> fn;

    OfThree(CheckedTriFunction<A, B, C, R> fn) {
      this.fn = fn;
    }

    @Override
    public R apply(Args.Three<A, B, C> t) throws Exception {
      return fn.apply(t.first(), t.second(), t.third());
    }
  }
}
