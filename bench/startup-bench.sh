#!/usr/bin/env bash
# Start-up benchmark: time from `java -jar app/target/tollgate.jar` to `GET /health` answering UP,
# for a first start in an empty TOLLGATE_HOME (PostgreSQL binaries extracted, initdb, all
# migrations, price table imported in the background) and for a restart on the same home.
#
#   mvn -B -DskipTests package && bench/startup-bench.sh      (RUNS=3 by default)
#
# Writes bench/STARTUP.md. Target (issue #2): health UP within 15 s on the 2-core machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/app/target/tollgate.jar"
RUNS=${RUNS:-3}
PORT=${PORT:-18480}
SIM_PORT=${SIM_PORT:-18499}
WORK=$(mktemp -d)
trap 'pkill -f "tollgate-startup-bench" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# seconds from launch to health UP; the process is stopped (SIGTERM, embedded services with it) afterwards
measure() {
  local home=$1 start end pid
  start=$(date +%s%N)
  TOLLGATE_HOME="$home" MICRONAUT_SERVER_PORT=$PORT TOLLGATE_SIMULATOR_PORT=$SIM_PORT \
    java -Dtollgate-startup-bench -jar "$JAR" >"$home.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '"UP"'; do
    if ! kill -0 $pid 2>/dev/null; then echo "tollgate exited; see $home.log" >&2; cat "$home.log" >&2; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null || true
  awk -v ns=$((end - start)) 'BEGIN {printf "%.1f", ns / 1e9}'
}

first=(); again=()
for i in $(seq "$RUNS"); do
  first+=("$(measure "$WORK/home$i")")
  again+=("$(measure "$WORK/home$i")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
worst() { printf '%s\n' "$@" | sort -n | tail -1; }

cat > "$ROOT/bench/STARTUP.md" <<MD
# Start-up time

\`RUNS=$RUNS bench/startup-bench.sh\` on $(nproc) cores, $(date -u +%Y-%m-%d), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg).
Time from \`java -jar app/target/tollgate.jar\` (embedded mode, no configuration) to \`GET /health\` = UP.

| start | median | worst | runs (s) |
|---|---|---|---|
| first start, empty \`TOLLGATE_HOME\` | $(median "${first[@]}") s | $(worst "${first[@]}") s | ${first[*]} |
| restart, same home | $(median "${again[@]}") s | $(worst "${again[@]}") s | ${again[*]} |

Target: UP within 15 s. What makes it: PostgreSQL (binary extraction and initdb on a first start),
Redis and the simulators start side by side while the Micronaut context is built; the context
waits for PostgreSQL only where the data source is configured; the bundled price table is
imported in the background (a quote asked for meanwhile waits for it).
MD
cat "$ROOT/bench/STARTUP.md"
