#!/bin/sh
# test/run.sh - runs every test of the project and ends with the summary
# line "N passed, N failed".  Called by `make test` after the build.
#
# Two kinds of tests, one output format (TAP: "ok N - name", "not ok N -
# name", and a closing plan line "1..N"):
#   host   build/host/test_*: cmocka unit tests of pure kernel logic;
#   guest  kernels booted under QEMU with -icount (deterministic) and a
#          time-out; their console output is the result.
# A guest run that panics, hangs, or stops before its plan line counts as a
# failure, with the end of its console log printed to say why.  Full logs
# are kept in build/test-logs/.
set -u
cd "$(dirname "$0")/.."

LOGS=build/test-logs
TIMEOUT=${GUEST_TIMEOUT:-120}     # seconds of host time per boot
QEMU="qemu-system-mipsel -M malta -display none -vga none -nic none -no-reboot -monitor none -serial stdio -icount shift=0,sleep=off"
rm -rf "$LOGS"
mkdir -p "$LOGS"
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "  FAIL $*"; }

# Shows why a run went wrong: the end of its log.
show_log() {
    echo "  --- last lines of $1 ---"
    tail -n 25 "$1" | sed 's/^/  | /'
}

# tap LOG NAME: adds LOG's TAP results to the totals.  A missing or wrong
# plan line, or an early stop (status != 0), is one more failure.
tap() {
    log=$1 name=$2 status=$3
    ok=$(grep -c '^ok [0-9]' "$log")
    nok=$(grep -c '^not ok [0-9]' "$log")
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
    passed=$((passed + ok))
    grep '^not ok [0-9]' "$log" | while IFS= read -r line; do echo "  FAIL $name: $line"; done
    failed=$((failed + nok))
    bad=""
    [ "$status" -eq 124 ] && bad="timed out after ${TIMEOUT}s"
    [ -z "$bad" ] && grep -q '^PANIC:' "$log" && bad="kernel panic"
    [ -z "$bad" ] && [ -z "$plan" ] && bad="no verdict (plan line 1..N missing)"
    [ -z "$bad" ] && [ "$plan" -ne $((ok + nok)) ] && bad="plan says $plan checks, saw $((ok + nok))"
    if [ -n "$bad" ]; then
        fail "$name: $bad"
        show_log "$log"
    fi
    echo "$name: $ok passed, $nok failed"
}

# A fresh capability key for every boot, from the host (the board has no
# random-number device: docs/security.md); CAPKEY=<32 hex digits> fixes it.
capkey() {
    echo "${CAPKEY:-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"
}

# boot NAME KERNEL MEM_MB APPEND: boots a kernel, log in $LOGS/NAME.log,
# returns timeout's status (124 on a time-out).
boot() {
    timeout "$TIMEOUT" $QEMU -m "$3" -kernel "$2" -append "capkey=$(capkey) $4" < /dev/null 2>&1 \
        | tr -d '\r' > "$LOGS/$1.log"
    # POSIX sh has no PIPESTATUS: a time-out shows as a log without the
    # kernel's last words, which every caller checks for.
    if grep -q -e '^aegis: shutting down' -e '^PANIC:' "$LOGS/$1.log"; then
        return 0
    fi
    return 124
}

# --- host unit tests ------------------------------------------------------
echo "== host unit tests (cmocka)"
for t in build/host/test_*; do
    name=host/$(basename "$t" | sed 's/^test_//')
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$LOGS/$(basename "$t").log" 2>&1
    tap "$LOGS/$(basename "$t").log" "$name" 0
done

# --- in-guest tests -------------------------------------------------------
echo "== in-guest tests (QEMU Malta, -icount)"
KT=build/aegis-test.elf

# The kernel self-tests, at two RAM sizes (the kernel must find each).
for mb in 128 64; do
    boot "ktest-${mb}m" $KT $mb "ktest expect_mem_kb=$((mb * 1024))"
    tap "$LOGS/ktest-${mb}m.log" "guest/ktest-${mb}m" $?
done

# Every in-guest test program (userland/t_*.c) runs as the first
# environment of its own boot and prints TAP.  t_hostile is followed by
# every mode of userland/hostile.c and then by a normal program.
HOSTILE="hostile+nohandler,hostile+wildhandler,hostile+khandler,hostile+garbage"
HOSTILE="$HOSTILE,hostile+freexframe,hostile+freecode,hello"
for src in userland/t_*.c; do
    prog=$(basename "$src" .c)
    run="$prog"
    [ "$prog" = t_hostile ] && run="$prog,$HOSTILE"
    # A test may ask for kernel arguments in a " * kernel-args: ..." line.
    args=$(sed -n 's/^ \* kernel-args: //p' "$src")
    boot "$prog" build/aegis.elf 128 "run=$run $args"
    tap "$LOGS/$prog.log" "guest/$prog" $?
done

# The same programs again with other timer ticks: preemption and upcalls
# then strike at other instructions, which shakes out races that one
# deterministic schedule would hide.  (t_pct at 1500 us is the one that
# found the scheduler resuming a PCT-only server from stale registers.)
for run in "t_vm 1500 3100" "t_exceptions 1500 3100" "t_fpu 1500 3100" \
           "t_pct 333 777 1500 3100" "t_revoke 1500 3100" "t_protect 1500" \
           "t_fork 333 1500" "t_spawn 1500" "t_pager 1500" "t_pipe 1500" "t_shm 1500"; do
    set -- $run
    prog=$1; shift
    for tick in "$@"; do
        boot "$prog-tick$tick" build/aegis.elf 128 "run=$prog tick_us=$tick"
        tap "$LOGS/$prog-tick$tick.log" "guest/$prog@tick_us=$tick" $?
    done
done

# The benchmark suite, short (make bench runs it in full): every figure is
# there, every process it starts ends normally.
boot bench-quick build/aegis.elf 128 "run=bench+quick"
status=$?
missing=""
for key in null_syscall syscall_lean exc_cpu exc_unaligned exc_overflow exc_bp exc_prot pct_rt_sync \
           pct_oneway_sync pct_rt_async pct_oneway_async yield scale_pct_rt_64 vm_dirty vm_prot1 \
           vm_prot100 vm_unprot100 vm_trap vm_appel1 vm_appel2 proc_forkwait proc_spawn \
           scale_refill_2048 scale_stlbhit_2048 tlb_refill_miss_pt; do
    grep -q "^BENCH $key [0-9]" "$LOGS/bench-quick.log" || missing="$missing $key"
done
if [ "$status" -ne 0 ] || [ -n "$missing" ] || ! grep -q '^bench: done' "$LOGS/bench-quick.log" ||
        grep -q 'destroyed\|^exos: pid' "$LOGS/bench-quick.log"; then
    fail "guest/bench-quick: missing figures:$missing (or a process died)"; show_log "$LOGS/bench-quick.log"
else
    pass; echo "guest/bench-quick: all $(grep -c '^BENCH' "$LOGS/bench-quick.log") figures"
fi

# Issue 13's budgets that the quick suite already measures (instructions per
# operation, whole round trips as userland/bench.c times them).
for pair in null_syscall:25 exc_cpu:50 exc_unaligned:50 exc_overflow:50 exc_bp:50; do
    key=${pair%%:*} budget=${pair#*:}
    v=$(sed -n "s/^BENCH $key \([0-9.]*\) .*/\1/p" "$LOGS/bench-quick.log")
    if [ -n "$v" ] && awk -v v="$v" -v b="$budget" 'BEGIN { exit !(v > 0 && v <= b) }'; then
        pass; echo "guest/budget: $key $v within $budget"
    else
        fail "guest/budget: $key ${v:-missing} over its budget of $budget"
    fi
done

# The figures do not depend on the capability key: the same quick suite
# under a key of all digits and one of all letters (a key-dependent parse
# once shifted every timer tick of the run) gives the same BENCH lines.
for k in 00000000000000000000000000000000 ffffffffffffffffffffffffffffffff; do
    CAPKEY=$k boot "bench-quick-$k" build/aegis.elf 128 "run=bench+quick"
    grep '^BENCH' "$LOGS/bench-quick-$k.log" > "$LOGS/bench-quick-$k.bench"
done
if [ -s "$LOGS/bench-quick-00000000000000000000000000000000.bench" ] &&
        cmp -s "$LOGS/bench-quick-00000000000000000000000000000000.bench" \
               "$LOGS/bench-quick-ffffffffffffffffffffffffffffffff.bench"; then
    pass; echo "guest/key-independent: the same figures under two capability keys"
else
    fail "guest/key-independent: the figures change with the capability key"
    diff "$LOGS/bench-quick-00000000000000000000000000000000.bench" \
         "$LOGS/bench-quick-ffffffffffffffffffffffffffffffff.bench" | head -10 | sed 's/^/  | /'
fi

# The shell, driven through the console as a person would (test/shell.py).
timeout "$TIMEOUT" python3 test/shell.py "$LOGS/shell-console.log" > "$LOGS/shell.log" 2>&1
tap "$LOGS/shell.log" "guest/shell" $?

# Each hostile mode ended in its destruction, reported on the console, and
# the normal program after them ran to its end.
log="$LOGS/t_hostile.log"
for mode in nohandler wildhandler khandler garbage freexframe freecode; do
    if sed -n "/^hostile: $mode\$/,/^aegis: env/p" "$log" |
            grep -q '^aegis: env [0-9]* destroyed: exception it could not take'; then
        pass; echo "guest/hostile-$mode: destroyed, the kernel runs on"
    else
        fail "guest/hostile-$mode: no destruction report after it"
    fi
done
if grep -q 'still alive after' "$log"; then
    fail "guest/hostile: a hostile mode was not stopped"
fi
if grep -q 'all three handled in user mode' "$log" && ! grep -q '^PANIC' "$log"; then
    pass; echo "guest/hostile-then-hello: a normal program runs after them"
else
    fail "guest/hostile-then-hello: hello did not run to its end"
fi

# expect NAME STATUS PATTERN...: one test, passed when the run ended by
# itself and every pattern (a grep -E regex) is in its log.
expect() {
    name=$1 status=$2
    shift 2
    log="$LOGS/$name.log"
    if [ "$status" -eq 124 ]; then
        fail "guest/$name: timed out after ${TIMEOUT}s"; show_log "$log"; return
    fi
    for pat in "$@"; do
        if ! grep -qE "$pat" "$log"; then
            fail "guest/$name: expected /$pat/ in the console output"; show_log "$log"; return
        fi
    done
    pass
    echo "guest/$name: 1 passed, 0 failed"
}

# The production kernel boots, runs a first program (hello: printf from
# user mode, three exceptions handled by the program itself) and stops.
# (With no run= list it starts the shell, which test/shell.py drives.)
boot boot build/aegis.elf 128 "run=hello"
expect boot $? '^Aegis exokernel' 'TLB 16 entries from Config1' '^ram: 131072 KiB' \
    '^capabilities: SipHash-2-4 under a key from capkey= on the command line' \
    '^cmdline: "capkey=x{32} run=hello"' \
    '^hello from user mode, environment 1' 'unaligned load read 44332211' \
    'handler: overflow at' 'handler: breakpoint at' 'all three handled in user mode' \
    '^aegis: shutting down: no environment left to run'

# The instruction budgets of the fast paths (refill 18, dispatch 18, null call 19, PCT 30), measured under
# -icount by userland/bench_core.c: deterministic, so a plain comparison.
boot bench_core build/aegis.elf 128 "run=bench_core"
status=$?
for path in "TLB refill, STLB hit" "exception dispatch to user" "null system call" \
            "protected control transfer"; do
    line=$(grep "^$path" "$LOGS/bench_core.log")
    if [ "$status" -ne 0 ] || [ -z "$line" ]; then
        fail "guest/budget: no figure for \"$path\""; show_log "$LOGS/bench_core.log"; continue
    fi
    echo "  $line"
    if echo "$line" | awk '{ for (i = 1; i <= NF; i++) if ($i == "instructions") { v = $(i-1) }
                             match($0, /budget [0-9]+/); b = substr($0, RSTART + 7, RLENGTH - 7)
                             exit !(v + 0 > 0 && v + 0 <= b + 0) }'; then
        pass; echo "guest/budget: $path within its budget"
    else
        fail "guest/budget: $path over its budget"
    fi
done

# A kernel fault panics with a full report and QEMU exits (no hang).
boot panic $KT 128 "ktest=panic"
expect panic $? '^PANIC:' 'exception AdEL' 'badvaddr 80100002' ' ra   [0-9a-f]{8}$' \
    '^  gp   [0-9a-f]{8}'
if grep -q 'still running after the fault' "$LOGS/panic.log"; then
    fail "guest/panic: the kernel ran on after the fault"
fi

# Builds are path-independent: no loadable byte of the kernel (which carries
# every program) names the folder the project was built in, so a clone
# elsewhere builds the same images and measures the same figures.
mipsel-linux-gnu-objcopy -O binary build/aegis.elf "$LOGS/aegis.bin"
if grep -q -a -F "$(pwd)" "$LOGS/aegis.bin"; then
    fail "build/path-independent: the kernel image names $(pwd) ($(grep -c -a -F "$(pwd)" "$LOGS/aegis.bin") times)"
else
    pass; echo "build/path-independent: no build path in the kernel image"
fi
rm -f "$LOGS/aegis.bin"

# make run measures right by default: it boots under -icount like the tests.
if make -s -n run RUN=hello CAPKEY=0 2>/dev/null | grep -q -e '-icount shift=0'; then
    pass; echo "build/run-icount: make run boots under -icount"
else
    fail "build/run-icount: make run boots without -icount"
fi

# The runner itself: a deliberately failing check must be counted as failed.
boot runner-selftest $KT 128 "ktest=fail"
if grep -q '^not ok 1 - runner self-test' "$LOGS/runner-selftest.log"; then
    pass; echo "guest/runner-selftest: a failing check is seen as failing"
else
    fail "guest/runner-selftest: the deliberately failing check was not reported"
    show_log "$LOGS/runner-selftest.log"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
