#!/usr/bin/env bash
# Real clients' throughput, side by side in one run: confluent-kafka producing 1,000,000 x 100 B records with
# acks=all to 6 partitions (RF 3 on kafkalab) and consuming them, against `kafkalab serve` and against librdkafka's
# mock cluster (../shared/clients: mock_cluster.sh, bench_produce.py), produce in alternating rounds. Prints each run,
# the medians and the ratios.
#
# Usage: Tests/wire/bench-clients.sh KAFKALAB_RELEASE_BINARY [RECORDS]
# KAFKALAB_BENCH_RF=1 runs kafkalab's topics at another replication factor (3 unless set): a control that shows what
# the followers' segment files cost, since the mock keeps no replicas.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:?usage: bench-clients.sh KAFKALAB_RELEASE_BINARY [RECORDS]}"; RECORDS="${2:-1000000}"
RF="${KAFKALAB_BENCH_RF:-3}"
[[ "$RF" =~ ^[1-3]$ ]] || { echo "client bench: KAFKALAB_BENCH_RF must be 1, 2 or 3 (3 brokers), not '$RF'" >&2; exit 2; }
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
# One untimed run first, for both servers alike: a fresh process's first hundred milliseconds (memory and tmpfs pages
# being allocated) are not what is measured, and a stall there makes bench_produce.py give up ("Queue full").
WARMUP=(--records 300000 --size 100 --partitions 6 --acks all --runs 1 --clients ck --no-consume)

# Both servers run side by side. Produce is measured in alternating rounds, one run on each server per round, so that
# a drift of the machine (a neighbour VM, the CPU clock) weighs on both alike; consuming reads one topic of each.
ROUNDS=5
# The mock keeps its partitions in memory; kafkalab writes real segment files, to tmpfs here as the tests do.
SEGMENTS_DIR=$([ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")
TMPDIR="$SEGMENTS_DIR" "$BIN" serve --brokers 3 --port 0 --port-file "$WORK/bootstrap" </dev/null >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/bootstrap" ]] && break; sleep 0.1; done
[[ -s "$WORK/bootstrap" ]] || { echo "kafkalab serve did not start" >&2; exit 1; }
OURS="$(head -1 "$WORK/bootstrap")"
MOCK_RUN_DIR="$WORK/run" "$WORK/mock_cluster.sh" --brokers 3 --topic bench6:6 >"$WORK/mock.out" || { cat "$WORK/mock.out"; exit 1; }
MOCK_PID=$(sed -n 's/^PID=//p' "$WORK/mock.out")
MOCK="$(sed -n 's/^BOOTSTRAP=//p' "$WORK/mock.out")"
echo "kafkalab serve: 3 brokers, RF $RF, segment files in $SEGMENTS_DIR; librdkafka mock cluster: 3 brokers, in memory"
"${BENCH[@]}" "$OURS" "${WARMUP[@]}" --rf "$RF" >/dev/null 2>&1
"${BENCH[@]}" "$MOCK" "${WARMUP[@]}" --mock >/dev/null 2>&1
# The topics there are now (the warm-up's): consuming reads one of the timed runs' 1,000,000 records instead.
list_topics() {
  "$WORK/venv/bin/python" -c '
import sys
from confluent_kafka.admin import AdminClient
print("\n".join(sorted(t for t in AdminClient({"bootstrap.servers": sys.argv[1]}).list_topics(timeout=10).topics if t.startswith("bench-ck-"))))' "$1"
}
WARMUP_TOPICS=$(list_topics "$OURS")

PRODUCE=(--records "$RECORDS" --size 100 --partitions 6 --acks all --runs 1 --clients ck --no-consume)
# bench_produce.py gives up when the client's queue (100,000 records) is still full 5 ms after it first was: a server
# pause that long fails the run. Such a run is reported and run again (at most twice), so one pause does not cost
# the whole benchmark its figures; the failures are counted in the summary.
declare -A FAILED=([kafkalab]=0 [mock]=0)
produce_round() {  # LABEL ROUND BOOTSTRAP JSON EXTRA...
  local label=$1 round=$2 bootstrap=$3 json=$4; shift 4
  local attempt
  for attempt in 1 2 3; do
    if "${BENCH[@]}" "$bootstrap" "${PRODUCE[@]}" "$@" --json "$json" 2>"$WORK/stderr" >"$WORK/stdout"; then
      sed -n 's/^confluent-kafka \( *produce\)/'"$(printf '%-8s' "$label")"' round '"$round"':\1/p' "$WORK/stdout"
      return 0
    fi
    FAILED[$label]=$(( FAILED[$label] + 1 ))
    echo "$(printf '%-8s' "$label") round $round: run $attempt failed ($(grep -v '^ ' "$WORK/stderr" | grep -E 'Error|error' | tail -1)), running it again"
  done
  echo "$label round $round failed three times; see above" >&2
  return 1
}
cpu=0
for round in $(seq 1 "$ROUNDS"); do
  cpu_before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  produce_round kafkalab "$round" "$OURS" "$WORK/ours-$round.json" --rf "$RF" || exit 1
  cpu=$(( cpu + $(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat") - cpu_before ))
  produce_round mock "$round" "$MOCK" "$WORK/mock-$round.json" --mock || exit 1
done
echo "kafkalab server CPU (user+system) for its $ROUNDS timed produce rounds, failed runs included: $(( cpu * 10 )) ms"
echo "failed produce runs (run again): kafkalab ${FAILED[kafkalab]}, mock ${FAILED[mock]}"

# Consume: a topic each produced above (kafkalab keeps all 1,000,000 records; the mock keeps <= 5 MiB per partition).
TOPIC=$(comm -13 <(echo "$WARMUP_TOPICS") <(list_topics "$OURS") | head -1)
CONSUME=(--records "$RECORDS" --size 100 --partitions 6 --runs 3 --clients ck --no-produce)
"${BENCH[@]}" "$OURS" "${CONSUME[@]}" --consume-topic "$TOPIC" --json "$WORK/ours-consume.json" | sed -n 's/^confluent-kafka \( *consume\)/kafkalab\1/p' || exit 1
"${BENCH[@]}" "$MOCK" "${CONSUME[@]}" --consume-topic bench6 --mock --json "$WORK/mock-consume.json" | sed -n 's/^confluent-kafka \( *consume\)/mock    \1/p; s/^NOTE/mock     NOTE/p' || exit 1

"$WORK/venv/bin/python" - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def rate(path):
    return json.load(open(path))[0]['median_rec_s']
ours = [rate('%s/ours-%d.json' % (work, r)) for r in range(1, rounds + 1)]
mock = [rate('%s/mock-%d.json' % (work, r)) for r in range(1, rounds + 1)]
print('\n%-8s %14s %14s %7s' % ('', 'kafkalab rec/s', 'mock rec/s', 'ratio'))
print('%-8s %14.0f %14.0f %6.2fx   (medians of %d alternating rounds; per round: %s)'
      % ('produce', statistics.median(ours), statistics.median(mock), statistics.median(ours) / statistics.median(mock), rounds,
         ' '.join('%.2f' % (o / m) for o, m in zip(ours, mock))))
a, b = rate(work + '/ours-consume.json'), rate(work + '/mock-consume.json')
print('%-8s %14.0f %14.0f %6.2fx' % ('consume', a, b, a / b))
PY
