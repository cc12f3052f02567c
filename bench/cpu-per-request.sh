#!/usr/bin/env bash
# CPU time per request of the gateway, at a fixed moderate open-loop rate (default 200 requests/s
# for 30 s, after a warm-up), JSON and streaming. CPU time per request depends far less than
# latency on what else runs on the machine, so it compares code changes on a busy machine.
# Reads utime+stime (+ reaped children) from /proc of: the gateway JVM, its embedded PostgreSQL
# and Redis (every process whose command line names the run's temp dir, and their descendants),
# and the simulator JVM; prints one JSON line per mode with microseconds of CPU per request
# (requests = answered + failed), the JIT compiler threads' share apart (it fades with warm-up).
#
#   bench/cpu-per-request.sh                         # RPS=200 DURATION=30 WARMUP=20 MODES="json stream"
#   GW_JAVA_OPTS="-Xmx1g"                            # the gateway JVM flags (default: as gateway-bench.sh)
#   GW_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/gw.jfr" bench/cpu-per-request.sh
#   JAR=app/target/tollgate.jar                      # the jar to run (default)
#   JAR_B=/tmp/other.jar GW_JAVA_OPTS_B="..."        # A/B: a second gateway, loaded at the same time
#
# On a machine that other work keeps busy, CPU per request still drifts with the contention (more
# connections and context switches when requests queue), so compare two builds or flag sets side by
# side: with JAR_B and/or GW_JAVA_OPTS_B set, gateway B runs next to gateway A (its own embedded
# PostgreSQL and Redis, the same simulator), both get the same load at the same time, and each
# prints its own line.
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
WORK=$(mktemp -d -t tollgate-cpu.XXXXXX)
. bench/lib.sh
GW_JAVA_OPTS=${GW_JAVA_OPTS:-$GW_DEFAULT_OPTS}
trap 'exit 1' INT TERM

start_simulator

SIDES=A
start_gateway A "$GW_PORT" "$JAR" "$GW_JAVA_OPTS"
PID_A=$GW_PID
if [ -n "${JAR_B:-}${GW_JAVA_OPTS_B:-}" ]; then
  SIDES="A B"
  start_gateway B $((GW_PORT + 10)) "${JAR_B:-$JAR}" "${GW_JAVA_OPTS_B:-$GW_JAVA_OPTS}"
  PID_B=$GW_PID
fi
for side in $SIDES; do
  if [ "$side" = A ]; then port=$GW_PORT; else port=$((GW_PORT + 10)); fi
  await_gateway "$port"
  declare "PORT_$side=$port" "KEY_$side=$(signup "$port")"
done

HZ=$(getconf CLK_TCK)
# CPU ticks of one process (its own, plus its reaped children's)
ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# the embedded PostgreSQL and Redis: processes naming the temp dir, and their descendants, minus the JVMs
db_pids() {
  local roots
  roots=$(pgrep -f "$WORK/$1/" | grep -vx -e "$SIM_PID" -e "$$" || true)
  ps -e -o pid=,ppid= | awk -v roots="$roots" -v skip="$PID_A ${PID_B:-} $SIM_PID" '
    BEGIN { n = split(roots, r, /[ \n]+/); for (i = 1; i <= n; i++) if (r[i] != "") keep[r[i]] = 1
            n = split(skip, s, " "); for (i = 1; i <= n; i++) no[s[i]] = 1 }
    { parent[$1] = $2 }
    END { changed = 1
          while (changed) { changed = 0
            for (p in parent) if (!(p in keep) && (parent[p] in keep) && !(p in no)) { keep[p] = 1; changed = 1 } }
          for (p in keep) print p }'
}
# ticks of the JVM's JIT compiler threads (C1/C2), reported apart: they fade as the code warms up
jit_ticks() { cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre/ { sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'; }
# read and write system calls of one process so far (epoll waits and the like not included)
syscalls() { awk '/^sysc[rw]:/ { t += $2 } END { print t + 0 }' "/proc/$1/io" 2>/dev/null || echo 0; }
db_ticks() { local t=0; for p in $(db_pids "$1"); do t=$((t + $(ticks "$p"))); done; echo $t; }

BODY='{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
SBODY='{"model":"gpt-4o-mini","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
# load SIDE ARGS…: LoadGen against gateway SIDE
load() {
  local side=$1; shift
  local port="PORT_$side" key="KEY_$side"
  loadgen --url "http://127.0.0.1:${!port}/v1/chat/completions" --header "Authorization: Bearer ${!key}" "$@"
}
pid_of() { if [ "$1" = A ]; then echo "$PID_A"; else echo "$PID_B"; fi; }

loads=()
for mode in $MODES; do
  if [ "$mode" = stream ]; then body=$SBODY; flag=--stream; else body=$BODY; flag=; fi
  for side in $SIDES; do
    # shellcheck disable=SC2086
    load "$side" --rps "$RPS" --seconds "$WARMUP" --warmup 0 --body "$body" $flag --label "warm" > /dev/null &
    loads+=($!)
  done
  wait "${loads[@]}"
  loads=()
  declare -A g0 j0 d0 c0
  for side in $SIDES; do
    p=$(pid_of "$side"); g0[$side]=$(ticks "$p"); j0[$side]=$(jit_ticks "$p"); d0[$side]=$(db_ticks "$side"); c0[$side]=$(syscalls "$p")
  done
  s0=$(ticks "$SIM_PID")
  for side in $SIDES; do
    # shellcheck disable=SC2086
    load "$side" --rps "$RPS" --seconds "$DURATION" --warmup 0 --body "$body" $flag --label "$mode" > "$WORK/out-$side" &
    loads+=($!)
  done
  wait "${loads[@]}"
  loads=()
  s1=$(ticks "$SIM_PID")
  for side in $SIDES; do
    p=$(pid_of "$side"); g=$(( $(ticks "$p") - g0[$side] )); j=$(( $(jit_ticks "$p") - j0[$side] )); d=$(( $(db_ticks "$side") - d0[$side] ))
    c=$(( $(syscalls "$p") - c0[$side] ))
    out=$(cat "$WORK/out-$side")
    n=$(echo "$out" | jq '.ok + .errors')
    jq -cn --arg side "$side" --argjson r "$out" --argjson n "$n" --argjson hz "$HZ" \
       --argjson g "$g" --argjson j "$j" --argjson d "$d" --argjson c "$c" --argjson s $((s1 - s0)) --argjson sides "$(echo $SIDES | wc -w)" \
       '{side: $side, mode: $r.label, requests: $n, ok: $r.ok, rps: $r.rps, p50_ms: $r.p50_ms,
         gateway_us: ($g * 1e6 / $hz / $n | round), gateway_jit_us: ($j * 1e6 / $hz / $n | round),
         gateway_no_jit_us: (($g - $j) * 1e6 / $hz / $n | round), pg_redis_us: ($d * 1e6 / $hz / $n | round),
         simulator_us: ($s * 1e6 / $hz / $n / $sides | round), gateway_read_write_syscalls: ($c / $n * 10 | round / 10), gateway_cpu_pct: ($g * 100 / $hz / '"$DURATION"' | round)}'
  done
done
for side in $SIDES; do
  RSS_KB=$(ps -o rss= -p "$(pid_of "$side")" | tr -d ' ')
  echo "{\"side\": \"$side\", \"gateway_rss_mib\": $((RSS_KB / 1024)), \"work\": \"$WORK\"}"
done
