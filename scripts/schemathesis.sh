#!/usr/bin/env bash
# Spec-driven attack: schemathesis (from PyPI) against /openapi.json of a running `quan demo`,
# authenticated as each role (and anonymous). Checks: no 5xx, responses conform to the schema
# and content type. Prints the number of requests sent and the failures.
#
#   scripts/schemathesis.sh                  # default: 25 examples per operation and role
#   ST_EXAMPLES=100 scripts/schemathesis.sh  # longer run
#   ST_CHECKS=all scripts/schemathesis.sh    # every schemathesis check (stricter, noisier)
#
# Env: ST_EXAMPLES (max examples per operation, default 25), ST_CHECKS, ST_SEED (default 2026),
# QUAN_BIN (default target/debug/quan, built if missing), ST_VENV (default target/schemathesis-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${ST_EXAMPLES:-25}
CHECKS=${ST_CHECKS:-not_a_server_error,response_schema_conformance,content_type_conformance}
SEED=${ST_SEED:-2026}
VENV=${ST_VENV:-target/schemathesis-venv}
BIN=${QUAN_BIN:-target/debug/quan}

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q schemathesis
fi
[ -x "$BIN" ] || cargo build -q -p quan-cli --bin quan

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
QUAN_LOG=${QUAN_LOG:-error} "$BIN" demo --db "$WORK/demo.db" --listen "127.0.0.1:$PORT" --enterprises 200 --no-web-build >"$WORK/server.out" 2>"$WORK/server.err" &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 1; done
curl -sf "$BASE/healthz" >/dev/null || { echo "quan demo did not start"; cat "$WORK/server.err"; exit 1; }

token() {
  curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"quan-demo\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# Log every role in first: the fuzzed bad logins trip the per-address login throttle.
declare -A TOKENS
for role in admin reviewer auditor enterprise supplier; do TOKENS[$role]=$(token "$role"); done

total=0; failed_roles=()
for role in admin reviewer auditor enterprise supplier anonymous; do
  args=()
  if [ "$role" != anonymous ]; then
    args+=(-H "Authorization: Bearer ${TOKENS[$role]}")
    # Logging out would revoke the token the rest of the run uses.
    args+=(--exclude-path /api/v1/auth/logout)
  fi
  echo "=== schemathesis as $role ==="
  set +e
  "$VENV/bin/schemathesis" run "$BASE/openapi.json" "${args[@]}" \
    --checks "$CHECKS" --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 --no-color \
    --phases examples,coverage,fuzzing --suppress-health-check all --request-timeout 30 \
    --generation-database none --report har --report-har-path "$WORK/$role.har" --continue-on-failure >"$WORK/$role.log" 2>&1
  rc=$?
  set -e
  tail -n 25 "$WORK/$role.log"
  n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['log']['entries']))" "$WORK/$role.har" 2>/dev/null || echo 0)
  fivexx=$(python3 -c "import json,sys; print(sum(1 for e in json.load(open(sys.argv[1]))['log']['entries'] if e['response']['status']>=500))" "$WORK/$role.har" 2>/dev/null || echo '?')
  echo "--- $role: $n requests, $fivexx responses 5xx, schemathesis exit $rc"
  total=$((total + n))
  [ "$rc" = 0 ] || failed_roles+=("$role")
  [ -n "${ST_KEEP:-}" ] && cp "$WORK/$role.log" "$WORK/$role.har" "${ST_KEEP}/" 2>/dev/null || true
done
if grep -q "panicked\|internal error" "$WORK/server.err"; then echo "server log has errors:"; grep -m 20 "panicked\|internal error" "$WORK/server.err"; fi
echo "schemathesis total: $total requests; roles with failures: ${failed_roles[*]:-none}"
[ ${#failed_roles[@]} -eq 0 ]
