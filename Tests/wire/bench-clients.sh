#!/usr/bin/env bash
# Real clients' throughput, side by side in one run: confluent-kafka producing 1,000,000 x 100 B records with
# acks=all to 6 partitions (RF 3 on kafkalab) and consuming them, against `kafkalab serve` and against librdkafka's
# mock cluster (../shared/clients: mock_cluster.sh, bench_produce.py). Prints each run, the medians and the ratio.
#
# Usage: Tests/wire/bench-clients.sh KAFKALAB_RELEASE_BINARY [RECORDS]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:?usage: bench-clients.sh KAFKALAB_RELEASE_BINARY [RECORDS]}"; RECORDS="${2:-1000000}"
SHARED="${KAFKALAB_SHARED:-$ROOT/../shared}/clients"
CACHE="${KAFKALAB_CACHE:-$HOME/.cache/kafkalab}"
VENV="$CACHE/venv"
[[ -f "$SHARED/bench_produce.py" ]] || { echo "client bench: $SHARED not found (set KAFKALAB_SHARED)" >&2; exit 2; }
source "$ROOT/Tests/wire/client-tools.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kafkalab-bench.XXXXXX")"
cp "$SHARED"/*.py "$SHARED"/*.sh "$WORK"/ && ln -s "$VENV" "$WORK/venv"
SERVER_PID=""; MOCK_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [[ -n "$MOCK_PID" ]] && kill "$MOCK_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
BENCH=("$WORK/venv/bin/python" "$WORK/bench_produce.py")
COMMON=(--records "$RECORDS" --size 100 --partitions 6 --acks all --runs 3 --clients ck)
# One untimed run first, for both servers alike: a fresh process's first hundred milliseconds (memory and tmpfs pages
# being allocated) are not what is measured, and a stall there makes bench_produce.py give up ("Queue full").
WARMUP=(--records 300000 --size 100 --partitions 6 --acks all --runs 1 --clients ck --no-consume)

# The mock keeps its partitions in memory; kafkalab writes real segment files, to tmpfs here as the tests do.
SEGMENTS_DIR=$([ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")
TMPDIR="$SEGMENTS_DIR" "$BIN" serve --brokers 3 --port 0 --port-file "$WORK/bootstrap" </dev/null >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/bootstrap" ]] && break; sleep 0.1; done
[[ -s "$WORK/bootstrap" ]] || { echo "kafkalab serve did not start" >&2; exit 1; }
echo "=== kafkalab serve (3 brokers, RF 3, segment files in $SEGMENTS_DIR)"
"${BENCH[@]}" "$(head -1 "$WORK/bootstrap")" "${WARMUP[@]}" --rf 3 >/dev/null 2>&1
cpu_before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
"${BENCH[@]}" "$(head -1 "$WORK/bootstrap")" "${COMMON[@]}" --rf 3 --json "$WORK/kafkalab.json" || exit 1
cpu_after=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
echo "kafkalab server CPU (user+system) for the timed runs: $(( (cpu_after - cpu_before) * 10 )) ms"

MOCK_RUN_DIR="$WORK/run" "$WORK/mock_cluster.sh" --brokers 3 --topic bench6:6 >"$WORK/mock.out" || { cat "$WORK/mock.out"; exit 1; }
MOCK_PID=$(sed -n 's/^PID=//p' "$WORK/mock.out")
echo "=== librdkafka mock cluster (3 brokers, in memory)"
"${BENCH[@]}" "$(sed -n 's/^BOOTSTRAP=//p' "$WORK/mock.out")" "${WARMUP[@]}" --mock >/dev/null 2>&1
"${BENCH[@]}" "$(sed -n 's/^BOOTSTRAP=//p' "$WORK/mock.out")" "${COMMON[@]}" --mock --json "$WORK/mock.json" || exit 1

"$WORK/venv/bin/python" - "$WORK/kafkalab.json" "$WORK/mock.json" <<'PY'
import json, sys
ours, mock = (json.load(open(f)) for f in sys.argv[1:3])
print('\n%-8s %14s %14s %7s' % ('', 'kafkalab rec/s', 'mock rec/s', 'ratio'))
for op in ('produce', 'consume'):
    a = next((r for r in ours if r['op'] == op), None)
    b = next((r for r in mock if r['op'] == op), None)
    if a and b:
        print('%-8s %14.0f %14.0f %6.2fx' % (op, a['median_rec_s'], b['median_rec_s'], a['median_rec_s'] / b['median_rec_s']))
PY
