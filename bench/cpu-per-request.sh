#!/usr/bin/env bash
# CPU time per request of the gateway, at a fixed moderate open-loop rate (default 200 requests/s
# for 30 s, after a warm-up), JSON and streaming. Unlike latency, CPU time per request barely
# depends on what else runs on the machine, so it compares code changes on a busy machine.
# Reads utime+stime (+ reaped children) from /proc of: the gateway JVM, its embedded PostgreSQL
# and Redis (every process whose command line names the run's temp dir, and their descendants),
# and the simulator JVM; prints one JSON line per mode with microseconds of CPU per request.
#
#   bench/cpu-per-request.sh                         # RPS=200 DURATION=30 WARMUP=20 MODES="json stream"
#   GW_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/gw.jfr" bench/cpu-per-request.sh
#   JAR=app/target/tollgate.jar                      # the jar to run (default)
#
# Needs Java 17, curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

RPS=${RPS:-200}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-20}
MODES=${MODES:-json stream}
SIM_PORT=${SIM_PORT:-18199}
GW_PORT=${GW_PORT:-18180}
JAR=${JAR:-app/target/tollgate.jar}
GW_JAVA_OPTS=${GW_JAVA_OPTS:--Xmx1g}
WORK=$(mktemp -d -t tollgate-cpu.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java -Xmx512m -jar "$JAR" simulator --port "$SIM_PORT" --threads 512 > "$WORK/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=($SIM_PID)

# shellcheck disable=SC2086
TOLLGATE_HOME="$WORK/home" MICRONAUT_SERVER_PORT="$GW_PORT" TOLLGATE_SIMULATOR_PORT=$((SIM_PORT + 1)) \
TOLLGATE_PROVIDERS_OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/openai/v1" TOLLGATE_PROVIDERS_OPENAI_API_KEY=bench \
TOLLGATE_BILLING_ENABLED=false TOLLGATE_PORTAL_ENABLED=false \
  java $GW_JAVA_OPTS -jar "$JAR" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)

for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$GW_PORT/health" > /dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$GW_PORT/health" > /dev/null || { echo "gateway did not start, see $WORK/gateway.log" >&2; exit 1; }

KEY=$(curl -sf "http://127.0.0.1:$GW_PORT/api/v1/signup" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"a long bench passphrase","organization":"Bench"}' | jq -r .api_key)

HZ=$(getconf CLK_TCK)
# CPU ticks of one process (its own, plus its reaped children's)
ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the embedded PostgreSQL and Redis: processes naming the temp dir, and their descendants, minus the JVMs
db_pids() {
  local roots
  roots=$(pgrep -f "$WORK" | grep -vx -e "$GW_PID" -e "$SIM_PID" -e "$$" || true)
  ps -e -o pid=,ppid= | awk -v roots="$roots" -v skip="$GW_PID $SIM_PID" '
    BEGIN { n = split(roots, r, /[ \n]+/); for (i = 1; i <= n; i++) if (r[i] != "") keep[r[i]] = 1
            split(skip, s, " "); for (i in s) no[s[i]] = 1 }
    { parent[$1] = $2 }
    END { changed = 1
          while (changed) { changed = 0
            for (p in parent) if (!(p in keep) && (parent[p] in keep) && !(p in no)) { keep[p] = 1; changed = 1 } }
          for (p in keep) print p }'
}
# ticks of the JVM's JIT compiler threads (C1/C2), reported apart: they fade as the code warms up
jit_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre/ { sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'; }
db_ticks() { local t=0; for p in $(db_pids); do t=$((t + $(ticks "$p"))); done; echo $t; }

BODY='{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
SBODY='{"model":"gpt-4o-mini","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
load() { java bench/LoadGen.java --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --header "Authorization: Bearer $KEY" "$@"; }

for mode in $MODES; do
  if [ "$mode" = stream ]; then body=$SBODY; flag=--stream; else body=$BODY; flag=; fi
  # shellcheck disable=SC2086
  load --rps "$RPS" --seconds "$WARMUP" --warmup 0 --body "$body" $flag --label "warm-$mode" > /dev/null
  g0=$(ticks "$GW_PID"); j0=$(jit_ticks "$GW_PID"); d0=$(db_ticks); s0=$(ticks "$SIM_PID")
  # shellcheck disable=SC2086
  out=$(load --rps "$RPS" --seconds "$DURATION" --warmup 0 --body "$body" $flag --label "$mode")
  g1=$(ticks "$GW_PID"); j1=$(jit_ticks "$GW_PID"); d1=$(db_ticks); s1=$(ticks "$SIM_PID")
  n=$(echo "$out" | jq '.ok + .errors')
  jq -cn --argjson r "$out" --argjson n "$n" --argjson hz "$HZ" \
     --argjson g $((g1 - g0)) --argjson j $((j1 - j0)) --argjson d $((d1 - d0)) --argjson s $((s1 - s0)) \
     '{mode: $r.label, requests: $n, ok: $r.ok, rps: $r.rps, p50_ms: $r.p50_ms,
       gateway_us: ($g * 1e6 / $hz / $n | round), gateway_jit_us: ($j * 1e6 / $hz / $n | round),
       gateway_no_jit_us: (($g - $j) * 1e6 / $hz / $n | round), pg_redis_us: ($d * 1e6 / $hz / $n | round),
       simulator_us: ($s * 1e6 / $hz / $n | round), gateway_cpu_pct: ($g * 100 / $hz / '"$DURATION"' | round)}'
done
RSS_KB=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
echo "{\"gateway_rss_mib\": $((RSS_KB / 1024)), \"work\": \"$WORK\"}"
