# CPython's multiprocessing.Pipe, 64-byte messages: one-way rate and round-trip median; JSON lines.
# Run: python3 ipc-bench/cpython/pipe.py
import json, multiprocessing as mp, time
N = 200_000
MSG = b'x' * 64
def sink(conn, n):
    for _ in range(n): conn.recv_bytes()
    conn.send_bytes(b'done')
def echo(conn):
    while True:
        m = conn.recv_bytes()
        if m == b'stop': return
        conn.send_bytes(m)
if __name__ == '__main__':
    mp.set_start_method('spawn')
    a, b = mp.Pipe(duplex=True)
    p = mp.Process(target=sink, args=(b, N)); p.start()
    a.send_bytes(MSG); t0 = time.perf_counter()
    for _ in range(N - 1): a.send_bytes(MSG)
    a.recv_bytes(); dt = time.perf_counter() - t0; p.join()
    print(json.dumps({"name": "pipe_one_way", "value": N / dt, "unit": "msgs/s"}))
    a, b = mp.Pipe(duplex=True)
    p = mp.Process(target=echo, args=(b,)); p.start()
    for _ in range(2000): a.send_bytes(MSG); a.recv_bytes()
    t = []
    for _ in range(20000):
        t0 = time.perf_counter(); a.send_bytes(MSG); a.recv_bytes(); t.append(time.perf_counter() - t0)
    a.send_bytes(b'stop'); p.join(); t.sort()
    print(json.dumps({"name": "pipe_round_trip", "value": t[len(t) // 2] * 1e6, "unit": "us"}))
