#!/usr/bin/env bash
# Usage-query benchmark: 10 million usage events in the partitioned usage_event table of a
# dedicated PostgreSQL database, rolled up with the billing worker's own statement, then the
# month usage queries of the API timed. The database is dropped at the end.
#
#   bench/usage-query/run.sh            (PGHOST/PGPORT/PGUSER as for psql; EVENTS, BATCH, RUNS optional)
#
# Prints a Markdown section for bench/RESULTS.md.
set -euo pipefail
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-tollgate_bench_usage}
EVENTS=${EVENTS:-10000000}
BATCH=${BATCH:-500000}
RUNS=${RUNS:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

psql -qX -d postgres -c "drop database if exists $DB" -c "create database $DB" >/dev/null
trap 'psql -qX -d postgres -c "drop database if exists $DB" >/dev/null' EXIT
run() { psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
seconds() { date +%s.%N; }

# the schema of the modules that own these tables, in version order
for f in $(ls "$ROOT"/platform/src/main/resources/db/migration/platform/V*.sql \
              "$ROOT"/billing/src/main/resources/db/migration/billing/V*.sql \
           | awk -F/ '{v=$NF; sub(/^V/, "", v); sub(/__.*/, "", v); print v "\t" $0}' | sort -n | cut -f2); do
  run -f "$f" >/dev/null
done

t0=$(seconds)
run -v events="$EVENTS" -f "$HERE/generate.sql" >/dev/null
t1=$(seconds)
# the worker's own statement (one JDBC bind marker: the batch size); it answers events per tenant
roll=$(sed "s/limit ?/limit $BATCH/" "$ROOT/billing/src/main/resources/dev/tollgate/billing/rollup/roll.sql")
case "$roll" in *"limit $BATCH "*) ;; *) echo "roll.sql: bind marker 'limit ?' not found" >&2; exit 1;; esac
rolled_total=0
while :; do
  rolled=$(run -c "$roll" | awk -F'|' '{n += $2} END {print n + 0}')
  rolled_total=$((rolled_total + rolled))
  if [ "$rolled" -lt "$BATCH" ]; then break; fi
done
run -c "vacuum analyze usage_rollup" >/dev/null
t2=$(seconds)

events=$(run -c "select count(*) from usage_event")
partitions=$(run -c "select count(*) from pg_inherits where inhparent = 'usage_event'::regclass")
hourly=$(run -c "select count(*) from usage_rollup where granularity = 'h'")
daily=$(run -c "select count(*) from usage_rollup where granularity = 'd'")
check=$(run -c "select (select sum(billed_usd) from usage_event) = (select sum(billed_usd) from usage_rollup where granularity = 'h')
                   and (select count(*) from usage_event) = (select sum(requests) from usage_rollup where granularity = 'd')")
big=$(run -c "select count(*) from usage_event where tenant_id = md5('tenant0')::uuid and occurred_at >= '2026-03-01T05:00:00Z' and occurred_at < '2026-04-01T04:00:00Z'")
small=$(run -c "select count(*) from usage_event where tenant_id = md5('tenant2')::uuid and occurred_at >= '2026-03-01T05:00:00Z' and occurred_at < '2026-04-01T04:00:00Z'")

# per query: the median of RUNS runs (psql \timing, client round trip included)
time_queries() {
  local tenant=$1 out
  out=$(for _ in $(seq "$RUNS"); do run -v tenant="$tenant" -f "$HERE/query.sql"; done | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  for q in 1 2 3; do
    echo "$out" | awk -v q="$q" 'NR % 3 == (q % 3) {print}' | sort -n | awk '{a[NR]=$1} END {printf "%.1f / %.1f", a[int((NR+1)/2)], a[NR]}'
    if [ "$q" -lt 3 ]; then printf " | "; fi
  done
}
big_t=$(time_queries "$(run -c "select md5('tenant0')::uuid")")
small_t=$(time_queries "$(run -c "select md5('tenant2')::uuid")")

cat <<MD

## Usage query (10 M events) — $(date -u +%Y-%m-%d)

Command: \`bench/usage-query/run.sh\` (EVENTS=$EVENTS, BATCH=$BATCH, RUNS=$RUNS), PostgreSQL $(run -c "show server_version"),
$(nproc) cores shared with other work. Dedicated database \`$DB\`, dropped afterwards.

- $events events in \`usage_event\` ($partitions monthly partitions; 90 days, 100 tenants, the largest with 30 %),
  generated in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s; rolled with the billing worker's statement in batches of $BATCH
  in $(printf '%.0f' "$(echo "$t2 - $t1" | bc)") s → $hourly hourly and $daily daily rollup rows; rollups equal the events: $check.
- Month query (March 2026 in the tenant's zone, hourly rollups), median / max of $RUNS runs in ms:

| tenant | events in the month | usage by day | usage by model | invoice lines (provider, model) |
|---|---|---|---|---|
| largest (30 % of traffic) | $big | $big_t |
| typical | $small | $small_t |
MD
