#!/usr/bin/env bash
# All tests: Rust unit, property and integration tests (SQLite, and PostgreSQL via DATABASE_URL),
# web unit tests (Vitest), and the browser story in headless Chromium against a real demo server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Each phase says how long the one before it took, so CI's time can be read per phase.
phase_start=$SECONDS
phase() {
  [ -z "${phase_name:-}" ] || echo "   ($phase_name took $((SECONDS - phase_start)) s)"
  phase_name=$1 phase_start=$SECONDS
  echo "== $1"
}

phase "Format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

phase "Rust tests (DATABASE_URL=$DATABASE_URL)"
cargo test --workspace --locked

phase "Web unit tests and build"
( cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test && npm run build )

phase "Browser end-to-end (headless Chromium; exports read back by openpyxl)"
venv=target/export-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import openpyxl' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openpyxl
fi
port=$(( 20000 + RANDOM % 20000 ))
db=$(mktemp -d)/e2e.db
./target/debug/quan demo --db "$db" --listen "127.0.0.1:$port" --enterprises 300 --no-web-build --web-dir web/dist >"$(dirname "$db")/demo.log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$(dirname "$db")/demo.log"; exit 1; }
( cd web && QUAN_URL="http://127.0.0.1:$port" QUAN_PY="$PWD/../$venv/bin/python" npm run e2e )

phase "Exports read back by an independent reader (openpyxl, csv)"
"$venv/bin/python" scripts/check_exports.py "http://127.0.0.1:$port"
kill $demo 2>/dev/null || true

phase "Spec-driven attack (schemathesis against /openapi.json, every role)"
bash scripts/schemathesis.sh
phase "done"
echo "== all tests passed in $SECONDS s"
