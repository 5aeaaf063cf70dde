package dev.ipckit.cli;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipckit ls}, {@code stat} and {@code ps}, text and JSON, over a namespace in use by real child processes: one
 * holding a lock, one blocked in {@code take}, one owning a pipe end, and one killed with {@code kill -9} while it
 * held a lock.
 */
@Tag("crash")
class IpckitCrashTest extends AgainstANamespace {
  @Test
  void showsWhoHoldsWhatAndWhoIsDead() throws Exception {
    ipc = Ipc.temp();
    String dir = ipc.dir().toString();
    IpcLock held = ipc.lock("held");
    IpcLock orphan = ipc.lock("orphan");
    IpcQueue<String> jobs = ipc.queue("jobs", 10, Codec.string());
    Pipe<String> chan = ipc.pipe("chan", true, Codec.string());
    Connection<String> right = chan.right();
    Connection<String> left = chan.left();
    IpcSemaphore slots = ipc.semaphore("slots", 3);
    IpcEvent ready = ipc.event("ready");
    IpcBarrier meet = ipc.barrier("meet", 3);
    ready.set();

    Crash holder = Crash.at(children, ipc, () -> {
      held.lock();
      slots.acquire();
    });
    IpcProcess waiter = children.start(meet::await);
    IpcProcess taker = children.start(jobs::take);
    Crash owner = Crash.at(children, ipc, () -> right.send("hello"));
    left.send("hi");                                        // this JVM owns the left end
    Crash dead = Crash.at(children, ipc, orphan::lock);
    dead.kill();                                            // kill -9, reaped: holding "orphan"
    long holderPid = holder.process().pid();
    long takerPid = taker.pid();
    long ownerPid = owner.process().pid();
    long deadPid = dead.process().pid();
    long me = ProcessHandle.current().pid();

    // the taker parks once its spin is over: its queue's consumer sleep word shows it
    Await.retry("the taker to park in take()", Children.START, () -> {
      Cli.Run r = Cli.run(children, scratch, "ls", dir, "--json");
      assertEquals(0, r.exit, r.toString());
      return r.out.contains("\"consumersParked\":true") && r.out.contains("\"arrived\":1");
    });

    Cli.Run ls = Cli.run(children, scratch, "ls", dir);
    assertEquals(0, ls.exit, ls.toString());
    assertTrue(ls.out.startsWith("KIND"), ls.toString());
    assertRow(ls, "lock", "held", "held=true takeovers=0 holder=pid:" + holderPid + "(alive)");
    assertRow(ls, "lock", "orphan", "held=true takeovers=0 holder=pid:" + deadPid + "(dead)");
    assertRow(ls, "queue", "jobs", "depth=0 capacity=10 dataUsed=0");
    assertRow(ls, "queue", "jobs", "consumersParked=true");
    assertRow(ls, "semaphore", "slots", "permits=2 reclaims=0 permits=1@pid:" + holderPid + "(alive)");
    assertRow(ls, "event", "ready", "set=true");
    assertRow(ls, "barrier", "meet", "parties=3 arrived=1 generation=0 broken=false waiting=pid:" + waiter.pid()
        + "(alive)");
    assertRow(ls, "pipe", "chan", "left=pid:" + me + "(alive) right=pid:" + ownerPid + "(alive)");
    Matcher bytes = Pattern.compile("bytesIntoLeft=(\\d+) bytesIntoRight=(\\d+)").matcher(line(ls, "chan"));
    assertTrue(bytes.find(), ls.toString());
    assertTrue(Long.parseLong(bytes.group(1)) > 0 && Long.parseLong(bytes.group(2)) > 0, ls.toString());

    Cli.Run json = Cli.run(children, scratch, "ls", dir, "--json");
    assertEquals(0, json.exit, json.toString());
    assertTrue(json.out.startsWith("{\"schema\":1,"), json.toString());
    assertObject(json, "held", "\"kind\":\"lock\"", "\"held\":true",
        "{\"role\":\"holder\",\"pid\":" + holderPid + ",\"life\":\"alive\"");
    assertObject(json, "orphan", "{\"role\":\"holder\",\"pid\":" + deadPid + ",\"life\":\"dead\"");
    assertObject(json, "slots", "\"permits\":2", "{\"role\":\"permits\",\"pid\":" + holderPid
        + ",\"life\":\"alive\"", "\"count\":1}");
    assertObject(json, "meet", "\"parties\":3", "\"arrived\":1", "\"broken\":false");
    assertObject(json, "jobs", "\"kind\":\"queue\"", "\"depth\":0", "\"capacity\":10", "\"consumersParked\":true");
    assertObject(json, "chan", "\"kind\":\"pipe\"", "\"duplex\":true",
        "{\"role\":\"left\",\"pid\":" + me + ",\"life\":\"alive\"",
        "{\"role\":\"right\",\"pid\":" + ownerPid + ",\"life\":\"alive\"");

    Cli.Run ps = Cli.run(children, scratch, "ps", dir, "--json");
    assertEquals(0, ps.exit, ps.toString());
    assertTrue(ps.out.startsWith("{\"schema\":1,"), ps.toString());
    for (long pid : new long[] {me, holderPid, takerPid, ownerPid, waiter.pid()}) {
      assertTrue(ps.out.contains("\"pid\":" + pid + ",\"life\":\"alive\""), pid + " alive: " + ps);
    }
    assertTrue(ps.out.contains("\"pid\":" + deadPid + ",\"life\":\"dead\""), deadPid + " dead: " + ps);
    Cli.Run psText = Cli.run(children, scratch, "ps", dir);
    assertTrue(Pattern.compile("(?m)^\\d+\\s+[0-9a-f]+\\s+" + deadPid + "\\s+dead$").matcher(psText.out).find(),
        psText.toString());

    Cli.Run stat = Cli.run(children, scratch, "stat", dir, "orphan", "--json");
    assertEquals(0, stat.exit, stat.toString());
    // a lock is a slot of the slab: its meta record's words, then its body's (offsets from the body's start)
    assertTrue(stat.out.contains("{\"name\":\"meta.state\",\"offset\":0,\"value\":"), stat.toString());
    assertTrue(stat.out.contains("{\"name\":\"owner\",\"offset\":0,\"value\":")
        && !stat.out.contains("{\"name\":\"owner\",\"offset\":0,\"value\":0,"), "held: " + stat);
    Cli.Run statFile = Cli.run(children, scratch, "stat", dir, "slots", "--json");
    assertTrue(statFile.out.contains("{\"name\":\"creatorPid\",\"offset\":40,\"value\":" + me),
        statFile.toString());
    Cli.Run statText = Cli.run(children, scratch, "stat", dir, "jobs");
    assertEquals(0, statText.exit, statText.toString());
    assertTrue(statText.out.contains("consumerLock") && statText.out.contains("magic"), statText.toString());

    // and nothing the command did disturbed anybody: the live holder still holds, the taker still waits
    assertTrue(holder.process().isAlive() && taker.isAlive() && owner.process().isAlive());
    assertTrue(!held.tryLock(), "the live holder keeps its lock");
    jobs.put("done");
    Children.assertExitsOk(taker, Children.RUN);
    assertEquals("hello", left.recv());
  }

  private static String line(Cli.Run r, String name) {
    for (String l : r.out.split("\n")) {
      String[] cols = l.trim().split("\\s+");
      if (cols.length > 1 && cols[1].equals(name)) {
        return l;
      }
    }
    throw new AssertionError("no row " + name + ": " + r);
  }

  private static void assertRow(Cli.Run r, String kind, String name, String state) {
    String l = line(r, name);
    assertTrue(l.startsWith(kind + " "), l);
    assertTrue(l.contains(state), "row of " + name + " shows " + state + ": " + l);
  }

  private static void assertObject(Cli.Run r, String name, String... parts) {
    int at = r.out.indexOf("{\"name\":\"" + name + "\"");
    assertTrue(at >= 0, name + ": " + r);
    int end = r.out.indexOf("{\"name\":", at + 1);
    String o = r.out.substring(at, end < 0 ? r.out.length() : end);
    for (String p : parts) {
      assertTrue(o.contains(p), name + " has " + p + ": " + o);
    }
  }
}
