# The CPython side of QueueWakeBenchmark: a job put on a multiprocessing.Queue for a worker idle for 1 s, the reply
# taken from another queue. Run: python3 ipc-bench/cpython/queue_wake.py
import multiprocessing as mp, time
def serve(jobs, replies):
    while True:
        j = jobs.get()
        if j == "stop": return
        replies.put(j)
if __name__ == '__main__':
    mp.set_start_method('spawn')
    jobs, replies = mp.Queue(16), mp.Queue(16)
    p = mp.Process(target=serve, args=(jobs, replies), daemon=True); p.start()
    for i in range(2000): jobs.put("warm-up"); replies.get()
    t = []
    for i in range(12):
        time.sleep(1.0)
        t0 = time.perf_counter(); jobs.put("job"); replies.get(); t.append((time.perf_counter() - t0) * 1e6)
    t.sort(); print("job to a worker idle 1 s, put -> reply: median %.0f us, min %.0f max %.0f" % (t[len(t)//2], t[0], t[-1]))
    jobs.put("stop"); p.join()
