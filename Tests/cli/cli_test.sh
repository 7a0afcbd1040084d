#!/usr/bin/env bash
# End-to-end checks of the kafkalab binary: exit statuses, -c, pipes, record → run → diff, replay, lesson.
# Usage: Tests/cli/cli_test.sh path/to/kafkalab
set -u
BIN=${1:?usage: cli_test.sh path/to/kafkalab}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" XDG_STATE_HOME="$WORK/state" NO_COLOR=1
passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; shift; printf '  %s\n' "$@"; }
check() { # name, condition command...
  local name=$1; shift
  if "$@"; then ok "$name"; else fail "$name" "command: $*"; fi
}

# -c runs commands separated by ';' and exits 0 when all succeed, 1 when one fails.
out=$("$BIN" -c 'topic create orders -p 3; describe orders'); status=$?
check "-c succeeds" test "$status" = 0
check "-c prints each command's output" grep -q "Created topic orders." <<<"$out"
"$BIN" -c 'topic create orders; topic create orders' >/dev/null; status=$?
check "-c exits 1 when a command fails" test "$status" = 1

# A script on a pipe: every line runs, exit status 1 if any failed, no prompt printed.
out=$(printf 'topic create a\n# comment\ntopics\n' | "$BIN"); status=$?
check "pipe succeeds" test "$status" = 0
check "pipe prints no prompt" bash -c "! grep -q 'kafka>' <<<\"\$0\"" "$out"
printf 'topics\nnosuchcommand\ntopics\n' | "$BIN" >/dev/null; status=$?
check "pipe exits 1 after a failed command" test "$status" = 1
out=$(printf 'topic create a \\\n  -p 4\ndescribe a\n' | "$BIN")
check "a trailing backslash continues the command" grep -q "4 partitions" <<<"$out"

# record → run green → alter one line → run exits 1 with a unified diff.
REC="$WORK/session.md"
printf 'topic create early -p 2\nrecord start %s\ntopic create orders -p 3 -r 3\nbroker stop 1\ntick 5m\ndescribe orders\nrecord stop\n' "$REC" | "$BIN" >/dev/null
check "recording was written" grep -q "kafka> broker stop 1" "$REC"
"$BIN" run "$REC" >"$WORK/run.txt"; status=$?
check "kafkalab run passes on the recording" test "$status" = 0
sed -i 's/^Broker 1 stopped\.$/Broker 1 is fine./' "$REC"
"$BIN" run "$REC" >"$WORK/run.txt"; status=$?
check "kafkalab run fails on an altered line" test "$status" = 1
check "the failure shows a diff" grep -q -- "-Broker 1 is fine." "$WORK/run.txt"
check "the diff shows the actual line" grep -q -- "+Broker 1 stopped." "$WORK/run.txt"
"$BIN" run --update "$REC" >/dev/null && "$BIN" run "$REC" >/dev/null; status=$?
check "run --update repairs it" test "$status" = 0

# Replay on a pipe: Enter runs the next command, q stops and leaves the shell in that state.
out=$(printf '\n\nq\ntopics\n' | "$BIN" replay "$REC"); status=$?
check "replay stops on q and continues in the shell" grep -q "Replay stopped after 2 of" <<<"$out"
check "the shell after replay has the replayed state" grep -q "^orders" <<<"$out"

# Lessons from the command line; progress lands in XDG_STATE_HOME.
out=$("$BIN" lesson list); status=$?
check "kafkalab lesson list" test "$status" = 0
check "lessons are listed" grep -q "topics-partitions-brokers" <<<"$out"
printf 'next\ntopic create orders -p 3 -r 3\ncheck\n' | "$BIN" lesson start topics-partitions-brokers >/dev/null
check "progress file written" grep -q '"passedSteps"' "$XDG_STATE_HOME/kafkalab/progress.json"
out=$(LANG=ko_KR.UTF-8 "$BIN" lesson list)
check "LANG=ko picks Korean lessons" grep -q "토픽" <<<"$out"
out=$("$BIN" --broker-ids 1,2,3 -c 'topic create t -p 3 -r 2; describe t')
check "--broker-ids numbers the brokers as given" grep -q "^1 *2 *2,3" <<<"$out"
"$BIN" --broker-ids 5,6,7 -c "record start $WORK/ids.md; topic create t -p 3 -r 2; describe t; record stop" >/dev/null
check "a recording keeps the broker ids" grep -q "^broker-ids: 5,6,7$" "$WORK/ids.md"
"$BIN" run "$WORK/ids.md" >/dev/null; status=$?
check "and replays green with them" test "$status" = 0
"$BIN" --brokers 0 -c time >/dev/null 2>&1; status=$?
check "--brokers 0 is refused" test "$status" != 0
out=$("$BIN" --brokers 5 --controllers 9 -c time 2>&1); status=$?
check "--controllers larger than the cluster is refused" test "$status" != 0
check "naming what is allowed" grep -q "controllers must be from 1 to the number of brokers (5)" <<<"$out"
"$BIN" --brokers 5 --controllers 3 -c "record start $WORK/ctl.md; broker stop 0; broker stop 1; topic create x; record stop" >/dev/null
check "a recording keeps --controllers" grep -q "^controllers: 3$" "$WORK/ctl.md"
"$BIN" run "$WORK/ctl.md" >/dev/null; status=$?
check "and replays green with a 3-voter quorum" test "$status" = 0

# With --data-dir, a group's committed offsets come back from __consumer_offsets after a restart.
DATA="$WORK/data"
"$BIN" --data-dir "$DATA" -c 'topic create orders -p 1; produce orders x --count 4; consumer start c1 --group app --topic orders --auto-offset-reset earliest; tick 10s; consumer stop c1' >/dev/null
out=$("$BIN" --data-dir "$DATA" -c 'inspect groups.app.committed')
check "--data-dir: committed offsets survive a restart" grep -q 'orders-0: 4' <<<"$out"
check "--data-dir: the start-up report names the group" grep -q "Committed offsets of 1 group (app)" <<<"$out"

# One --data-dir, one kafkalab: a second process is refused naming the first (status 2) and changes nothing.
LOCKED="$WORK/locked"
"$BIN" --data-dir "$LOCKED" -c 'topic create t -p 1; produce t x' >/dev/null
mkfifo "$WORK/hold"
"$BIN" --data-dir "$LOCKED" <"$WORK/hold" >/dev/null 2>&1 & first=$!
exec 7>"$WORK/hold"   # keeps the first shell waiting for input
for _ in $(seq 50); do [ -e "/proc/$first" ] && grep -q kafkalab "/proc/$first/cmdline" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
out=$("$BIN" --data-dir "$LOCKED" -c 'produce t y' 2>&1); status=$?
check "a second kafkalab on one --data-dir exits with status 2" test "$status" = 2
check "it names the process holding the folder" grep -q "in use by another kafkalab process (pid $first)" <<<"$out"
check "in one line" test "$(wc -l <<<"$out")" = 1
exec 7>&-
wait "$first"
out=$("$BIN" --data-dir "$LOCKED" -c 'consume t --partition 0 --max 10' 2>&1)
check "the refused process wrote nothing; the folder opens again once free" bash -c '[ "$(grep -c "^0  *[0-9]" <<<"$0")" = 1 ]' "$out"

# A deleted middle segment file is reported at start-up.
GAP="$WORK/gap"
"$BIN" --data-dir "$GAP" -c "topic create g -p 1 -c segment.bytes=200; $(for i in 0 1 2 3 4 5 6 7 8; do printf 'produce g --key k%s value-%s; ' $i $i; done)" >/dev/null
rm "$(ls "$GAP"/broker-*/g-0/*.log | sort | sed -n 2p)"
out=$("$BIN" --data-dir "$GAP" -c topics)
check "a missing middle .log is reported at start-up" grep -q "^Recovery: g-0 has no segment holding offsets" <<<"$out"

# Folders that cannot be a data folder are refused with one line and status 2.
touch "$WORK/plainfile"
for bad in "" "/" "$(ls -d "$LOCKED"/broker-*/t-0 | head -1)" "$WORK/plainfile"; do
  out=$("$BIN" --data-dir "$bad" -c topics 2>&1); status=$?
  check "--data-dir '$bad' is refused" test "$status" = 2 -a "$(wc -l <<<"$out")" = 1
done

# The complete example lesson in docs/NOTEBOOK.md runs green, so the documentation stays true.
DOC="$(dirname "$0")/../../docs/NOTEBOOK.md"
python3 -c 'import sys; print(open(sys.argv[1]).read().split("````markdown\n")[1].split("````")[0], end="")' "$DOC" >"$WORK/example.md"
"$BIN" run "$WORK/example.md" >/dev/null; status=$?
check "docs/NOTEBOOK.md example lesson passes" test "$status" = 0

# run --update never replaces a symbolic link with a file.
ln -s "$REC" "$WORK/link.md"
sed -i 's/^Broker 1 stopped\.$/Broker 1 is fine./' "$REC"
out=$("$BIN" run --update "$WORK/link.md"); status=$?
check "run --update refuses a symbolic link" test "$status" = 1
check "and says why" grep -q "not updated: it is a symbolic link" <<<"$out"
check "the link is still a link" test -L "$WORK/link.md"

# A lesson played on a pipe, as a learner types it: start, each task's solution, check, next.
out=$(printf 'next\nnext\nnext\ntick 1h\ncheck\nnext\nnext\ntopic create hello -p 2\ncheck\nnext\n' | "$BIN" lesson start kafkalab-basics --from-start); status=$?
check "lesson 1 played on a pipe passes" grep -q "Lesson 'kafkalab-basics' complete. Next lesson:" <<<"$out"
check "its worked examples ran (their output is shown)" grep -q "    kafka> tick 90s" <<<"$out"

# kafkalab as a co-process: a command's answer comes before the next line is written.
coproc KL { "$BIN"; }
echo "time" >&"${KL[1]}"
if read -r -t 10 answer <&"${KL[0]}"; then :; else answer=""; fi
check "a command runs as soon as its line arrives on a pipe" grep -q "since start" <<<"$answer"
exec {KL[1]}>&-
wait "$KL_PID" 2>/dev/null

# File descriptors stay bounded: 400 partitions and 1,200 one-record segments under a 300-descriptor limit.
out=$( { echo 'topic create t -p 400 -c segment.bytes=100'; for i in $(seq 1 1200); do echo "produce t v$i --partition $((i % 400))"; done; echo 'consume t --partition 5'; } | (ulimit -n 300; "$BIN") 2>&1); status=$?
check "400 partitions of one-record segments work under ulimit -n 300" test "$status" = 0
check "and read back" grep -q "v805" <<<"$out"

# Temporary folders of a kafkalab that was killed are removed by the next one; a live one's stay.
TMPDIR_SAVED=${TMPDIR:-}
export TMPDIR="$WORK/tmp"; mkdir -p "$TMPDIR/kafkalab-999999-abcdef/t-0" "$TMPDIR/kafkalab-$$-live" "$TMPDIR/kafkalab-notes"
"$BIN" -c time >/dev/null
check "a killed kafkalab's temporary folder is removed at the next start" test ! -e "$TMPDIR/kafkalab-999999-abcdef"
check "a running process's folder stays" test -d "$TMPDIR/kafkalab-$$-live"
check "other folders stay" test -d "$TMPDIR/kafkalab-notes"
if [ -n "$TMPDIR_SAVED" ]; then export TMPDIR="$TMPDIR_SAVED"; else unset TMPDIR; fi

# serve: free ports, the bootstrap servers in the port file once listening, still serving after the end of
# standard input, and exit status 0 on SIGTERM.
PORTS="$WORK/bootstrap"
mkdir -p "$WORK/serve-tmp"
TMPDIR="$WORK/serve-tmp" "$BIN" serve --brokers 3 --port 0 --port-file "$PORTS" --init 'topic create orders -p 3' </dev/null >"$WORK/serve.txt" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 300); do [ -s "$PORTS" ] && break; sleep 0.1; done
check "serve writes the bootstrap servers to --port-file" grep -Eq '^127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+$' "$PORTS"
FIRST_PORT=$(cut -d, -f1 "$PORTS" | cut -d: -f2)
sleep 0.3
check "serve keeps listening after the end of standard input" bash -c "exec 3<>/dev/tcp/127.0.0.1/$FIRST_PORT"
check "serve prints where each broker listens" grep -q "Broker 0 listening on 127.0.0.1:$FIRST_PORT" "$WORK/serve.txt"
check "serve prints the bootstrap servers" grep -q "^bootstrap.servers=$(cat "$PORTS")$" "$WORK/serve.txt"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"; status=$?
check "serve exits 0 on SIGTERM" test "$status" = 0
check "and removes its temporary segment files" test -z "$(ls -A "$WORK/serve-tmp")"
# A port another program holds: a clear error naming it, exit status 2.
python3 -c "import socket,sys,time
s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)" >"$WORK/busy-port" &
HOLDER_PID=$!
for _ in $(seq 1 50); do [ -s "$WORK/busy-port" ] && break; sleep 0.1; done
"$BIN" serve --brokers 1 --port "$(cat "$WORK/busy-port")" </dev/null >/dev/null 2>"$WORK/serve-busy.txt"; status=$?
kill "$HOLDER_PID"; wait "$HOLDER_PID" 2>/dev/null
check "serve exits 2 when a port is taken" test "$status" = 2
check "and names the port and --port" grep -q "127.0.0.1:$(cat "$WORK/busy-port").*--port" "$WORK/serve-busy.txt"

# listen inside the shell, on a pipe as a co-process: free ports, a real client's ApiVersions v0 answered, then
# listen stop closes the port. Each read waits at most 10 s; nothing sleeps.
cat >"$WORK/apiversions.py" <<'PY'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
except ConnectionRefusedError:
    print("refused"); sys.exit(0)
s.sendall(bytes.fromhex("0000000a001200000000000" "1ffff"))
data = b""
while len(data) < 8:
    chunk = s.recv(64)
    if not chunk: break
    data += chunk
print("answered" if len(data) >= 8 and data[4:8] == b"\x00\x00\x00\x01" else "no answer")
PY
read_until() { # pattern: reads the co-process's lines until one matches; prints it
  local line
  while read -r -t 10 line <&"${KL[0]}"; do
    if grep -Eq "$1" <<<"$line"; then echo "$line"; return 0; fi
  done
  return 1
}
coproc KL { "$BIN" 2>&1; }
echo "listen 0" >&"${KL[1]}"
bootstrap=$(read_until '^bootstrap\.servers=')
check "listen 0 prints the bootstrap servers" grep -Eq '^bootstrap\.servers=127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+$' <<<"$bootstrap"
note=$(read_until 'wall clock')
check "and says the clock follows the wall clock" test -n "$note"
LISTEN_PORT=$(sed -E 's/^bootstrap\.servers=127\.0\.0\.1:([0-9]+),.*/\1/' <<<"$bootstrap")
out=$(timeout 10 python3 "$WORK/apiversions.py" "$LISTEN_PORT")
check "a real client's ApiVersions is answered while listening" test "$out" = answered
echo "listen stop" >&"${KL[1]}"
stopped=$(read_until '^Stopped listening')
check "listen stop says what it closed" grep -q "closed the listeners and" <<<"$stopped"
out=$(timeout 10 python3 "$WORK/apiversions.py" "$LISTEN_PORT")
check "after listen stop the port refuses" test "$out" = refused
echo "time" >&"${KL[1]}"
check "the shell goes on after listen stop" test -n "$(read_until 'since start')"
exec {KL[1]}>&-
wait "$KL_PID" 2>/dev/null
out=$(printf 'listen 70000\n' | "$BIN" 2>&1); status=$?
check "listen with a port out of range fails" test "$status" = 1
check "and names what is allowed" grep -q "expected 0 (free ports), a port from 1 to" <<<"$out"
out=$(printf 'listen stop\n' | "$BIN" 2>&1)
check "listen stop when not listening says how to start" grep -q "Not listening. Start with: listen" <<<"$out"
printf -- '---\nid: l\ntitle: L\n---\n\n```kafka\nkafka> listen 0\n```\n' >"$WORK/listen.md"
out=$("$BIN" run "$WORK/listen.md" 2>&1); status=$?
check "a notebook cannot listen (kafkalab run)" test "$status" = 1

echo "cli: $passed passed, $failed failed"
test "$failed" = 0
