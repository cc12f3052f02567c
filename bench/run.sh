#!/usr/bin/env bash
# Gateway overhead benchmark: the upstream simulator called directly, then through Tollgate with
# auth, limits and metering on, both at a fixed open-loop rate, JSON and streaming. Writes
# bench/RESULTS.md. Needs the local PostgreSQL and Redis (as .ci/run starts them), Java 17, python3.
#
#   bench/run.sh [RPS] [SECONDS]        defaults: 500 requests/s for 20 s after a 5 s warm-up
set -euo pipefail
cd "$(dirname "$0")/.."
RPS=${1:-500}
SECONDS_PER_RUN=${2:-20}
WARMUP=5
JAR=app/target/tollgate.jar
PGURL=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
SIM_PORT=18099
GW_PORT=18080
OUT=bench/out
mkdir -p "$OUT"

[ -f "$JAR" ] || mvn -B -q -DskipTests package

DB="tg_bench_$(date +%s)"
psql "$PGURL/postgres" -qc "create database $DB"
cleanup() {
  [ -n "${GW_PID:-}" ] && kill "$GW_PID" 2>/dev/null || true
  [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null || true
  sleep 2
  psql "$PGURL/postgres" -qc "drop database if exists $DB with (force)" || true
}
trap cleanup EXIT

java -Xmx512m -jar "$JAR" simulator --port $SIM_PORT > "$OUT/simulator.log" 2>&1 &
SIM_PID=$!

HOME_DIR=$(mktemp -d)
env MICRONAUT_SERVER_PORT=$GW_PORT TOLLGATE_HOME="$HOME_DIR" \
    DATASOURCES_DEFAULT_URL="jdbc:postgresql://127.0.0.1:5432/$DB" DATASOURCES_DEFAULT_USERNAME=postgres \
    REDIS_URI=redis://127.0.0.1:6379 TOLLGATE_REDIS_PREFIX="bench:$DB:" \
    TOLLGATE_PROVIDERS_OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/openai/v1" TOLLGATE_PROVIDERS_OPENAI_API_KEY=sk-bench \
    TOLLGATE_BILLING_ENABLED=false TOLLGATE_PORTAL_ENABLED=false \
    java -Xmx1g -jar "$JAR" > "$OUT/gateway.log" 2>&1 &
GW_PID=$!

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$GW_PORT/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$SIM_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done

SIGNUP=$(curl -sf "http://127.0.0.1:$GW_PORT/api/v1/signup" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password","organization":"Bench"}')
TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$SIGNUP")
PROJECT=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["project_id"])' "$SIGNUP")
# limits high enough never to refuse, so every request runs the Redis limit scripts and is admitted
KEY=$(curl -sf "http://127.0.0.1:$GW_PORT/api/v1/keys" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"bench","project_id":"'"$PROJECT"'","limits":{"rpm":10000000,"tpm":1000000000,"tokens_per_day":100000000000}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

BODY='{"model":"gpt-4o-mini","max_tokens":64,"messages":[{"role":"user","content":"Give me a short greeting."}]}'
SBODY='{"model":"gpt-4o-mini","max_tokens":64,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Give me a short greeting."}]}'
load() {  # label url body [headers...]
  local label=$1 url=$2 body=$3; shift 3
  java bench/LoadGen.java --url "$url" --rps "$RPS" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --label "$label" --body "$body" "$@" | tee -a "$OUT/results.jsonl"
}
: > "$OUT/results.jsonl"
load direct-json "http://127.0.0.1:$SIM_PORT/openai/v1/chat/completions" "$BODY" --header "Authorization: Bearer sk-bench"
load direct-stream "http://127.0.0.1:$SIM_PORT/openai/v1/chat/completions" "$SBODY" --header "Authorization: Bearer sk-bench"
curl -sf -X DELETE "http://127.0.0.1:$SIM_PORT/served" >/dev/null
load tollgate-json "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$BODY" --header "Authorization: Bearer $KEY"
load tollgate-stream "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$SBODY" --header "Authorization: Bearer $KEY"

RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status")
sleep 3   # let the meter's journal reach PostgreSQL
SERVED=$(curl -sf "http://127.0.0.1:$SIM_PORT/served" | python3 -c '
import json,sys
d=json.load(sys.stdin)["providers"]
print(sum(m["requests"] for p in d.values() for m in p.values()))')
METERED=$(psql "$PGURL/$DB" -Atc "select count(*) from usage_event where status = 200")

python3 - "$OUT/results.jsonl" "$RPS" "$SECONDS_PER_RUN" "$SERVED" "$METERED" "$RSS_KB" <<'PY' > bench/RESULTS.md
import json, sys, platform, os, subprocess, datetime
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line); rows[r["label"]] = r
rps, secs, served, metered, rss = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
print("# Benchmark results\n")
print(f"Command: `bench/run.sh {rps} {secs}` — {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {cpu} cores, load generator, simulator,")
print("Tollgate, PostgreSQL and Redis all on this one machine.\n")
print("## Gateway overhead (issue 4)\n")
print(f"Open-loop load at {rps} requests/s for {secs} s after a 5 s warm-up; latency from each request's scheduled")
print("start (no coordinated omission). Tollgate runs with API-key auth, Redis rate limits (RPM, TPM, daily tokens) and")
print("usage metering on (billing worker and portal off in that process). Upstream: the OpenAI simulator, no added latency.\n")
print("| scenario | ok | errors | achieved rps | p50 ms | p90 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|---|---|")
for k in ["direct-json", "tollgate-json", "direct-stream", "tollgate-stream"]:
    r = rows.get(k)
    if r: print(f"| {k} | {r['ok']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.2f} |")
print("\n| overhead (Tollgate − direct) | p50 ms | p99 ms | target |")
print("|---|---|---|---|")
for kind in ["json", "stream"]:
    d, t = rows.get("direct-" + kind), rows.get("tollgate-" + kind)
    if d and t:
        print(f"| {kind} | {t['p50_ms'] - d['p50_ms']:.2f} | {t['p99_ms'] - d['p99_ms']:.2f} | p50 ≤ 1, p99 ≤ 3 |")
print(f"\nMetering: {metered} usage events with status 200 for {served} requests the simulator served through Tollgate"
      f" ({'equal: none lost, none doubled' if served == metered else 'MISMATCH'}).\n")
print(f"Gateway resident memory (RSS) at the end of the run: {rss / 1024:.0f} MiB (-Xmx1g).")
PY
cat bench/RESULTS.md
