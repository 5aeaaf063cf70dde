package dev.ipckit.shm.inspect;

/** One claimed registry slot: its number, the generation of its last claimer, that claimer's pid, and its life. */
public record ProcessSlot(int slot, long generation, long pid, Life life) {
}
