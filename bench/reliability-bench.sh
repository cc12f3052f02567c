#!/usr/bin/env bash
# Reliability and cache benchmark (issue 5), same harness as gateway-bench.sh: the OpenAI simulator
# behind Tollgate in embedded mode, open-loop load from bench/LoadGen.java. Scenarios:
#   gateway-json      plain routing, the baseline
#   cache-hit-json    route with the exact cache: every measured request is a hit (JSON)
#   cache-hit-stream  the same, streamed (replayed SSE)
#   fallback-json     route whose first target fails every call (HTTP 500), served by the second
#                     (circuit breaker disabled, so every request pays the failed attempt)
#   unique-json       plain routing, a different question every request
#   semantic-miss     route with the semantic cache (threshold 1), a question of its own every request
#                     (LoadGen's {q}), so every request is a miss (counted: hits = sent - served upstream):
#                     embedding, search and store on every request, bounded by tollgate.cache.semantic-budget
#   unique-json@MISS_RPS, semantic-miss@MISS_RPS
#                     the last two again at a moderate rate (MISS_RPS, default 50): the semantic-miss
#                     overhead against its target (a miss adds at most 10 ms at P99)
# Writes bench/RELIABILITY.md.
#
#   RPS=100 DURATION=10 bench/reliability-bench.sh
#   PREWARM=45      seconds of load on each path (cache, fallback, semantic) before anything is measured
set -euo pipefail
cd "$(dirname "$0")/.."

RPS=${RPS:-200}
MISS_RPS=${MISS_RPS:-50}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PREWARM=${PREWARM:-45}
SIM_PORT=${SIM_PORT:-18199}
GW_PORT=${GW_PORT:-18180}
JAR=app/target/tollgate.jar
WORK=$(mktemp -d -t tollgate-rbench.XXXXXX)
. bench/lib.sh

[ -f "$JAR" ] || mvn -B -q -pl app -am package -DskipTests

start_simulator
start_gateway gateway "$GW_PORT" "$JAR" "${GW_JAVA_OPTS:-$GW_DEFAULT_OPTS}" \
  TOLLGATE_ROUTING_BREAKER_FAILURES=1000000000 TOLLGATE_ROUTING_BREAKER_FAILURE_RATE=2 TOLLGATE_CACHE_SEMANTIC_WARMUP=true
await_gateway "$GW_PORT"
KEY=$(signup "$GW_PORT")

BODY='{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
SBODY='{"model":"gpt-4o-mini","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Hello, benchmark"}]}'
# {q}: a question of its own per request (LoadGen's word lists); --seed keeps every run's questions apart
QBODY='{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"{q}"}]}'
CACHE='x-tollgate-config: {"targets":[{"provider":"openai","model":"gpt-4o-mini"}],"cache":{"mode":"simple","ttl_seconds":3600}}'
# threshold 1: only an identical question may hit, so every request takes the whole miss path (embedding,
# search, upstream call, store) however close LoadGen's generated questions happen to be in meaning
SEMANTIC='x-tollgate-config: {"targets":[{"provider":"openai","model":"gpt-4o-mini"}],"cache":{"mode":"semantic","ttl_seconds":3600,"threshold":1}}'
FALLBACK='x-tollgate-config: {"targets":[{"provider":"openai","model":"gpt-bench-broken"},{"provider":"openai","model":"gpt-4o-mini"}]}'
AUTH="Authorization: Bearer $KEY"
GW="http://127.0.0.1:$GW_PORT/v1/chat/completions"
load_at() { local rps=$1; shift; loadgen --rps "$rps" --seconds "$DURATION" --warmup "$WARMUP" "$@"; }
load() { load_at "$RPS" "$@"; }
served() { curl -sf "http://127.0.0.1:$SIM_PORT/served" | jq '[.providers.openai[]?.requests] | add // 0'; }

curl -sf -X POST "http://127.0.0.1:$SIM_PORT/faults" -H 'content-type: application/json' \
  -d '{"provider":"openai","model":"gpt-bench-broken","mode":"error","status":500}' > /dev/null

# JIT warm-up of every path before anything is measured
SEED=100
for H in "$CACHE" "$FALLBACK" "$SEMANTIC"; do
  SEED=$((SEED + 1))
  loadgen --rps "$RPS" --seconds 1 --warmup "$PREWARM" --url "$GW" --header "$AUTH" --header "$H" \
    --body "$QBODY" --seed "$SEED" --label warm-up > /dev/null
done
BASE=$(load --url "$GW" --header "$AUTH" --body "$BODY" --label gateway-json)
HIT=$(load --url "$GW" --header "$AUTH" --header "$CACHE" --body "$BODY" --label cache-hit-json)
HIT_SSE=$(load --url "$GW" --header "$AUTH" --header "$CACHE" --body "$SBODY" --stream --label cache-hit-stream)
FALL=$(load --url "$GW" --header "$AUTH" --header "$FALLBACK" --body "$BODY" --label fallback-json)
UNIQUE=$(load --url "$GW" --header "$AUTH" --body "$QBODY" --seed 1 --label unique-json)
SERVED_BEFORE=$(served)
SEM=$(load --url "$GW" --header "$AUTH" --header "$SEMANTIC" --body "$QBODY" --seed 2 --label semantic-miss)
SEM_HITS=$(( RPS * (WARMUP + DURATION) - ($(served) - SERVED_BEFORE) ))
# the moderate-rate pair, with questions of their own again
UNIQUE_M=$(load_at "$MISS_RPS" --url "$GW" --header "$AUTH" --body "$QBODY" --seed 3 --label "unique-json@$MISS_RPS")
LATE_BEFORE=$(metric tollgate_cache_semantic_late_total)
EMB_BEFORE=$(metric tollgate_cache_semantic_embeddings_total)
SERVED_BEFORE=$(served)
SEM_M=$(load_at "$MISS_RPS" --url "$GW" --header "$AUTH" --header "$SEMANTIC" --body "$QBODY" --seed 4 --label "semantic-miss@$MISS_RPS")
SEM_M_HITS=$(( MISS_RPS * (WARMUP + DURATION) - ($(served) - SERVED_BEFORE) ))
LATE_M=$(( $(metric tollgate_cache_semantic_late_total) - ${LATE_BEFORE:-0} ))
EMB_M=$(( $(metric tollgate_cache_semantic_embeddings_total) - ${EMB_BEFORE:-0} ))
RSS_KB=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
PROM=$(curl -sf "http://127.0.0.1:$GW_PORT/prometheus")
# quantile NAME Q: a timer's percentile in ms (Micrometer's, over its last two minutes: mostly the MISS_RPS runs)
quantile() { echo "$PROM" | awk -v m="$1{" -v q="quantile=\"$2\"" 'index($1, m) == 1 && index($1, q) {printf "%.2f", $2 * 1000}'; }
LOOKUP_P50=$(quantile tollgate_cache_semantic_lookup_seconds 0.5)
LOOKUP_P99=$(quantile tollgate_cache_semantic_lookup_seconds 0.99)
EMBED_P50=$(quantile tollgate_cache_semantic_embedding_seconds 0.5)
EMBED_P99=$(quantile tollgate_cache_semantic_embedding_seconds 0.99)
SEARCH_P50=$(quantile tollgate_cache_semantic_search_seconds 0.5)
SEARCH_P99=$(quantile tollgate_cache_semantic_search_seconds 0.99)
LOOKUPS=$(echo "$PROM" | awk '/^tollgate_cache_semantic_lookup_seconds_count/ {print int($2)}')
LATE=$(echo "$PROM" | awk '/^tollgate_cache_semantic_late_total/ {print int($2)}')
FALLBACKS=$(echo "$PROM" | awk '/^tollgate_route_fallbacks_total/ {s += $2} END {print int(s)}')

row() { echo "$1" | jq -r '"| \(.label) | \(.rps) | \(.p50_ms) | \(.p99_ms) | \(.max_ms) | \(.ok) | \(.errors) |"'; }
delta() { jq -n --argjson a "$1" --argjson b "$2" -r "\"| $3 | \\((\$b.p50_ms - \$a.p50_ms) * 1000 | round / 1000) ms | \\((\$b.p99_ms - \$a.p99_ms) * 1000 | round / 1000) ms |\""; }

cat > bench/RELIABILITY.md <<MD
# Reliability and cache benchmark

Command: \`RPS=$RPS DURATION=$DURATION WARMUP=$WARMUP MISS_RPS=$MISS_RPS bench/reliability-bench.sh\` ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores,
load average at the end $(cut -d' ' -f1-3 /proc/loadavg)). Same harness as \`gateway-bench.sh\`: open-loop load, latency
from each request's scheduled start, the OpenAI simulator without added latency, Tollgate in embedded mode.

| run | achieved RPS | P50 ms | P99 ms | max ms | ok | errors |
|---|---|---|---|---|---|---|
$(row "$BASE")
$(row "$HIT")
$(row "$HIT_SSE")
$(row "$FALL")
$(row "$UNIQUE")
$(row "$SEM")
$(row "$UNIQUE_M")
$(row "$SEM_M")

| difference | P50 | P99 |
|---|---|---|
$(delta "$BASE" "$HIT" "exact cache hit vs upstream call (JSON)")
$(delta "$BASE" "$FALL" "fallback after a failed first target vs plain")
$(delta "$UNIQUE" "$SEM" "semantic cache miss vs no cache (unique questions)")
$(delta "$UNIQUE_M" "$SEM_M" "semantic cache miss vs no cache at $MISS_RPS rps (target: P99 at most 10 ms)")

Semantic cache hits among the "semantic-miss" requests (route threshold 1; warm-ups included): $SEM_HITS of $(( RPS * (WARMUP + DURATION) )) at $RPS rps, $SEM_M_HITS of $(( MISS_RPS * (WARMUP + DURATION) )) at $MISS_RPS rps; all others went upstream.
Semantic lookups (embedding all-MiniLM-L6-v2 q + search of the bucket), gateway's own timer, to the end of each
lookup, also of those the request stopped waiting for: $LOOKUPS lookups, P50 $LOOKUP_P50 ms, P99 $LOOKUP_P99 ms (of which one
embedding P50 / P99 $EMBED_P50 / $EMBED_P99 ms, one bucket search $SEARCH_P50 / $SEARCH_P99 ms); lookups that exceeded the
budget (\`tollgate.cache.semantic-budget\`, ${TOLLGATE_CACHE_SEMANTIC_BUDGET:-5ms, the default,} over the whole cache lookup) and went upstream as misses: ${LATE:-0}, of them
$LATE_M in the $MISS_RPS rps run ($EMB_M questions embedded in that run). Fallbacks counted: $FALLBACKS. Gateway RSS after the run: $((RSS_KB / 1024)) MiB.
MD
cat bench/RELIABILITY.md
