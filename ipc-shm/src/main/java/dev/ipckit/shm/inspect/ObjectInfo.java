package dev.ipckit.shm.inspect;

import dev.ipckit.shm.format.Fields;
import java.util.List;
import java.util.Map;

/**
 * One file of a namespace as the inspector read it.
 *
 * @param name the file name (the object's name)
 * @param kind the kind's label ({@code "lock"}, {@code "queue"}, ...), or null when the file is not a readable
 *     ipckit object
 * @param size the file's length in bytes
 * @param state what the kind's words say, in a fixed order per kind (values are Long, Double, Boolean, String or a
 *     List of them); empty for an unreadable file
 * @param holders the processes its owner words and tables record, in the order the layout keeps them
 * @param problem why the file is not a readable ipckit object (foreign, truncated, another layout version, ...),
 *     or null
 * @param fields every decoded word, header included (only from {@link Inspector#object}; empty in a listing)
 */
public record ObjectInfo(String name, String kind, long size, Map<String, Object> state, List<Holder> holders,
    String problem, List<Fields.Field> fields) {
}
