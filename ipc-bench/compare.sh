#!/usr/bin/env bash
# Runs the same JMH benchmarks from several benchmark jars (before and after changes) interleaved in one sitting,
# so the machine's drift hits them alike, and keeps the report under ipc-bench/results/. Compare the ratios.
# A single-shot benchmark's line p(50.0000) is the median of its iterations, the figure its javadoc asks for.
# Usage: ipc-bench/compare.sh LABEL=JAR LABEL=JAR ...    (a benchmark a jar lacks is skipped for it)
#        RUNS='ProcessStartBenchmark.startJoin -p start=cold -f 1;...' ipc-bench/compare.sh ...   (other runs)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p ipc-bench/results
out=ipc-bench/results/$(date -u +%Y-%m-%dT%H%M)-compare.txt
{ java -version 2>&1 | head -1; echo "cores: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)";
  for j in "$@"; do echo "jar ${j%%=*}: ${j#*=}"; done; } > "$out"
short="-f 1 -wi 2 -i 3 -w 1s -r 1s"
runs=(
  "CounterBenchmark.(incrementAndGet|lock)$ $short"
  "LockBenchmark.lock$ $short"
  "QueueThroughputBenchmark.oneToOne -p impl=IpcQueue -p size=64 $short"
  "PipeBenchmark.oneWay -p duplex=true $short"
  "PipeBenchmark.roundTrip -f 3 -wi 2 -i 3 -w 1s -r 1s"
  "QueueLatencyBenchmark.roundTrip -p impl=IpcQueue -f 3 -wi 2 -i 3 -w 1s -r 1s"
  "QueueJoinBenchmark.afterPause -f 1 -wi 3 -i 15"
  "QueueJoinBenchmark.joinReturns -f 1 -wi 3 -i 15"
  "KernelWakeBenchmark -f 1 -wi 3 -i 15"
  "LivenessBenchmark.probe $short"
  "LivenessBenchmark.takeoverAfterKill -f 1 -wi 2 -i 15"
)
if [ -n "${RUNS:-}" ]; then
  IFS=';' read -r -a runs <<< "$RUNS"
fi
for r in "${runs[@]}"; do
  for j in "$@"; do
    label=${j%%=*}
    jar=${j#*=}
    name=${r%% *}
    if ! java -jar "$jar" -l 2>/dev/null | grep -Eq "${name}"; then
      echo "== $label: $name (not in this jar)" >> "$out"
      continue
    fi
    echo "== $label: $r" >> "$out"
    # shellcheck disable=SC2086
    java -jar "$jar" $r 2>&1 | grep -E '^(Benchmark|[A-Za-z].*(thrpt|avgt|sample|ss) )|p0\.(50|90|99) |p\(50\.0000\)' >> "$out" || true
  done
done
cat "$out"
echo "report: $out"
