# (not queue.py: that name would shadow the standard library module)
# CPython's multiprocessing.Queue(1000), 64-byte messages, one producer and one consumer process; JSON lines.
# Run: python3 ipc-bench/cpython/mp_queue.py
import json, multiprocessing as mp, time
N = 100_000
MSG = b'x' * 64
def consume(q, n, done):
    for _ in range(n): q.get()
    done.put(1)
def echo(a, b):
    while True:
        m = a.get()
        if m is None: return
        b.put(m)
if __name__ == '__main__':
    mp.set_start_method('spawn')
    q, done = mp.Queue(1000), mp.Queue()
    p = mp.Process(target=consume, args=(q, N, done)); p.start()
    t0 = time.perf_counter()
    for _ in range(N): q.put(MSG)
    done.get(); dt = time.perf_counter() - t0; p.join()
    print(json.dumps({"name": "queue_one_to_one", "value": N / dt, "unit": "msgs/s"}))
    a, b = mp.Queue(16), mp.Queue(16)
    p = mp.Process(target=echo, args=(a, b)); p.start()
    for _ in range(1000): a.put(MSG); b.get()
    t = []
    for _ in range(10000):
        t0 = time.perf_counter(); a.put(MSG); b.get(); t.append(time.perf_counter() - t0)
    a.put(None); p.join(); t.sort()
    print(json.dumps({"name": "queue_round_trip", "value": t[len(t) // 2] * 1e6, "unit": "us"}))
