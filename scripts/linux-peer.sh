#!/bin/sh
# The Linux peer of `make bench`: boots Debian's Linux 6.1 for the Malta
# board on the same emulated machine and -icount setting as Aegis, with
# bench/linux/lbench.c as /init, and writes build/bench/linux.log.
#
#   sh scripts/linux-peer.sh [--boots N] [--jobs N] [--scale X] [--reps N] [--only GROUP]
#
#   --boots N   boots to run (default 3, or $LINUX_BENCH_BOOTS); mprotect
#               figures move by about 1 % from one boot to the next, so the
#               log keeps, for each key, the median over the boots
#   --jobs N    boots run at the same time (default: all of them; each
#               QEMU keeps one core busy, and -icount makes the figures
#               independent of how fast the host runs them, so 3 boots on
#               2 cores end sooner together than 2 + 1)
#   --scale X   multiply lbench's iteration counts (default 1; 0.1 for a
#               quick look) - or $LBENCH_SCALE
#   --reps N    repetitions of each benchmark inside one boot (default 15)
#   --only G    run only lbench's groups whose name contains G
#               (syscall, exceptions, tlb, sched, vm, proc)
#
# What it does, each step skipped when already done:
#   1. installs the Debian packages it needs when missing (sudo if not root);
#   2. fetches the kernel: the versioned linux-image-6.1.0-NN-4kc-malta
#      package that linux-image-4kc-malta:mipsel depends on, with
#      `apt-get download` (after `dpkg --add-architecture mipsel`), unpacked
#      with dpkg-deb, not installed, into build/linux/ (only its boot/
#      folder is kept; later runs download nothing);
#   3. builds lbench and /tiny statically and a gzip'd newc cpio initramfs;
#   4. boots QEMU N times (build/bench/linux-boot<i>.log), then writes the
#      per-key medians to build/bench/linux.log.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LDIR=$ROOT/build/linux
BDIR=$ROOT/build/bench

BOOTS=${LINUX_BENCH_BOOTS:-3}
JOBS=""
SCALE=${LBENCH_SCALE:-}
REPS=${LBENCH_REPS:-}
ONLY=${LBENCH_ONLY:-}
while [ $# -gt 0 ]; do
    case "$1" in
    --boots) BOOTS=$2; shift 2 ;;
    --jobs)  JOBS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --reps)  REPS=$2; shift 2 ;;
    --only)  ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "linux-peer: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$BOOTS" -ge 1 ] 2>/dev/null || { echo "linux-peer: --boots wants a number >= 1" >&2; exit 2; }
[ -n "$JOBS" ] || JOBS=$BOOTS
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=1

START=$(date +%s)
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

say() { echo "linux-peer: $*"; }

# ---- 1. packages -------------------------------------------------------
need=""
for p in qemu-system-mips gcc-mipsel-linux-gnu libc6-dev-mipsel-cross cpio gzip; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        need="$need $p"
    fi
done
APT_UPDATED=""
if [ -n "$need" ]; then
    say "installing$need"
    $SUDO apt-get update -q
    APT_UPDATED=1
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need
fi

# ---- 2. the kernel -----------------------------------------------------
if [ ! -s "$LDIR/vmlinuz" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
        say "adding the mipsel architecture to dpkg (for apt-get download only)"
        $SUDO dpkg --add-architecture mipsel
        APT_UPDATED=""
    fi
    [ -n "$APT_UPDATED" ] || $SUDO apt-get update -q
    # The meta package depends on the versioned image package.
    PKG=$(apt-cache depends linux-image-4kc-malta:mipsel 2>/dev/null |
          sed -n 's/^ *Depends: *\(linux-image-[0-9][^ :]*-4kc-malta\).*/\1/p' | head -n 1)
    [ -n "$PKG" ] || { echo "linux-peer: cannot resolve linux-image-4kc-malta:mipsel" >&2; exit 1; }
    say "fetching $PKG:mipsel"
    mkdir -p "$LDIR/deb"
    rm -f "$LDIR"/deb/*.deb
    # apt's download sandbox user must be able to write the folder.
    chmod 777 "$LDIR/deb" 2>/dev/null || true
    (cd "$LDIR/deb" && apt-get download -q "$PKG:mipsel")
    DEB=$(ls "$LDIR"/deb/*.deb | head -n 1)
    rm -rf "$LDIR/boot"
    mkdir -p "$LDIR/x"
    # Unpacked, not installed: only ./boot (the kernel, its config and
    # System.map) is kept; the modules are not needed by an initramfs boot.
    dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$LDIR/x" ./boot
    mv "$LDIR/x/boot" "$LDIR/boot"
    rm -rf "$LDIR/x" "$LDIR/deb"
    K=$(ls "$LDIR"/boot/vmlinuz-* | head -n 1)
    cp "$K" "$LDIR/vmlinuz.tmp" && mv "$LDIR/vmlinuz.tmp" "$LDIR/vmlinuz"
    echo "$PKG $(basename "$DEB")" > "$LDIR/VERSION"
fi
KVER=$(cat "$LDIR/VERSION" 2>/dev/null || echo unknown)
say "kernel: $KVER"

# ---- 3. lbench, /tiny and the initramfs ---------------------------------
CC=mipsel-linux-gnu-gcc
IR=$LDIR/initramfs
rm -rf "$IR"
mkdir -p "$IR" "$BDIR"
$CC -static -O2 -Wall -Wextra -Werror -o "$IR/init" bench/linux/lbench.c
$CC -static -nostdlib -O2 -fno-pic -mno-abicalls -Wall -Wextra -Werror \
    -o "$IR/tiny" bench/linux/tiny.c
mipsel-linux-gnu-strip "$IR/init" "$IR/tiny"
(cd "$IR" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n > "$LDIR/initrd.gz"

# ---- 4. the boots --------------------------------------------------------
APPEND="console=ttyS0 quiet rdinit=/init norandmaps"
[ -n "$SCALE" ] && APPEND="$APPEND LBENCH_SCALE=$SCALE"
[ -n "$REPS" ] && APPEND="$APPEND LBENCH_REPS=$REPS"
[ -n "$ONLY" ] && APPEND="$APPEND LBENCH_ONLY=$ONLY"

# timeout -k: a QEMU whose guest hangs idle under -icount sleep=off has
# been seen to ignore SIGTERM (docs/benchmarks.md).
boot() {
    timeout -k 10 900 qemu-system-mipsel -M malta -m 256 -display none -vga none -nic none \
        -no-reboot -monitor none -serial stdio \
        -icount shift=0,sleep=off,align=off \
        -rtc base=2024-01-01T00:00:00,clock=vm \
        -kernel "$LDIR/vmlinuz" -initrd "$LDIR/initrd.gz" \
        -append "$APPEND" </dev/null > "$BDIR/linux-boot$1.log" 2>&1 || true
}

say "$BOOTS boot(s), $JOBS at a time, -append \"$APPEND\""
rm -f "$BDIR"/linux-boot*.log
i=1
while [ "$i" -le "$BOOTS" ]; do
    batch=0
    while [ "$batch" -lt "$JOBS" ] && [ "$i" -le "$BOOTS" ]; do
        boot "$i" &
        i=$((i + 1))
        batch=$((batch + 1))
    done
    wait
done

# ---- 5. per-key medians -------------------------------------------------
good=""
for i in $(seq 1 "$BOOTS"); do
    log=$BDIR/linux-boot$i.log
    if grep -q "^lbench: done" "$log"; then
        good="$good $log"
    else
        say "WARNING: boot $i did not finish; its end:"
        tail -n 15 "$log" | sed 's/^/    /'
    fi
done
[ -n "$good" ] || { echo "linux-peer: no boot finished" >&2; exit 1; }

OUT=$BDIR/linux.log
{
    echo "# Linux peer: $KVER on qemu-system-mipsel -M malta -m 256 -icount shift=0,sleep=off,align=off"
    echo "# -append \"$APPEND\""
    echo "# boots:$(echo "$good" | sed "s|$BDIR/||g"); each figure is the median over the boots"
    echo "# instructions = Count ticks x 6 (Count ticks every 6 ns; 1 ns per instruction under shift=0)"
    for log in $good; do
        grep -h "^CALIB" "$log" | tr -d '\r' | sed "s|^|# $(basename "$log"): |"
        grep -h "^# tlb fit:" "$log" | tr -d '\r' | sed "s|^# |# $(basename "$log"): |"
    done
    # Keys in the order of the first good boot.
    first=$(echo "$good" | awk '{print $1}')
    for key in $(tr -d '\r' < "$first" | awk '$1 == "BENCH" {print $2}'); do
        # shellcheck disable=SC2086
        vals=$(cat $good | tr -d '\r' | awk -v k="$key" '$1 == "BENCH" && $2 == k {print $3}' | sort -g)
        iters=$(tr -d '\r' < "$first" | awk -v k="$key" '$1 == "BENCH" && $2 == k {print $4; exit}')
        echo "$vals" | awk -v k="$key" -v it="$iters" '
            { v[NR] = $1 }
            END {
                n = NR
                med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
                spread = (med > 0) ? 100 * (v[n] - v[1]) / med : 0
                printf "BENCH %s %.2f %s\n", k, med, it
                printf "# %s over %d boot(s):", k, n
                for (i = 1; i <= n; i++) printf " %.2f", v[i]
                printf " (spread %.2f %%)\n", spread
            }'
    done
} > "$OUT"

END=$(date +%s)
say "wrote $OUT ($(grep -c '^BENCH' "$OUT") figures) in $((END - START)) s"
