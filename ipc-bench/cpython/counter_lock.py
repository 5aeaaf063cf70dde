# CPython's two-process counter under multiprocessing.Lock, for the chart: prints one JSON line (ops/s of both).
# Run: python3 ipc-bench/cpython/counter_lock.py
import json, multiprocessing as mp, time
N = 200_000
def work(v, lock, n):
    for _ in range(n):
        with lock:
            v.value += 1
if __name__ == '__main__':
    mp.set_start_method('spawn')
    v = mp.Value('q', 0, lock=False); lock = mp.Lock()
    ps = [mp.Process(target=work, args=(v, lock, N)) for _ in range(2)]
    for p in ps: p.start()
    t0 = time.perf_counter()
    for p in ps: p.join()
    dt = time.perf_counter() - t0
    assert v.value == 2 * N
    print(json.dumps({"name": "counter_lock", "value": 2 * N / dt, "unit": "ops/s"}))
