# CPython's spawn start + join of an empty function (median of 15); JSON line.
# Run: python3 ipc-bench/cpython/process_start.py
import json, multiprocessing as mp, time
def nothing(): pass
if __name__ == '__main__':
    mp.set_start_method('spawn')
    t = []
    for _ in range(15):
        t0 = time.perf_counter(); p = mp.Process(target=nothing); p.start(); p.join(); t.append(time.perf_counter() - t0)
    t.sort()
    print(json.dumps({"name": "process_start", "value": t[len(t) // 2] * 1e3, "unit": "ms"}))
