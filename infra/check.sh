#!/usr/bin/env bash
# Static checks of the deployment files, for CI and for people:
#   infra/check.sh              check infra/terraform, the Dockerfile and the container health check
#   infra/check.sh --self-test  prove the checks fail: run them on the broken fixtures under
#                               infra/testdata and expect every listed problem, then run the real check
#
# Terraform files are parsed with @cdktf/hcl2json (HashiCorp's HCL parser as WebAssembly), installed
# with the machine's npm into infra/.tools on first use. Nothing here needs AWS credentials or Docker.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
tools="$here/.tools"
hcl2json_version="0.21.0"
hcl2json="$tools/node_modules/@cdktf/hcl2json"

ensure_tools() {
  command -v node >/dev/null || { echo "infra check: node is required" >&2; exit 2; }
  if [ ! -f "$hcl2json/package.json" ] || ! grep -q "\"version\": \"$hcl2json_version\"" "$hcl2json/package.json"; then
    echo "infra check: installing @cdktf/hcl2json@$hcl2json_version into infra/.tools"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@cdktf/hcl2json@$hcl2json_version" >&2
  fi
}

# check [fixture dir]: runs check.js on the repository, or on a fixture laid out like it.
check() {
  local args=(--hcl2json "$hcl2json")
  if [ -z "${1:-}" ]; then
    args+=(--terraform "$repo/infra/terraform" --dockerfile "$repo/Dockerfile" --dockerignore "$repo/.dockerignore")
    # app/pom.xml names the jar; without it (a tree without the app module) the path is not checked.
    if [ -f "$repo/app/pom.xml" ]; then args+=(--app-pom "$repo/app/pom.xml"); fi
  else
    local base="$1"
    if [ -d "$base/infra/terraform" ]; then args+=(--terraform "$base/infra/terraform"); fi
    if [ -f "$base/Dockerfile" ]; then args+=(--dockerfile "$base/Dockerfile"); fi
    if [ -f "$base/.dockerignore" ]; then args+=(--dockerignore "$base/.dockerignore"); fi
    if [ -f "$base/app/pom.xml" ]; then args+=(--app-pom "$base/app/pom.xml"); fi
  fi
  (cd "$repo" && node "$here/checker/check.js" "${args[@]}")
}

# The image's health check script against a real HTTP server on loopback: healthy when /health
# answers 200, unhealthy on 404 and when nothing listens; HEALTHCHECK_PATH picks another path.
check_healthcheck_script() {
  local script="$here/docker/healthcheck.sh" dir port pid rc=0
  if ! command -v python3 >/dev/null; then
    echo "healthcheck: skipped (python3, which serves the test page, is missing)"
    return 0
  fi
  dir="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  (cd "$dir" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  pid=$!
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  echo ok >"$dir/health"
  if ! HEALTHCHECK_PORT="$port" bash "$script"; then echo "PROBLEM healthcheck.sh: reports unhealthy although /health answers 200"; rc=1; fi
  rm "$dir/health"
  if HEALTHCHECK_PORT="$port" bash "$script"; then echo "PROBLEM healthcheck.sh: reports healthy although /health answers 404"; rc=1; fi
  mkdir "$dir/health" && echo ok >"$dir/health/liveness"
  if ! HEALTHCHECK_PORT="$port" HEALTHCHECK_PATH=/health/liveness bash "$script"; then echo "PROBLEM healthcheck.sh: ignores HEALTHCHECK_PATH"; rc=1; fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  if HEALTHCHECK_PORT="$port" bash "$script"; then echo "PROBLEM healthcheck.sh: reports healthy although nothing listens"; rc=1; fi
  rm -rf "$dir"
  [ "$rc" = 0 ] && echo "healthcheck: healthy on 200, unhealthy on 404 and when down, HEALTHCHECK_PATH honoured"
  return "$rc"
}

terraform_fmt() {
  export TF_CLI_CONFIG_FILE=/dev/null
  if command -v terraform >/dev/null; then
    if ! terraform fmt -check -recursive "$repo/infra/terraform" >/dev/null; then
      echo "PROBLEM infra/terraform: not in canonical format (run: terraform fmt -recursive infra/terraform)"
      terraform fmt -check -recursive "$repo/infra/terraform" || true
      return 1
    fi
    echo "terraform fmt: canonical"
  else
    echo "terraform fmt: skipped (no terraform binary on this machine; the parse check above still ran)"
  fi
}

self_test() {
  local passed=0 failed=0 fixture name out status expected line
  for fixture in "$here"/testdata/*/; do
    name="$(basename "$fixture")"
    set +e
    out="$(check "$fixture" 2>&1)"
    status=$?
    set -e
    expected="$fixture/expected.txt"
    if [ "$status" != 1 ]; then
      echo "FAIL $name: expected the check to find problems (exit 1), got exit $status"
      printf '%s\n' "$out" | sed 's/^/    /'
      failed=$((failed + 1))
      continue
    fi
    local missing=0
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "$line" ] && continue
      case "$line" in \#*) continue ;; esac
      if ! grep -qF -- "$line" <<<"$out"; then
        echo "FAIL $name: no line containing: $line"
        missing=1
      fi
    done <"$expected"
    if [ "$missing" = 1 ]; then
      printf '%s\n' "$out" | sed 's/^/    /'
      failed=$((failed + 1))
    else
      echo "ok   $name ($(grep -c '^PROBLEM' <<<"$out") problems found, all expected ones among them)"
      passed=$((passed + 1))
    fi
  done
  if check >/dev/null 2>&1; then
    echo "ok   repository passes"
    passed=$((passed + 1))
  else
    echo "FAIL repository does not pass (run infra/check.sh)"
    failed=$((failed + 1))
  fi
  echo "${passed} passed, ${failed} failed"
  [ "$failed" = 0 ]
}

ensure_tools
case "${1:-}" in
  --self-test) self_test ;;
  "")
    rc=0
    check || rc=1
    check_healthcheck_script || rc=1
    terraform_fmt || rc=1
    exit "$rc"
    ;;
  *) echo "usage: infra/check.sh [--self-test]" >&2; exit 2 ;;
esac
