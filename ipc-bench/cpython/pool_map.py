# CPython's Pool(2).map over 10,000 integers (best of 5 after a warm-up); JSON line.
# Run: python3 ipc-bench/cpython/pool_map.py
import json, multiprocessing as mp, time
def square(x): return x * x
if __name__ == '__main__':
    mp.set_start_method('spawn')
    items = list(range(10_000))
    with mp.Pool(2) as pool:
        pool.map(square, items)
        ts = []
        for _ in range(5):
            t0 = time.perf_counter(); pool.map(square, items); ts.append(time.perf_counter() - t0)
    print(json.dumps({"name": "pool_map", "value": len(items) / min(ts), "unit": "items/s"}))
