package dev.ipckit.shm.inspect;

/**
 * A process recorded in an object's owner word or table: what it holds ({@code role}: {@code "holder"}, {@code
 * "producer"}, {@code "consumer"}, {@code "left"}, {@code "right"}, {@code "permits"}), its registry token, the pid
 * its registry slot records (-1 when the slot was claimed again by another process), whether it is alive, and a
 * count for roles that have one (permits held), else 0.
 */
public record Holder(String role, long token, long pid, Life life, long count) {
}
