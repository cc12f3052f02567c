# Shared by the gateway benchmarks (sourced, not run): the simulator as its own process, gateways in
# embedded mode calling it as their OpenAI provider, waiting for health, a signed-up key. The caller
# sets WORK (a temp dir), SIM_PORT and JAR; everything started here is stopped when the script exits.
PIDS=()
# the gateway's JVM flags in every benchmark: the parallel collector with a fixed heap spends less CPU per
# request than G1 on two shared cores (bench/CPU.md)
GW_DEFAULT_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC"
# PIN=1: the gateway (with its embedded PostgreSQL and Redis, which inherit its CPU set) on CPU 1, the
# simulator and the load generator on CPU 0, so that the gateway's tail is its own, not the others'
if [ "${PIN:-0}" = 1 ]; then
  GW_CPUS=(taskset -c 1)
  LOAD_CPUS=(taskset -c 0)
else
  GW_CPUS=()
  LOAD_CPUS=()
fi
# stops everything started here and waits (up to 30 s each) until it is gone: a gateway stops its embedded
# PostgreSQL and Redis last, and the next script's gateway must find their ports free
cleanup() {
  local p i
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for i in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
}

# loadgen ARGS…: bench/LoadGen.java, on the load generator's CPU when PIN=1
loadgen() { "${LOAD_CPUS[@]}" java bench/LoadGen.java "$@"; }

# metric NAME: the sum of the gateway's (GW_PORT) Prometheus samples whose name starts with NAME, as an integer
metric() { curl -sf "http://127.0.0.1:$GW_PORT/prometheus" | awk -v m="$1" 'index($1, m) == 1 {s += $2} END {print int(s)}'; }
trap cleanup EXIT

# starts the OpenAI/Anthropic/Gemini simulator on SIM_PORT; sets SIM_PID
start_simulator() {
  "${LOAD_CPUS[@]}" java -Xmx512m -jar "$JAR" simulator --port "$SIM_PORT" --threads 512 > "$WORK/simulator.log" 2>&1 &
  SIM_PID=$!
  PIDS+=($SIM_PID)
}

# start_gateway NAME PORT JAR "JVM FLAGS" [VAR=value ...]: a gateway-only Tollgate (billing and portal
# off) with its own embedded PostgreSQL and Redis under $WORK/NAME; extra settings as VAR=value; sets GW_PID
start_gateway() {
  local name=$1 port=$2 jar=$3 opts=$4
  shift 4
  # shellcheck disable=SC2086
  env TOLLGATE_HOME="$WORK/$name/home" MICRONAUT_SERVER_PORT="$port" TOLLGATE_SIMULATOR_PORT=$((port + 1)) \
    TOLLGATE_PROVIDERS_OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/openai/v1" TOLLGATE_PROVIDERS_OPENAI_API_KEY=bench \
    TOLLGATE_BILLING_ENABLED=false TOLLGATE_PORTAL_ENABLED=false "$@" \
    "${GW_CPUS[@]}" java $opts -jar "$jar" > "$WORK/gateway-$name.log" 2>&1 &
  GW_PID=$!
  PIDS+=($GW_PID)
}

# await_gateway PORT: waits up to 4 minutes for /health, else stops the script
await_gateway() {
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$1/health" > /dev/null 2>&1 && return 0
    sleep 1
  done
  echo "gateway on $1 did not start, see $WORK" >&2
  exit 1
}

# signup PORT: signs up a bench tenant and prints its first API key
signup() {
  curl -sf "http://127.0.0.1:$1/api/v1/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"a long bench passphrase","organization":"Bench"}' | jq -r .api_key
}
