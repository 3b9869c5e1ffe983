#!/bin/sh
# scripts/fuzz.sh - `make fuzz`: one long run of the system-call fuzzer
# (userland/t_fuzz.c) under QEMU with -icount, its console on the terminal
# and in build/fuzz.log, then its verdict.
#
#   sh scripts/fuzz.sh SEED CALLS [TRACE]
#
# Exits non-zero if a check failed, the kernel panicked, or the run hung
# or stopped before its plan line.  The host-time limit grows with CALLS:
# a million calls take about a minute of host time; the limit allows
# twice that, plus a minute.
set -u
cd "$(dirname "$0")/.."

SEED=${1:-1}
CALLS=${2:-1000000}
TRACE=${3:-}
LOG=build/fuzz.log
TIMEOUT=$((60 + CALLS / 8000))
QEMU="qemu-system-mipsel -M malta -m 128 -display none -vga none -nic none -no-reboot -monitor none -serial stdio -icount shift=0,sleep=off"
# The kernel arguments t_fuzz asks for (" * kernel-args: ..." in its header).
ARGS=$(sed -n 's/^ \* kernel-args: //p' userland/t_fuzz.c)
RUN="t_fuzz+$SEED+$CALLS${TRACE:++$TRACE}"

echo "make fuzz: run=$RUN $ARGS (host-time limit ${TIMEOUT}s)"
# timeout -k: a hung QEMU may ignore SIGTERM.
# A fresh capability key, as every boot of this project gets (CAPKEY= fixes it).
KEY=${CAPKEY:-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}
timeout -k 5 "$TIMEOUT" $QEMU -kernel build/aegis.elf -append "capkey=$KEY run=$RUN $ARGS" < /dev/null 2>&1 |
    tr -d '\r' | tee "$LOG"

ok=$(grep -ac '^ok [0-9]' "$LOG")
nok=$(grep -ac '^not ok [0-9]' "$LOG")
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$LOG" | tail -n 1)
bad=""
grep -aq '^PANIC:' "$LOG" && bad="kernel panic"
[ -z "$bad" ] && ! grep -aq '^aegis: shutting down' "$LOG" && bad="no shutdown: hung, or killed after ${TIMEOUT}s"
[ -z "$bad" ] && [ -z "$plan" ] && bad="no verdict (plan line 1..N missing)"
[ -z "$bad" ] && [ "$plan" -ne $((ok + nok)) ] && bad="plan says $plan checks, saw $((ok + nok))"
echo
echo "make fuzz: seed $SEED, $CALLS calls: $ok passed, $nok failed${bad:+; $bad} (log: $LOG)"
[ -z "$bad" ] && [ "$nok" -eq 0 ]
