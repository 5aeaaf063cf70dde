package dev.ipckit.shm.slab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a slab's words say, checked for consistency ({@link Slab#census}): the counts, and every way the words
 * disagree with each other. A whole slab has none: every live name in exactly one slot and found by its name, no
 * slot leaked (live + removed + free = the slots handed out), the counts right.
 */
public final class Census {
  /** Slots ever handed out (the next fresh slot). */
  public long slots;
  public long live;
  public long removed;
  public long free;
  public long buckets;
  /** Times the slab's lock was taken over from a dead holder, ever. */
  public long takeovers;
  public Set<String> names;
  /** Every disagreement found; empty for a whole slab. */
  public final List<String> problems = new ArrayList<>();

  Census() {
  }

  /** Reads the slab's words; the caller holds the slab's lock. */
  static Census take(Slab slab, SlabFiles files, long takeovers) {
    Census c = new Census();
    c.takeovers = takeovers;
    long end = files.nextFresh();
    c.slots = end;
    Map<String, Long> names = new HashMap<>();
    for (long s = 0; s < end; s++) {
      long state = files.meta(s, SlabLayout.M_STATE);
      int status = SlabLayout.statusOf(state);
      if (status == SlabLayout.LIVE_STATUS) {
        c.live++;
        String name = files.nameOf(s);
        if (name == null) {
          c.problems.add("slot " + s + " is live with a damaged name");
        } else if (names.put(name, s) != null) {
          c.problems.add("\"" + name + "\" is live in slots " + names.get(name) + " and " + s);
        } else if (slab.find(name) != s) {
          c.problems.add("\"" + name + "\" in slot " + s + " is not found by its name");
        }
      } else if (status == SlabLayout.REMOVED_STATUS) {
        c.removed++;
      } else if (status != SlabLayout.FREE) {
        c.problems.add("slot " + s + " has an unknown status " + status);
      }
    }
    Set<Long> seen = new HashSet<>();
    for (long head = files.control(SlabLayout.FREE_HEAD); head != 0L; head = files.meta(head - 1, SlabLayout.M_NEXT)) {
      long s = head - 1;
      if (s < 0 || s >= end || !seen.add(s)) {
        c.problems.add("the free list is broken at slot " + s);
        break;
      }
      if (SlabLayout.statusOf(files.meta(s, SlabLayout.M_STATE)) != SlabLayout.FREE) {
        c.problems.add("slot " + s + " is on the free list but not free");
      }
    }
    c.free = seen.size();
    if (c.live + c.removed + c.free != end) {
      c.problems.add((end - c.live - c.removed - c.free) + " slots are neither live, removed nor on the free list"
          + " (leaked)");
    }
    if (c.live != files.control(SlabLayout.LIVE)) {
      c.problems.add("the live count says " + files.control(SlabLayout.LIVE) + ", the slots " + c.live);
    }
    if (c.removed != files.control(SlabLayout.REMOVED)) {
      c.problems.add("the removed count says " + files.control(SlabLayout.REMOVED) + ", the slots " + c.removed);
    }
    SlabFiles.Index idx = files.currentIndex();
    c.buckets = idx.mask + 1;
    long used = 0;
    for (int i = 0; i <= idx.mask; i++) {
      long v = idx.bucket(i);
      if (v != SlabLayout.EMPTY) {
        used++;
      }
    }
    if (used > files.control(SlabLayout.INDEX_USED)) {
      c.problems.add("the index has " + used + " used buckets, the control block says " + files.control(SlabLayout.INDEX_USED));
    }
    c.names = names.keySet();
    return c;
  }

  @Override
  public String toString() {
    return "slots " + slots + " (live " + live + ", removed " + removed + ", free " + free + "), index buckets "
        + buckets + ", lock takeovers " + takeovers + (problems.isEmpty() ? "" : ", problems " + problems);
  }
}
