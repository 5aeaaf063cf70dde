#!/usr/bin/env bash
# Runs the same JMH benchmarks from two benchmark jars (before and after a change) interleaved in one sitting, so
# the machine's drift hits both alike, and keeps the report under ipc-bench/results/. Compare the ratios.
# Usage: ipc-bench/compare.sh BEFORE.jar AFTER.jar
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1
after=$2
mkdir -p ipc-bench/results
out=ipc-bench/results/$(date -u +%Y-%m-%dT%H%M)-compare.txt
{ java -version 2>&1 | head -1; echo "cores: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$out"
short="-f 1 -wi 2 -i 3 -w 1s -r 1s"
runs=(
  "CounterBenchmark.(incrementAndGet|lock)$ $short"
  "LockBenchmark.lock$ $short"
  "QueueThroughputBenchmark.oneToOne -p impl=IpcQueue -p size=64 $short"
  "PipeBenchmark.oneWay -p duplex=true $short"
  "PipeBenchmark.roundTrip -f 3 -wi 2 -i 3 -w 1s -r 1s"
  "QueueLatencyBenchmark.roundTrip -p impl=IpcQueue -f 3 -wi 2 -i 3 -w 1s -r 1s"
  "QueueJoinBenchmark.afterPause -f 1 -wi 3 -i 15"
)
for r in "${runs[@]}"; do
  for side in before after; do
    jar=$before
    [ "$side" = after ] && jar=$after
    echo "== $side: $r" >> "$out"
    # shellcheck disable=SC2086
    java -jar "$jar" $r 2>&1 | grep -E '^(Benchmark|[A-Za-z].*(thrpt|avgt|sample|ss) )|p0\.(50|90|99) ' >> "$out" || true
  done
done
cat "$out"
echo "report: $out"
