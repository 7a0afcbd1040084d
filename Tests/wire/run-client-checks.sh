#!/usr/bin/env bash
# Real clients against `kafkalab serve`: kcat (Debian), kafka-python 3.0.12 and confluent-kafka 2.16.1 (PyPI), each
# through its check suite in ../shared/clients. Installs what is missing (the venv is cached between runs), starts a
# 3-broker server on free ports, runs the suites, and stops the server. Exit 0 only if every check passed.
#
# compression_check (beside this script) produces with gzip, snappy, lz4 and zstd and reads the records back;
# transaction_check (beside it too) runs transactions with confluent-kafka and kafka-python: commit, abort, offsets
# sent to a transaction, fencing, and read_committed / read_uncommitted consumers.
#
# Usage: Tests/wire/run-client-checks.sh KAFKALAB_BINARY [SUITE...]
#        (suites: kcat_check kp_check ck_check compression_check transaction_check)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:?usage: run-client-checks.sh KAFKALAB_BINARY [SUITE...]}"; shift
SUITES=("$@"); [[ ${#SUITES[@]} -eq 0 ]] && SUITES=(kcat_check kp_check ck_check compression_check transaction_check)
SHARED="${KAFKALAB_SHARED:-$ROOT/../shared}/clients"
CACHE="${KAFKALAB_CACHE:-$HOME/.cache/kafkalab}"
VENV="$CACHE/venv"
[[ -f "$SHARED/kcat_check.py" ]] || { echo "client checks: $SHARED not found (set KAFKALAB_SHARED to the shared/ folder)" >&2; exit 2; }

source "$ROOT/Tests/wire/client-tools.sh"

# The suites write beside themselves and expect venv/ there; ../shared is read-only in CI.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kafkalab-clients.XXXXXX")"
cp "$SHARED"/*.py "$SHARED"/*.sh "$WORK"/ && ln -s "$VENV" "$WORK/venv"
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" serve --brokers 3 --port 0 --port-file "$WORK/bootstrap" </dev/null >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/bootstrap" ]] && break; sleep 0.1; done
[[ -s "$WORK/bootstrap" ]] || { echo "kafkalab serve did not start:"; cat "$WORK/server.log"; exit 1; }
BOOTSTRAP="$(head -1 "$WORK/bootstrap")"
echo "kafkalab serve: bootstrap $BOOTSTRAP"

status=0; passed=0; failed=0
for suite in "${SUITES[@]}"; do
  echo "=== $suite"
  script="$WORK/$suite.py"; [[ -f "$ROOT/Tests/wire/$suite.py" ]] && script="$ROOT/Tests/wire/$suite.py"
  timeout 300 "$WORK/venv/bin/python" "$script" "$BOOTSTRAP" 2>&1 | tee "$WORK/$suite.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
  passed=$((passed + $(grep -c '^PASS ' "$WORK/$suite.log")))
  failed=$((failed + $(grep -c -E '^(FAIL|SKIP) ' "$WORK/$suite.log")))
done
if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "kafkalab serve died:"; tail -20 "$WORK/server.log"; status=1; fi
if [[ $status -ne 0 ]]; then echo "--- server output (last 40 lines)"; tail -40 "$WORK/server.log"; fi
echo "clients: $passed passed, $failed failed"
exit $status
