#!/usr/bin/env bash
# Runs the JMH suite with short settings (the machine has 2 cores: compare ratios within one run) and keeps the
# report under ipc-bench/results/. Usage: ipc-bench/bench.sh [JMH regexp ...]  (default: every benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests
mkdir -p ipc-bench/results
stamp=$(date -u +%Y-%m-%dT%H%M)
out=ipc-bench/results/$stamp
java -version 2>&1 | head -1 > "$out.txt"
echo "cores: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out.txt"
java -jar ipc-bench/target/benchmarks.jar "${@:-.*}" -f 1 -wi 2 -i 3 -w 1s -r 1s \
  -rf json -rff "$out.json" 2>&1 | tee -a "$out.txt" | grep -E '^[A-Za-z].*(thrpt|avgt|sample|ss) ' || true
echo "report: $out.txt"
