#!/usr/bin/env bash
# Gateway overhead benchmark: in one run, the OpenAI simulator called directly and through
# Tollgate (API-key auth, Redis limits and durable metering all on), JSON and streaming, at a
# fixed open-loop rate. Writes bench/RESULTS.md with RPS, P50/P99 of both, the overhead, the
# gateway's RSS and the metered-vs-served event count.
#
#   bench/gateway-bench.sh            # RPS=500 SECONDS=20 WARMUP=5
#   RPS=200 SECONDS=10 bench/gateway-bench.sh
#   GW_JAVA_OPTS="-Xmx1g" bench/gateway-bench.sh   # the gateway's JVM flags (default: see below)
#   PIN=1           the gateway (and its PostgreSQL and Redis) on CPU 1, simulator and load generator on CPU 0
#   PREWARM=30      seconds of unmeasured load through the gateway, JSON then streaming, before any
#                   measured run: on two cores the JIT compilers compete with the collector for the first
#                   ~20 s of load (young pauses of 40-100 ms instead of 2 ms), which is warm-up, not overhead
#
# The gateway runs with the parallel collector and a fixed 1 GiB heap: on 2 shared cores it spends
# less CPU per request than G1 (bench/CPU.md). CPU time per request: bench/cpu-per-request.sh.
#
# Needs Java 17, curl and jq. Uses the embedded PostgreSQL and Redis (data in a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

RPS=${RPS:-500}
DURATION=${SECONDS_TO_RUN:-${DURATION:-20}}
WARMUP=${WARMUP:-5}
PREWARM=${PREWARM:-30}
SIM_PORT=${SIM_PORT:-18099}
GW_PORT=${GW_PORT:-18080}
JAR=app/target/tollgate.jar
WORK=$(mktemp -d -t tollgate-bench.XXXXXX)
. bench/lib.sh
GW_JAVA_OPTS=${GW_JAVA_OPTS:-$GW_DEFAULT_OPTS}

[ -f "$JAR" ] || mvn -B -q -pl app -am package -DskipTests

start_simulator
start_gateway gateway "$GW_PORT" "$JAR" "$GW_JAVA_OPTS"
await_gateway "$GW_PORT"
KEY=$(signup "$GW_PORT")

BODY='{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
SBODY='{"model":"gpt-4o-mini","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
load() { loadgen --rps "$RPS" --seconds "$DURATION" --warmup "$WARMUP" "$@"; }

served() { curl -sf "http://127.0.0.1:$SIM_PORT/served" | jq '[.providers.openai[]?.requests] | add // 0'; }
# what the simulator served during the gateway runs (warm-ups included) is counted apart from the direct runs
GW_SERVED=0
through_gateway() { local before; before=$(served); load "$@"; GW_SERVED=$((GW_SERVED + $(served) - before)); }
through_gateway --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --header "Authorization: Bearer $KEY" --body "$BODY" --label prewarm-json \
  --rps "$RPS" --seconds 1 --warmup "$PREWARM" > /dev/null
through_gateway --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --header "Authorization: Bearer $KEY" --body "$SBODY" --label prewarm-stream \
  --rps "$RPS" --seconds 1 --warmup "$PREWARM" > /dev/null
DIRECT_JSON=$(load --url "http://127.0.0.1:$SIM_PORT/openai/v1/chat/completions" --header "Authorization: Bearer bench" --body "$BODY" --label direct-json)
through_gateway --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --header "Authorization: Bearer $KEY" --body "$BODY" --label gateway-json > "$WORK/gw-json"
GW_JSON=$(cat "$WORK/gw-json")
DIRECT_SSE=$(load --url "http://127.0.0.1:$SIM_PORT/openai/v1/chat/completions" --header "Authorization: Bearer bench" --body "$SBODY" --stream --label direct-stream)
through_gateway --url "http://127.0.0.1:$GW_PORT/v1/chat/completions" --header "Authorization: Bearer $KEY" --body "$SBODY" --stream --label gateway-stream > "$WORK/gw-sse"
GW_SSE=$(cat "$WORK/gw-sse")
RSS_KB=$(ps -o rss= -p "$GW_PID" | tr -d ' ')

# every request the gateway sent upstream must be metered; wait for the journal to drain
METERED=0
for _ in $(seq 1 60); do
  # pending first: a batch inserted between the two reads must not be missed by the count
  PENDING=$(metric tollgate_meter_pending)
  METERED=$(metric tollgate_meter_inserted_total)
  [ "${PENDING:-1}" = "0" ] && break
  sleep 1
done
GW_SENT=$(( 2 * RPS * (WARMUP + DURATION) + 2 * RPS * (PREWARM + 1) ))

row() { echo "$1" | jq -r '"| \(.label) | \(.rps) | \(.p50_ms) | \(.p99_ms) | \(.max_ms) | \(.ok) | \(.errors) |"'; }
diff() { jq -n --argjson a "$1" --argjson b "$2" -r "\"| $3 | \\((\$b.p50_ms - \$a.p50_ms) * 1000 | round / 1000) ms | \\((\$b.p99_ms - \$a.p99_ms) * 1000 | round / 1000) ms |\""; }

cat > bench/RESULTS.md <<MD
# Gateway benchmark

Command: \`RPS=$RPS DURATION=$DURATION WARMUP=$WARMUP PREWARM=$PREWARM PIN=${PIN:-0} bench/gateway-bench.sh\` ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores,
$(java -version 2>&1 | head -1)). Open-loop load (\`bench/LoadGen.java\`, latency from each request's scheduled start
to the last byte of its answer, 64 kept-alive connections); before the measured runs, $PREWARM s of JSON and
$PREWARM s of streaming load through the gateway (JIT warm-up);
upstream: the OpenAI simulator with no added latency; gateway: \`app/target/tollgate.jar\` in embedded mode
(PostgreSQL, Redis), API-key auth, Redis limit check and settlement, usage journal and PostgreSQL metering on;
gateway JVM flags: \`$GW_JAVA_OPTS\`$([ "${PIN:-0}" = 1 ] && echo "; pinned: gateway, its PostgreSQL and Redis on CPU 1, simulator and load generator on CPU 0"). CPU time per request and what changed it: [\`CPU.md\`](CPU.md).

| run | achieved RPS | P50 ms | P99 ms | max ms | ok | errors |
|---|---|---|---|---|---|---|
$(row "$DIRECT_JSON")
$(row "$GW_JSON")
$(row "$DIRECT_SSE")
$(row "$GW_SSE")

| overhead (gateway − direct) | P50 | P99 |
|---|---|---|
$(diff "$DIRECT_JSON" "$GW_JSON" JSON)
$(diff "$DIRECT_SSE" "$GW_SSE" streaming)

Gateway RSS after the run: $((RSS_KB / 1024)) MiB.

Metering (gateway runs, warm-ups included): requests sent = $GW_SENT; usage events inserted into PostgreSQL = $METERED;
requests the simulator served while only the gateway was calling it = $GW_SERVED.
MD
cat bench/RESULTS.md
