#!/usr/bin/env python3
"""Runs, in one sitting, the JMH benchmarks behind the README's comparison table and the CPython scripts beside
them, then writes from that one run: ipc-bench/results/<stamp>-chart.json (every figure), benchmarks.svg (the chart
beside the README: ipckit vs CPython vs the peers per primitive, log scale, with date, machine and JDK) and the table
between the README's <!-- benchmark-chart:begin --> and <!-- benchmark-chart:end --> markers. No number is typed in
by hand.

Run from the repository root after `mvn -B -q package -DskipTests`:  python3 ipc-bench/chart.py
(JMH options: CHART_JMH="-f 1 -wi 1 -i 2 -w 1s -r 1s" by default.) `python3 ipc-bench/chart.py RUN.json` draws the
table and the chart again from a kept run without measuring anything.)"""
import datetime, html, json, math, os, platform, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, 'ipc-bench', 'target', 'benchmarks.jar')
JMH_OPTS = os.environ.get('CHART_JMH', '-f 1 -wi 1 -i 2 -w 1s -r 1s').split()

# (benchmark regex, extra JMH args): each run once
JMH_RUNS = [
    (r'CounterBenchmark\.(incrementAndGet|lock)$', ['-p', 'layout=slab']),
    (r'PipeBenchmark\.(oneWay|roundTrip)$', ['-p', 'duplex=true']),
    (r'ChronicleQueuePeerBenchmark\.(oneWay|roundTrip)$', []),
    (r'QueueThroughputBenchmark\.oneToOne$', ['-p', 'impl=IpcQueue', '-p', 'size=64']),
    (r'QueueLatencyBenchmark\.roundTrip$', ['-p', 'impl=IpcQueue']),
    (r'ProcessStartBenchmark\.startJoin$', ['-p', 'start=cold']),
    (r'PoolBenchmark\.map$', []),
    (r'RedisBenchmark\.(counter|queueThroughput)$', ['-p', 'backend=redis']),
    (r'RedisLatencyBenchmark\.(queueRoundTrip|pipeRoundTrip)$', ['-p', 'backend=redis']),
]
CPYTHON = ['counter_lock.py', 'pipe.py', 'mp_queue.py', 'process_start.py', 'pool_map.py']

# rows: label, unit, lower_is_better, {column: (source, key)}; source 'jmh' keys are (benchmark suffix, metric)
COLUMNS = ['ipckit (shared memory)', 'ipckit (Redis backend)', 'Chronicle Queue', 'CPython multiprocessing']
ROWS = [
    ('Counter, 2 processes, under a lock (both)', 'ops/s', False,
     {0: ('jmh', 'CounterBenchmark.lock', 'total'), 3: ('py', 'counter_lock')}),
    ('Counter, incrementAndGet, 1 of 2 processes', 'ops/s', False,
     {0: ('jmh', 'CounterBenchmark.incrementAndGet', 'score'), 1: ('jmh', 'RedisBenchmark.counter', 'score')}),
    ('Pipe, 64 B one way', 'msgs/s', False,
     {0: ('jmh', 'PipeBenchmark.oneWay', 'score'), 2: ('jmh', 'ChronicleQueuePeerBenchmark.oneWay', 'score'),
      3: ('py', 'pipe_one_way')}),
    ('Pipe, 64 B round trip, median', 'µs', True,
     {0: ('jmh', 'PipeBenchmark.roundTrip', 'p50'), 1: ('jmh', 'RedisLatencyBenchmark.pipeRoundTrip', 'p50'),
      2: ('jmh', 'ChronicleQueuePeerBenchmark.roundTrip', 'p50'), 3: ('py', 'pipe_round_trip')}),
    ('Queue(1000), 64 B, 1 → 1', 'msgs/s', False,
     {0: ('jmh', 'QueueThroughputBenchmark.oneToOne', 'score'), 1: ('jmh', 'RedisBenchmark.queueThroughput', 'score'),
      3: ('py', 'queue_one_to_one')}),
    ('Queue, 64 B round trip, median', 'µs', True,
     {0: ('jmh', 'QueueLatencyBenchmark.roundTrip', 'p50'), 1: ('jmh', 'RedisLatencyBenchmark.queueRoundTrip', 'p50'),
      3: ('py', 'queue_round_trip')}),
    ('Process start + join, empty task, cold', 'ms', True,
     {0: ('jmh', 'ProcessStartBenchmark.startJoin', 'score'), 3: ('py', 'process_start')}),
    ('Pool(2).map over 10,000 integers', 'items/s', False,
     {0: ('jmh', 'PoolBenchmark.map', 'items'), 3: ('py', 'pool_map')}),
]
UNIT_SCALE = {'us/op': 1.0, 'ms/op': 1.0, 'ops/s': 1.0}


def run_jmh():
    results = []
    for regex, extra in JMH_RUNS:
        with tempfile.NamedTemporaryFile(suffix='.json', delete=False) as f:
            out = f.name
        cmd = ['java', '-jar', JAR, regex] + JMH_OPTS + extra + ['-rf', 'json', '-rff', out]
        print('+', ' '.join(cmd), flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            results += json.load(f)
        os.unlink(out)
    return results


def run_cpython():
    figures = {}
    for script in CPYTHON:
        path = os.path.join(ROOT, 'ipc-bench', 'cpython', script)
        print('+ python3', path, flush=True)
        out = subprocess.run([sys.executable, path], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith('{'):
                d = json.loads(line)
                figures[d['name']] = d
    return figures


def jmh_value(results, suffix, metric):
    for r in results:
        if r['benchmark'].endswith('.' + suffix):
            pm = r['primaryMetric']
            if metric == 'score':
                return pm['score'], pm['scoreUnit']
            if metric == 'p50':
                return pm['scorePercentiles']['50.0'], pm['scoreUnit']
            if metric == 'items':                      # PoolBenchmark: its score is per item already
                return pm['score'], 'items/s'
            sm = r.get('secondaryMetrics', {}).get(metric)
            return (sm['score'], sm['scoreUnit']) if sm else (None, None)
    return None, None


def to_unit(value, unit, want):
    """value in JMH's unit as the row's unit."""
    if value is None:
        return None
    if want == 'µs' and unit == 'us/op':
        return value
    if want == 'ms' and unit == 'ms/op':
        return value
    if want == 'ms' and unit == 'us/op':
        return value / 1000
    return value


def figures(results, py):
    table = []
    for label, unit, lower, cols in ROWS:
        row = [None] * len(COLUMNS)
        for c, src in cols.items():
            if src[0] == 'py':
                d = py.get(src[1])
                row[c] = d['value'] if d else None
            else:
                v, u = jmh_value(results, src[1], src[2])
                row[c] = to_unit(v, u, unit)
        table.append((label, unit, lower, row))
    return table


def fmt(v, unit):
    if v is None:
        return '—'
    if unit in ('µs', 'ms'):
        return ('%.2f' % v if v < 10 else '%.0f' % v) + ' ' + unit
    for div, suffix in ((1e6, ' M'), (1e3, ' k')):
        if v >= div:
            return ('%.1f' % (v / div)).rstrip('0').rstrip('.') + suffix + ' ' + unit
    return '%.0f %s' % (v, unit)


def markdown(table, stamp, machine):
    lines = ['| What (cross-process) | ' + ' | '.join(COLUMNS) + ' |', '|---' * (len(COLUMNS) + 1) + '|']
    for label, unit, lower, row in table:
        cells = []
        base = row[0]
        for i, v in enumerate(row):
            s = fmt(v, unit)
            if i >= 2 and v and base:                 # against the peers and CPython, not our own Redis backend
                ratio = (v / base) if lower else (base / v)
                s += ' (ipckit %s×)' % ('%.0f' % ratio if ratio >= 10 else '%.1f' % ratio)
            cells.append('**' + s + '**' if i == 0 and v is not None else s)
        lines.append('| %s%s | %s |' % (label, ' (lower is better)' if lower else '', ' | '.join(cells)))
    lines.append('')
    lines.append('Generated by `ipc-bench/chart.py` from one run (%s; %s; JMH `%s`); "ipckit N×" is how many times '
                 'ipckit (shared memory) is ahead. The Redis column is the same API on a server over loopback (a '
                 'network round trip per call). Chart: [benchmarks.svg](benchmarks.svg).'
                 % (stamp, machine, ' '.join(JMH_OPTS)))
    return '\n'.join(lines)


def svg(table, stamp, machine):
    colors = ['#1f77b4', '#9467bd', '#ff7f0e', '#2ca02c']
    w, left, bar, gap = 980, 330, 14, 16
    lo, hi = -1, 9                                    # 0.1 .. 1e9, log scale
    plot_w = w - left - 40
    y = 70
    parts = []
    for label, unit, lower, row in table:
        present = [(i, v) for i, v in enumerate(row) if v]
        parts.append('<text x="10" y="%d" class="row">%s</text>' % (y + 12, html.escape(label)))
        parts.append('<text x="10" y="%d" class="sub">%s%s</text>' % (y + 27, html.escape(unit),
                                                                     ', lower is better' if lower else ''))
        for i, v in present:
            x1 = left + plot_w * (math.log10(v) - lo) / (hi - lo)
            parts.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                         % (left, y, max(1, x1 - left), bar, colors[i]))
            parts.append('<text x="%.1f" y="%d" class="val">%s</text>' % (x1 + 4, y + 11, html.escape(fmt(v, unit))))
            y += bar + 2
        y += gap + max(0, 2 - len(present)) * (bar + 2)
    axis = []
    for e in range(lo, hi + 1):
        x = left + plot_w * (e - lo) / (hi - lo)
        axis.append('<line x1="%.1f" y1="60" x2="%.1f" y2="%d" class="grid"/>' % (x, x, y))
        axis.append('<text x="%.1f" y="%d" class="tick">1e%d</text>' % (x - 10, y + 14, e))
    legend = []
    x = 10
    for i, c in enumerate(COLUMNS):
        legend.append('<rect x="%d" y="36" width="12" height="12" fill="%s"/><text x="%d" y="46" class="sub">%s</text>'
                      % (x, colors[i], x + 16, html.escape(c)))
        x += 16 + 7 * len(c) + 24
    h = y + 48
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">\n'
            '<style>.row{font-size:12px}.sub{font-size:11px;fill:#555}.val{font-size:10px}'
            '.tick{font-size:10px;fill:#555}.grid{stroke:#ddd}</style>\n'
            '<rect width="100%%" height="100%%" fill="white"/>\n'
            '<text x="10" y="20" font-size="15">ipckit vs CPython multiprocessing vs the peers (log scale)</text>\n'
            '<text x="10" y="%d" class="sub">%s — %s</text>\n%s\n%s\n%s\n</svg>\n'
            % (w, h, h - 8, html.escape(stamp), html.escape(machine), '\n'.join(axis), '\n'.join(legend),
               '\n'.join(parts)))


def main():
    if len(sys.argv) > 1:                             # draw again from a kept run, measuring nothing
        with open(sys.argv[1]) as f:
            run = json.load(f)
        stamp, machine, results, py = run['stamp'], run['machine'], run['jmh'], run['cpython']
        JMH_OPTS[:] = run['jmhOptions']
        name = os.path.basename(sys.argv[1])
    else:
        if not os.path.exists(JAR):
            sys.exit('build first: mvn -B -q package -DskipTests (no %s)' % JAR)
        stamp = datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')
        jdk = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
        machine = '%s, %d cores, %s, %s' % (platform.machine(), os.cpu_count(), jdk,
                                            'CPython ' + platform.python_version())
        results = run_jmh()
        py = run_cpython()
        name = datetime.datetime.utcnow().strftime('%Y-%m-%dT%H%M') + '-chart.json'
        with open(os.path.join(ROOT, 'ipc-bench', 'results', name), 'w') as f:
            json.dump({'stamp': stamp, 'machine': machine, 'jmhOptions': JMH_OPTS, 'jmh': results, 'cpython': py},
                      f, indent=1)
    table = figures(results, py)
    with open(os.path.join(ROOT, 'benchmarks.svg'), 'w') as f:
        f.write(svg(table, stamp, machine))
    readme = os.path.join(ROOT, 'README.md')
    with open(readme) as f:
        text = f.read()
    block = '<!-- benchmark-chart:begin -->\n' + markdown(table, stamp, machine) + '\n<!-- benchmark-chart:end -->'
    new, n = re.subn(r'<!-- benchmark-chart:begin -->.*?<!-- benchmark-chart:end -->', lambda m: block, text,
                     flags=re.S)
    if n != 1:
        sys.exit('README.md has no <!-- benchmark-chart:begin --> ... <!-- benchmark-chart:end --> block')
    with open(readme, 'w') as f:
        f.write(new)
    print('wrote', name, 'benchmarks.svg and the README table')


if __name__ == '__main__':
    main()
