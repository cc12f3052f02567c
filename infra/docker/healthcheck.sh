#!/usr/bin/env bash
# Container health check: exits 0 when GET $HEALTHCHECK_PATH (default /health) on the local
# server answers 200, else 1. Speaks HTTP through bash's /dev/tcp so the runtime image needs
# neither curl nor wget.
#
# /health includes the PostgreSQL and Redis indicators. An orchestrator that restarts unhealthy
# containers (ECS) should probe /health/liveness instead, so that an outage of Redis or PostgreSQL
# takes tasks out of the load balancer (which probes /health) without restarting all of them.
set -u
port="${HEALTHCHECK_PORT:-${MICRONAUT_SERVER_PORT:-8080}}"
path="${HEALTHCHECK_PATH:-/health}"
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
