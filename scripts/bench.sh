#!/bin/sh
# `make bench`: measures Aegis/ExOS and its Linux peer in guest instructions
# per operation on the same emulated Malta board, and prints the report.
#
#   sh scripts/bench.sh [--no-linux] [linux-peer options...]
#
#   --no-linux   skip the Linux boots (about 2 to 4 minutes); the report then
#                uses build/bench/linux.log from an earlier run if there is one
#   anything else is passed to scripts/linux-peer.sh (--boots N, --scale X,
#   --reps N, --jobs N, --only GROUP)
#
# Steps: `make all`; boot build/aegis.elf under -icount with run=bench_core,
# then with run=bench (both into build/bench/aegis.log); scripts/linux-peer.sh (build/bench/linux.log);
# scripts/bench-report.py (the table, build/bench/results.csv, bench.png,
# scaling.png).  The exit status is the report's: non-zero when an Aegis
# figure is over its instruction budget.  See docs/benchmarks.md.
set -eu

cd "$(dirname "$0")/.."
LINUX=1
PEER_ARGS=""
while [ $# -gt 0 ]; do
    case "$1" in
    --no-linux) LINUX=""; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) PEER_ARGS="$PEER_ARGS $1"; shift ;;
    esac
done

mkdir -p build/bench

# The report's pictures need Debian's matplotlib (for Debian's python3).
if ! dpkg-query -W -f='${Status}' python3-matplotlib 2>/dev/null | grep -q "ok installed"; then
    echo "bench: installing python3-matplotlib"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-matplotlib
fi

make all

# Two boots: userland/bench_core (the kernel-only figures against their
# budgets: tlb_refill_hit, exc_dispatch_kernel, pct_oneway_kernel), then
# userland/bench (everything else; -m 256 for its largest working sets).
aegis_boot() {  # memory, run= list
    timeout -k 10 600 qemu-system-mipsel -M malta -m "$1" -display none -vga none -nic none \
        -no-reboot -monitor none -serial stdio -icount shift=0,sleep=off \
        -kernel build/aegis.elf -append "capkey=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n') run=$2" \
        </dev/null 2>&1 ||
        echo "bench: WARNING: the Aegis boot run=$2 ended with status $? (timeout or QEMU error)" >&2
}
echo "bench: booting Aegis/ExOS with run=bench_core, then run=bench, then run=bench_ipc"
T0=$(date +%s)
{
    aegis_boot 128 bench_core
    aegis_boot 256 bench
    aegis_boot 128 bench_ipc
} > build/bench/aegis.log
echo "bench: Aegis/ExOS: $(grep -c '^BENCH' build/bench/aegis.log || true) figures in $(( $(date +%s) - T0 )) s (build/bench/aegis.log)"

if [ -n "$LINUX" ]; then
    # shellcheck disable=SC2086
    sh scripts/linux-peer.sh $PEER_ARGS
fi

# Debian's python3 (the one python3-matplotlib is for), whatever is first
# in PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" scripts/bench-report.py
