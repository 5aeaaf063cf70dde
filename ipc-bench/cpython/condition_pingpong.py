# The CPython side of ConditionBenchmark: a multiprocessing.Condition ping-pong between two processes (spawn).
# Run: python3 ipc-bench/cpython/condition_pingpong.py   (prints the round-trip median, p90 and p99)
import multiprocessing as mp, time, statistics
def echo(c, turn):
    with c:
        while True:
            while turn.value == 0:
                c.wait()
            if turn.value == 2:
                return
            turn.value = 0
            c.notify()
if __name__ == '__main__':
    mp.set_start_method('spawn')
    c = mp.Condition()
    turn = mp.Value('q', 0, lock=False)
    p = mp.Process(target=echo, args=(c, turn)); p.start()
    samples = []
    for i in range(20000):
        t0 = time.perf_counter()
        with c:
            turn.value = 1
            c.notify()
            while turn.value == 1:
                c.wait()
        samples.append(time.perf_counter() - t0)
    with c:
        turn.value = 2; c.notify()
    p.join()
    s = sorted(samples[2000:])
    print("median %.1f us, p90 %.1f us, p99 %.1f us" % (s[len(s)//2]*1e6, s[int(len(s)*.9)]*1e6, s[int(len(s)*.99)]*1e6))
