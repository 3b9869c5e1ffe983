#!/usr/bin/env python3
"""test/shell.py - drives the ExOS shell through the console, as a person
would: boots the kernel as `make run` does, waits for the prompt, types a line,
reads the screen until the next prompt, and checks what it shows.  Prints
TAP ("ok N - ...", "1..N") for test/run.sh; the whole console goes to the
log file named by argv[1].

Typing waits for the prompt each time: characters sent before the shell
reads them would sit in the UART, which holds one byte.
"""
import os
import re
import subprocess
import sys
import time

KERNEL = "build/aegis.elf"
QEMU = ["qemu-system-mipsel", "-M", "malta", "-m", "128", "-display", "none", "-vga", "none",
        "-nic", "none", "-no-reboot", "-monitor", "none", "-serial", "stdio",
        "-icount", "shift=0,sleep=off", "-kernel", KERNEL,
        # no run=: the shell, as make run; a fresh capability key, as make run
        "-append", "capkey=" + os.environ.get("CAPKEY", os.urandom(16).hex())]
PROMPT = "$ "
TIMEOUT = 60.0

log = open(sys.argv[1] if len(sys.argv) > 1 else os.devnull, "w")
qemu = subprocess.Popen(QEMU, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
os.set_blocking(qemu.stdout.fileno(), False)
screen = ""
count = 0
failed = 0


def read_until(pattern, timeout=TIMEOUT):
    """Reads the console until the regex matches what came since the
    last call; returns that text (or None on a time-out)."""
    global screen
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = re.search(pattern, screen, re.S)
        if m:
            seen, screen = screen[:m.end()], screen[m.end():]
            return seen
        try:
            chunk = qemu.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            text = chunk.decode(errors="replace").replace("\r", "")
            log.write(text)
            log.flush()
            screen += text
        elif qemu.poll() is not None:
            break
        else:
            time.sleep(0.01)
    return None


def type_keys(keys):
    """Types keys slowly enough for a one-byte UART: one at a time, each
    after the shell has echoed the previous one (or a short pause)."""
    for k in keys:
        qemu.stdin.write(k.encode())
        qemu.stdin.flush()
        time.sleep(0.02)


def command(line, keys=None):
    """Types a line (or raw keys) and returns the screen up to the next
    prompt."""
    type_keys((keys if keys is not None else line) + "\r")
    return read_until(r"\n\$ ") or ""


def check(ok, name, detail=""):
    global count, failed
    count += 1
    if ok:
        print(f"ok {count} - {name}")
    else:
        failed += 1
        print(f"not ok {count} - {name} ({detail.strip()[-300:]!r})")
    sys.stdout.flush()


boot = read_until(r"\$ ")
check(boot is not None and "ExOS shell" in boot, "the shell starts and prompts", boot or "")

out = command("help")
check("tlbtrace" in out and "demo_wset" in out and "t_fork" in out and
      re.search(r"demo_gc\s+the write barrier", out) is not None,
      "help lists the programs, one line each", out)

out = command("exitcode 7")
check("exit 7" in out, "a program runs with its arguments; its status is shown", out)

out = command("nosuchprog")
check("no such program" in out, "an unknown command gets a clear message", out)

out = command("", keys="helo\x7f\x7flp")
check("tlbtrace" in out, "backspace edits the line (helo, 2 x BS, lp = help)", out)

out = command("x" * 300)
check("line too long" in out, "a line that is too long is refused with a message", out)

out = command("exitcode 5 &")
check(re.search(r"\[\d+\] exitcode 5", out) is not None, "cmd & starts a background job", out)
out = command("jobs") + command("wait")
check(re.search(r"\[\d+\] (running|done)", out) is not None and "done" in out,
      "jobs and wait see the background job end", out)

out = command("producer 300 | consumer")
check("consumer: 300 lines" in out, "a pipeline: producer | consumer", out)

out = command("tlbtrace demo_gc")
check("remembered set" in out and re.search(r"\d+\s+refill", out) is not None and
      re.search(r"\d+\s+modified", out) is not None and "STLB hit rate" in out,
      "tlbtrace runs a demo and summarises its TLB events", out)

out = command("crash null")
check("killed by signal 11" in out, "a crashing program is reported and the shell goes on", out)

type_keys("exit\r")
end = read_until(r"shutting down", timeout=30)
check(end is not None, "exit leaves the shell; the kernel shuts down", end or "")
try:
    qemu.wait(timeout=10)
except subprocess.TimeoutExpired:
    qemu.kill()
print(f"1..{count}")
sys.exit(1 if failed else 0)
