#!/usr/bin/env python3
"""`kafkalab serve`, and `listen` in the plain shell, at a terminal: what a client causes is printed above the
prompt, and the line the learner is typing survives it (same text, same cursor), through a pseudo-terminal
(standard library only).

Usage: python3 Tests/pty/serve_pty_test.py path/to/kafkalab
"""
import os
import re
import shutil
import socket
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_test import CTRL_D, ENTER, Failure, Session  # noqa: E402

LEFT = "\x1b[D"


def main():
    binary = os.path.abspath(sys.argv[1])
    home = tempfile.mkdtemp(prefix="serve-pty-test-")
    port_file = os.path.join(home, "bootstrap")
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"), TERM="xterm",
               LANG=os.environ.get("LANG") or "C.UTF-8", COLUMNS="120", LINES="40")
    s = Session([binary, "serve", "--brokers", "2", "--port", "0", "--port-file", port_file], env, 15.0)
    try:
        s.expect("kafka> ")
        s.settle(0.4)
        port = int(open(port_file).read().split(",")[0].split(":")[1])

        # Half a command, the cursor moved back into it, then a client that is not speaking Kafka.
        s.send("topic create orers -p 2")
        s.send(LEFT * 8)
        start = len(s.text)
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(struct.pack(">i", -1))
            client.recv(1)
        s.expect("closed connection 1", since=start, what="the event line")
        s.expect("kafka> topic create orers -p 2", since=start, what="the prompt and the line drawn again")

        # Typing goes on where the cursor was: the line becomes `topic create orders -p 2`.
        s.send("d" + ENTER)
        s.expect("Created topic orders.", since=start, what="the repaired line ran")

        s.send(CTRL_D, pause=0.5)
        s.send(CTRL_D, pause=0.5)
        status = s.wait_exit()
        if status != 0:
            raise Failure("exit status %d" % status)
        print("PASS serve: client events above the prompt, the typed line kept")
        return 0
    except Failure as failure:
        print("FAIL serve: %s" % failure)
        return 1
    finally:
        s.close()
        shutil.rmtree(home, ignore_errors=True)


def listen_in_shell(binary):
    """The plain shell: `listen 0`, a client's event above a half-typed line, `listen stop`, the port refuses."""
    home = tempfile.mkdtemp(prefix="listen-pty-test-")
    env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"), TERM="xterm",
               LANG=os.environ.get("LANG") or "C.UTF-8", COLUMNS="120", LINES="40")
    s = Session([binary, "--brokers", "2"], env, 15.0)
    try:
        s.expect("kafka> ")
        start = len(s.text)
        s.send("listen 0" + ENTER)
        s.expect("wall clock", since=start, what="listen's note on the clock")
        found = re.search(r"bootstrap\.servers=127\.0\.0\.1:(\d+)", s.text[start:])
        if not found:
            raise Failure("no bootstrap.servers line after listen 0")
        port = int(found.group(1))
        s.expect("kafka> ", since=start + found.end(), what="the prompt after listen")
        s.settle(0.3)

        s.send("topic create orers -p 2")
        s.send(LEFT * 8)
        start = len(s.text)
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(struct.pack(">i", -1))
            client.recv(1)
        s.expect("closed connection 1", since=start, what="the event line")
        s.expect("kafka> topic create orers -p 2", since=start, what="the prompt and the line drawn again")
        s.send("d" + ENTER)
        s.expect("Created topic orders.", since=start, what="the repaired line ran")

        start = len(s.text)
        s.send("listen stop" + ENTER)
        s.expect("The clock is simulated again", since=start, what="listen stop's report")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            raise Failure("the port still accepts after listen stop")
        except ConnectionRefusedError:
            pass

        s.send("exit" + ENTER)
        status = s.wait_exit()
        if status != 0:
            raise Failure("exit status %d" % status)
        print("PASS listen: client events above the prompt in the plain shell, listen stop closes the port")
        return 0
    except Failure as failure:
        print("FAIL listen: %s" % failure)
        return 1
    finally:
        s.close()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    failures = main()
    failures += listen_in_shell(os.path.abspath(sys.argv[1]))
    sys.exit(1 if failures else 0)
