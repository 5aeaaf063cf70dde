#!/usr/bin/env bash
# Runs the JMH suite with short settings (the machine has 2 cores: compare ratios within one run) and keeps the
# report under ipc-bench/results/. Usage: ipc-bench/bench.sh [JMH regexp]   (default: every benchmark)
# Benchmarks of idle waiters (CPU time of a blocked process) run with 10 s iterations: CPU time is counted in
# 10 ms ticks. PoolLatencyBenchmark.afterPause runs 15 single shots, each after a 1 s pause.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests
mkdir -p ipc-bench/results
stamp=$(date -u +%Y-%m-%dT%H%M)
out=ipc-bench/results/$stamp
{ java -version 2>&1 | head -1; echo "cores: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$out.txt"
pattern="${1:-.*}"
java -jar ipc-bench/target/benchmarks.jar "^(?!.*(?:Idle|afterPause)).*(?:$pattern)" -f 1 -wi 2 -i 3 -w 1s -r 1s \
  -rf json -rff "$out.json" >> "$out.txt" 2>&1 || true
# one call after each 1 s pause (single shot): 15 of them for a median
if java -jar ipc-bench/target/benchmarks.jar -l "^(?=.*afterPause).*(?:$pattern)" | grep -q afterPause; then
  java -jar ipc-bench/target/benchmarks.jar "^(?=.*afterPause).*(?:$pattern)" -f 1 -wi 3 -i 15 \
    -rf json -rff "$out-pause.json" >> "$out.txt" 2>&1 || true
fi
if java -jar ipc-bench/target/benchmarks.jar -l "^(?=.*Idle).*(?:$pattern)" | grep -q Idle; then
  java -jar ipc-bench/target/benchmarks.jar "^(?=.*Idle).*(?:$pattern)" -f 1 -wi 1 -i 2 -w 2s -r 10s \
    -rf json -rff "$out-idle.json" >> "$out.txt" 2>&1 || true
fi
grep -E '^[A-Za-z].*(thrpt|avgt|sample|ss) ' "$out.txt" || true
echo "report: $out.txt"
