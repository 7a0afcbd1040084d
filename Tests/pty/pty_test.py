#!/usr/bin/env python3
"""Drive an interactive line-editing program through a pseudo-terminal (standard library only).

Usage:
    python3 tests/pty_test.py BINARY [--state-var XDG_STATE_HOME] [--config overrides.json]
                              [--only 1,5] [--repeat 3] [-- ARGS FOR BINARY]

Every scenario starts a fresh process with HOME and the state variable (default XDG_STATE_HOME)
pointing into a fresh temporary folder, TERM=xterm and a 120x40 window:
  1. `topics` Enter, then Up + Enter re-executes it (its output shows twice);
  2. history persists: `time`, Ctrl-D; a second run: Up + Enter runs `time` again;
  3. Tab on `ti` lists `tick` and `time` (or keeps the common prefix); `tic` Tab Enter runs `tick`;
  4. `describe or` Tab Enter runs `describe orders`;
  5. Ctrl-C abandons `abc`: the process lives, shows the prompt again, runs `time`, never `abc`;
  6. Ctrl-D on an empty line exits with status 0 (after the one-time warning when the cluster is unsaved).
  ... 10. Ctrl-D with an unsaved cluster asks once; 11. Ctrl-C stops a long-running command at a safe point; 12. a lesson played step by step.

What the program prints differs between programs: adapt CONFIG below, or pass a JSON file with
--config whose keys override it (e.g. {"output": {"topics": "No topics yet"}}). Output is matched
as plain substrings after ANSI escape sequences are removed. Ends with "N passed, N failed".
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time

CONFIG = {
    # Text of the prompt (colours are stripped before matching).
    "prompt": "kafka> ",
    # What the program prints when it runs each line typed by the scenarios.
    "output": {
        "topics": "got: topics",
        "time": "got: time",
        "tick": "got: tick",
        "describe orders": "got: describe orders",
        "abc": "got: abc",
    },
    # A line with non-ASCII text and what the program prints for it (scenario 7).
    "utf8_line": "echo 한글",
    "utf8_output": "got: echo 한글",
    # Candidates the completion of `ti` must list (scenario 3).
    "ti_candidates": ["tick", "time"],
    # History file relative to the state folder; checked after scenario 2's first run ("" = skip).
    "history_file": "kafkalab/history",
    # Seconds to wait for expected text, and for the process to exit.
    "timeout": 10.0,
}

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x01\x02]")

UP = "\x1b[A"
TAB = "\t"
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"


class Failure(Exception):
    pass


class Session:
    """One process on a pseudo-terminal, with everything it printed kept in `raw`."""

    def __init__(self, argv, env, timeout):
        self.timeout = timeout
        self.raw = b""
        self.status = None
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    @property
    def text(self):
        return ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def _pump(self, wait):
        """Reads what is available (waiting at most `wait` seconds) and reaps the child if it exited."""
        try:
            ready, _, _ = select.select([self.fd], [], [], wait)
        except InterruptedError:
            ready = []
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the child side is closed
                data = b""
            self.raw += data
            if not data:
                time.sleep(0.05)
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = status

    def alive(self):
        self._pump(0)
        return self.status is None

    def send(self, keys, pause=0.25):
        os.write(self.fd, keys.encode("utf-8"))
        self.settle(pause)

    def settle(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            self._pump(max(0.0, end - time.time()))

    def expect(self, needle, since=0, count=1, what=None):
        """Waits until `needle` occurs `count` times in the cleaned output after offset `since`;
        returns the offset just past the last occurrence."""
        end = time.time() + self.timeout
        while True:
            text = self.text
            pos, found = since, 0
            while found < count:
                i = text.find(needle, pos)
                if i < 0:
                    break
                found, pos = found + 1, i + len(needle)
            if found >= count:
                if needle == CONFIG["prompt"]:
                    # The prompt is drawn before libedit may flush pending input: let it settle.
                    self.settle(0.2)
                return pos
            if time.time() > end or (self.status is not None and not self._readable()):
                raise Failure("timed out waiting for %r%s (x%d); output so far:\n%s"
                              % (needle, " (" + what + ")" if what else "", count, text[-1500:]))
            self._pump(0.1)

    def _readable(self):
        ready, _, _ = select.select([self.fd], [], [], 0)
        return bool(ready)

    def wait_exit(self):
        end = time.time() + self.timeout
        while self.status is None and time.time() < end:
            self._pump(0.1)
        if self.status is None:
            raise Failure("process did not exit; output:\n" + self.text[-1500:])
        self.settle(0.1)
        return os.waitstatus_to_exitcode(self.status)

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.status = 0
        try:
            os.close(self.fd)
        except OSError:
            pass


class Runner:
    def __init__(self, argv, state_var, config):
        self.argv, self.state_var, self.cfg = argv, state_var, config
        self.home = None

    def fresh_home(self):
        self.home = tempfile.mkdtemp(prefix="pty-test-")
        return self.home

    def state_dir(self):
        return os.path.join(self.home, "state")

    def start(self):
        env = {k: v for k, v in os.environ.items() if k not in ("EDITRC", "INPUTRC", "LINEEDIT_HISTORY")}
        env.update({"HOME": self.home, self.state_var: self.state_dir(), "TERM": "xterm",
                    "LANG": env.get("LANG") or "C.UTF-8", "COLUMNS": "120", "LINES": "40"})
        return Session(self.argv, env, self.cfg["timeout"])

    def out(self, line):
        return self.cfg["output"][line]

    def quit(self, s):
        """Ctrl-D on an empty line; the process must exit with status 0."""
        # libedit may flush input typed before it has set up the terminal: let it settle first.
        s.settle(0.4)
        start = len(s.text)
        s.send(CTRL_D, pause=0.5)
        warning = self.cfg.get("leave_warning")
        if warning and s.alive() and warning in s.text[start:]:
            # The shell asks once before an unsaved cluster is lost; a second Ctrl-D leaves.
            s.send(CTRL_D, pause=0)
        code = s.wait_exit()
        if code != 0:
            raise Failure("exit status %d after Ctrl-D; output:\n%s" % (code, s.text[-1500:]))

    # --- scenarios -------------------------------------------------------------------------
    def s1_up_arrow_recalls(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("topics" + ENTER)
        p = s.expect(self.out("topics"), p)
        p = s.expect(self.cfg["prompt"], p)
        s.send(UP)
        s.send(ENTER)
        s.expect(self.out("topics"), p, what="second run via Up")
        self.quit(s)

    def s2_history_persists(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("time" + ENTER)
        p = s.expect(self.out("time"), p)
        s.expect(self.cfg["prompt"], p)
        self.quit(s)
        s.close()
        if self.cfg["history_file"]:
            path = os.path.join(self.state_dir(), self.cfg["history_file"])
            if not os.path.isfile(path):
                raise Failure("history file %s was not written" % path)
        s2 = self.start()
        try:
            p = s2.expect(self.cfg["prompt"])
            s2.send(UP)
            s2.send(ENTER)
            s2.expect(self.out("time"), p, what="recalled from the history file")
            self.quit(s2)
        finally:
            s2.close()

    def s3_tab_completes_command(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("ti", pause=0.3)
        s.send(TAB, pause=0.5)
        after = s.text[p:]
        listed = all(c in after for c in self.cfg["ti_candidates"])
        if not listed and "ti" not in after:
            raise Failure("Tab on 'ti' neither listed %s nor kept 'ti':\n%s" % (self.cfg["ti_candidates"], after))
        s.send("c", pause=0.3)  # the line is now "tic"
        s.send(TAB, pause=0.5)
        s.send(ENTER)
        s.expect(self.out("tick"), p, what="tic<Tab>")
        self.quit(s)

    def s4_tab_completes_name(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("describe or", pause=0.3)
        s.send(TAB, pause=0.5)
        s.send(ENTER)
        s.expect(self.out("describe orders"), p, what="describe or<Tab>")
        self.quit(s)

    def s5_ctrl_c_abandons_line(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("abc", pause=0.5)
        p = s.expect("abc", p)
        s.send(CTRL_C, pause=0.5)
        if not s.alive():
            raise Failure("process died on Ctrl-C; output:\n" + s.text[-1500:])
        p = s.expect(self.cfg["prompt"], p, what="prompt after Ctrl-C")
        s.send("time" + ENTER)
        s.expect(self.out("time"), p)
        if self.out("abc") in s.text:
            raise Failure("the abandoned line ran: %r found" % self.out("abc"))
        self.quit(s)

    def s6_ctrl_d_exits(self, s):
        s.expect(self.cfg["prompt"])
        self.quit(s)

    def s7_korean_input(self, s):
        """UTF-8 input survives line editing (libedit drops it without setlocale)."""
        p = s.expect(self.cfg["prompt"])
        s.send(self.cfg["utf8_line"] + ENTER)
        s.expect(self.cfg["utf8_output"], p, what="Korean text echoed back in the output")
        self.quit(s)

    def s8_ctrl_r_searches_history(self, s):
        p = s.expect(self.cfg["prompt"])
        s.send("time" + ENTER)
        p = s.expect(self.out("time"), p)
        p = s.expect(self.cfg["prompt"], p)
        s.send("topics" + ENTER)
        p = s.expect(self.out("topics"), p)
        p = s.expect(self.cfg["prompt"], p)
        s.send("\x12", pause=0.3)  # Ctrl-R
        s.send("tim", pause=0.5)
        s.send(ENTER)
        s.expect(self.out("time"), p, what="Ctrl-R tim finds 'time'")
        self.quit(s)

    def s9_sub_prompt_until_ctrl_d(self, s):
        """A command that reads lines (kafkalab's console producer) gets a sub-prompt until Ctrl-D,
        and the shell prompt comes back after it. Skipped when the config names no such command."""
        sub = self.cfg.get("sub_prompt")
        if not sub:
            return
        p = s.expect(self.cfg["prompt"])
        s.send(sub["command"] + ENTER)
        p = s.expect(sub["opened"], p, what="the sub-prompt opens")
        for line, answer in sub["lines"]:
            s.settle(0.3)
            s.send(line + ENTER)
            p = s.expect(answer, p, what="answer to %r" % line)
        s.settle(0.4)
        s.send(CTRL_D, pause=0.5)
        p = s.expect(self.cfg["prompt"], p, what="shell prompt after Ctrl-D")
        s.send(sub["check"] + ENTER)
        s.expect(sub["check_output"], p, what="the lines were used")
        self.quit(s)

    def s10_ctrl_d_asks_before_losing_the_cluster(self, s):
        """With an unsaved cluster, Ctrl-D asks once and the shell stays; a second Ctrl-D leaves."""
        warning = self.cfg.get("leave_warning")
        if not warning:
            return
        p = s.expect(self.cfg["prompt"])
        s.settle(0.4)
        s.send(CTRL_D, pause=0.5)
        p = s.expect(warning, p, what="the warning after the first Ctrl-D")
        if not s.alive():
            raise Failure("the shell left on the first Ctrl-D with an unsaved cluster")
        s.send("time" + ENTER)
        s.expect(self.out("time"), p, what="the shell still runs commands")
        self.quit(s)

    def s11_ctrl_c_stops_a_long_command(self, s):
        """Ctrl-C while a long command runs (a throttled perf test of 200 million records on the simulated
        clock) stops it at a safe point: the shell says where it stopped and keeps going."""
        long = self.cfg.get("long_command")
        if not long:
            return
        p = s.expect(self.cfg["prompt"])
        for line in long["setup"]:
            s.send(line + ENTER)
            p = s.expect(self.cfg["prompt"], p)
        s.send(long["command"] + ENTER, pause=1.5)
        if not s.alive():
            raise Failure("the shell died running the long command")
        s.send(CTRL_C, pause=0.5)
        p = s.expect(long["interrupted"], p, what="the interruption message after Ctrl-C")
        p = s.expect(self.cfg["prompt"], p, what="the prompt after the interruption")
        s.send("time" + ENTER)
        s.expect("since start", p, what="the shell still runs commands")
        self.quit(s)

    def s12_lesson_at_a_terminal(self, s):
        """A lesson played at the terminal as a learner plays it: start, next, the task typed, check."""
        lesson = self.cfg.get("lesson")
        if not lesson:
            return
        p = s.expect(self.cfg["prompt"])
        for line, answer in lesson["steps"]:
            s.send(line + ENTER)
            p = s.expect(answer, p, what="answer to %r" % line)
            p = s.expect(self.cfg["prompt"], p)
        self.quit(s)

    SCENARIOS = [s1_up_arrow_recalls, s2_history_persists, s3_tab_completes_command,
                 s4_tab_completes_name, s5_ctrl_c_abandons_line, s6_ctrl_d_exits,
                 s7_korean_input, s8_ctrl_r_searches_history, s9_sub_prompt_until_ctrl_d,
                 s10_ctrl_d_asks_before_losing_the_cluster, s11_ctrl_c_stops_a_long_command,
                 s12_lesson_at_a_terminal]

    def run(self, only):
        passed = failed = 0
        for number, scenario in enumerate(self.SCENARIOS, 1):
            if only and number not in only:
                continue
            self.fresh_home()
            s = self.start()
            started = time.time()
            try:
                scenario(self, s)
                passed += 1
                print("PASS %d %s (%.1fs)" % (number, scenario.__name__, time.time() - started), flush=True)
            except Failure as error:
                failed += 1
                print("FAIL %d %s: %s" % (number, scenario.__name__, error), flush=True)
            finally:
                s.close()
                shutil.rmtree(self.home, ignore_errors=True)
        return passed, failed


def merge(base, override):
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", help="program to drive")
    parser.add_argument("--state-var", default="XDG_STATE_HOME",
                        help="environment variable that locates the history (default XDG_STATE_HOME)")
    parser.add_argument("--config", help="JSON file overriding CONFIG keys")
    parser.add_argument("--only", default="", help="comma-separated scenario numbers")
    parser.add_argument("--repeat", type=int, default=1, help="run everything N times")
    parser.add_argument("args", nargs="*", help="arguments for the binary (after --)")
    options = parser.parse_args()

    config = json.loads(json.dumps(CONFIG))
    if options.config:
        with open(options.config) as f:
            merge(config, json.load(f))
    binary = os.path.abspath(options.binary)
    if not os.access(binary, os.X_OK):
        sys.exit("not an executable: " + binary)
    only = {int(n) for n in options.only.split(",") if n.strip()}

    runner = Runner([binary] + options.args, options.state_var, config)
    passed = failed = 0
    for _ in range(options.repeat):
        p, f = runner.run(only)
        passed, failed = passed + p, failed + f
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
