# The CPython side of PoolLatencyBenchmark: Pool(1).apply of a trivial function, back to back and after 1 s idle.
# Run: python3 ipc-bench/cpython/pool_apply.py
import multiprocessing as mp, time
def one(): return 1
if __name__ == '__main__':
    mp.set_start_method('spawn')
    with mp.Pool(1) as pool:
        for i in range(500): pool.apply(one)
        t = []
        for i in range(10):
            time.sleep(1.0)
            t0 = time.perf_counter(); pool.apply(one); t.append((time.perf_counter() - t0) * 1e6)
        t.sort(); print("apply after 1 s idle: median %.0f us, min %.0f max %.0f" % (t[len(t)//2], t[0], t[-1]))
        u = []
        for i in range(500):
            t0 = time.perf_counter(); pool.apply(one); u.append((time.perf_counter() - t0) * 1e6)
        u.sort(); print("apply back to back: median %.0f us" % u[len(u)//2])
