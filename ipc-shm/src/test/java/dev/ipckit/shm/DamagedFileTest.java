package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.lock.LockDescriptor;
import dev.ipckit.shm.pipe.PipeDescriptor;
import dev.ipckit.shm.queue.QueueDescriptor;
import dev.ipckit.shm.sync.SyncDescriptor;
import dev.ipckit.shm.value.ValueDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every control word of every kind of file, damaged one at a time with values a torn write, a stray process or an
 * attacker could leave there, then the object opened (in a fresh namespace instance: its files mapped and checked
 * again) and used. Whatever the damage, the use ends, within a bound, in a correct answer or in an exception of
 * ipckit's vocabulary (an {@link IpcException} naming the file, or the kind's own: a full queue, a broken barrier, a
 * closed pipe) — never a raw runtime exception, a hang, bytes that are not a message that was put, or a message
 * silently lost.
 */
@Tag("unit")
class DamagedFileTest {
  private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "damaged-file-use");
    t.setDaemon(true);
    return t;
  });
  private static final Duration BOUND = Duration.ofSeconds(20);
  /** Messages put in the queue and the pipe: a slot's worth, a data area's worth. */
  private static final List<String> MESSAGES = List.of("small", "x".repeat(1000), "y".repeat(5000));

  @AfterAll
  static void stop() {
    RUNNER.shutdownNow();
  }

  /** One kind: how to make its file, which words to damage, and how to use it afterwards. */
  enum Kind {
    LONG("v-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own", b -> ValueDescriptor.decode(b, false)),
    LOCK("l-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own", LockDescriptor::decode),
    RLOCK("r-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own", LockDescriptor::decode),
    FILE_LOCK("f", LockDescriptor::decode),
    SEMAPHORE("s", SyncDescriptor::decode),
    BOUNDED_SEMAPHORE("bs", SyncDescriptor::decode),
    EVENT("e-a-name-too-long-for-a-slab-slot-so-a-file-of-its-own", SyncDescriptor::decode),
    BARRIER("b", SyncDescriptor::decode),
    QUEUE("q", QueueDescriptor::decode),
    PIPE("p", PipeDescriptor::decode);

    final String name;
    final Function<ByteBuffer, Fields> decoder;

    Kind(String name, Function<ByteBuffer, Fields> decoder) {
      this.name = name;
      this.decoder = decoder;
    }
  }

  /** Creates the object with some state in it. */
  private static void make(Kind kind, Ipc ipc) throws Exception {
    switch (kind) {
      case LONG: ipc.sharedLong(kind.name, 42); break;
      case LOCK: ipc.lock(kind.name); break;
      case RLOCK: ipc.rlock(kind.name); break;
      case FILE_LOCK: ipc.fileLock(kind.name); break;
      case SEMAPHORE: ipc.semaphore(kind.name, 2); break;
      case BOUNDED_SEMAPHORE: ipc.boundedSemaphore(kind.name, 2).tryAcquire(); break;
      case EVENT: ipc.event(kind.name); break;
      case BARRIER: ipc.barrier(kind.name, 2); break;
      case QUEUE: {
        IpcQueue<String> q = ipc.queue(kind.name, 8, Codec.string());
        for (String m : MESSAGES) {
          q.put(m);
        }
        q.take();                                   // head and data head away from 0
        q.taskDone();
        q.put(MESSAGES.get(0));
        break;
      }
      default: {
        Pipe<String> p = ipc.pipe(kind.name, true, Codec.string());
        for (String m : MESSAGES) {
          p.right().send(m);
        }
        p.left().recv();                            // head away from 0
        p.left().close();
        p.right().close();
        break;
      }
    }
  }

  /** Uses the object after the damage; returns normally or throws what the kind may throw. */
  private static void use(Kind kind, Ipc ipc) throws Exception {
    switch (kind) {
      case LONG: ipc.sharedLong(kind.name, 0).incrementAndGet(); break;
      case LOCK: case RLOCK: case FILE_LOCK: {
        IpcLock l = kind == Kind.LOCK ? ipc.lock(kind.name) : kind == Kind.RLOCK ? ipc.rlock(kind.name)
            : ipc.fileLock(kind.name);
        if (l.tryLock(50, TimeUnit.MILLISECONDS)) {
          l.isLocked();
          l.unlock();
        }
        break;
      }
      case SEMAPHORE: case BOUNDED_SEMAPHORE: {
        IpcSemaphore s = kind == Kind.SEMAPHORE ? ipc.semaphore(kind.name, 2) : ipc.boundedSemaphore(kind.name, 2);
        s.availablePermits();
        if (s.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          s.release();
        }
        break;
      }
      case EVENT: {
        var e = ipc.event(kind.name);
        e.await(10, TimeUnit.MILLISECONDS);
        e.set();
        e.clear();
        break;
      }
      case BARRIER: {
        IpcBarrier b = ipc.barrier(kind.name, 2);
        b.isBroken();
        b.reset();
        b.await(20, TimeUnit.MILLISECONDS);
        break;
      }
      case QUEUE: {
        IpcQueue<String> q = ipc.queue(kind.name, 8, Codec.string());
        Set<String> allowed = new HashSet<>(MESSAGES);
        q.size();
        boolean put = q.offer("after");
        allowed.add("after");
        boolean seen = false;
        for (String m; (m = q.poll(20, TimeUnit.MILLISECONDS)) != null; ) {
          if (!allowed.contains(m)) {
            fail("a damaged queue returned bytes that were never put: " + m.length() + " chars starting \""
                + m.substring(0, Math.min(20, m.length())) + "\"");
          }
          seen |= m.equals("after");
        }
        if (put && !seen) {
          fail("a damaged queue accepted a message and lost it silently");
        }
        break;
      }
      default: {
        Pipe<String> p = ipc.pipe(kind.name, true, Codec.string());
        Connection<String> left = p.left();
        Connection<String> right = p.right();
        right.send("after");
        boolean seen = false;
        while (!seen && left.poll(Duration.ofMillis(20))) {
          String m = left.recv();
          if (!MESSAGES.contains(m) && !m.equals("after")) {
            fail("a damaged pipe delivered a message that was never sent: " + m.length() + " chars");
          }
          seen = m.equals("after");
        }
        if (!seen) {
          fail("a damaged pipe took a message and lost it silently");
        }
        break;
      }
    }
  }

  /** What a use may end in besides a correct answer: ipckit's vocabulary, with a message. */
  private static boolean allowed(Throwable t) {
    return t instanceof IpcException || t instanceof IllegalArgumentException || t instanceof BrokenBarrierException || t instanceof TimeoutException
        || t instanceof IllegalStateException || t instanceof java.io.IOException || t instanceof dev.ipckit.DecodeException;
  }

  /**
   * Values out of every valid range for the field, and for indices and counters their neighbours too (a torn or
   * stray write). A value inside a length's or a position's valid range cannot be told from the truth (that
   * would take a checksum), so those get only out-of-range values.
   */
  private static long[] badValues(String field, int width, long value) {
    if (width == 4) {
      return new long[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 20};
    }
    if (field.endsWith(".position") || field.endsWith(".spillOwner") || field.endsWith(".spillNumber")) {
      return new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, value + (1L << 30)};
    }
    return new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, value + 1, value + 1000, value - 1, 0};
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyControlWordDamagedOneAtATime(Kind kind) throws Exception {
    try (Ipc scratch = Ipc.temp()) {
      Path dir = scratch.dir().resolve("ns");
      try (Ipc ipc = Ipc.open(dir)) {
        make(kind, ipc);
      }
      Path file = dir.resolve(kind.name);
      byte[] pristine = Files.readAllBytes(file);
      ByteBuffer copy = ByteBuffer.allocateDirect(pristine.length).order(ByteOrder.nativeOrder());
      copy.put(pristine).clear();
      List<Fields.Field> fields = new ArrayList<>(kind.decoder.apply(copy).list());
      int cases = 0;
      List<String> failures = new ArrayList<>();
      for (Fields.Field field : fields) {
        if (field.value() == null || field.name().startsWith("sleep")) {
          continue;                                // a sleep word only times a ring; any value is harmless
        }
        int width = field.name().equals("version") || field.name().equals("kind") || field.name().equals("initialised")
            || field.name().endsWith(".length") || field.name().endsWith(".type") ? 4 : 8;
        for (long bad : badValues(field.name(), width, field.value())) {
          Files.write(file, pristine);
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.nativeOrder());
            if (width == 4) {
              b.putInt(0, (int) bad);
            } else {
              b.putLong(0, bad);
            }
            ch.write(b, field.offset());
          }
          cases++;
          String what = kind + " " + field.name() + "@" + field.offset() + " = " + bad + " (was " + field.value() + ")";
          Future<?> f = RUNNER.submit(() -> {
            try (Ipc ipc = Ipc.open(dir)) {
              use(kind, ipc);
            }
            return null;
          });
          try {
            f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException hang) {
            f.cancel(true);
            failures.add(what + ": no answer within " + BOUND);
          } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof AssertionError) {
              failures.add(what + ": " + t.getMessage());
            } else if (!allowed(t)) {
              failures.add(what + ": " + t);
            } else if ((t instanceof IpcException || t instanceof IllegalArgumentException)
                && !t.getMessage().contains(dir.toString())
                && !t.getMessage().contains(file.getFileName().toString())) {
              failures.add(what + ": the error does not name the file: " + t.getMessage());
            }
          }
        }
      }
      assertTrue(cases > 0, "no field of " + kind + " was damaged");
      assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " damaged " + kind + " files misbehaved:\n"
          + String.join("\n", failures));
    }
  }
}
