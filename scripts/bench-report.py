#!/usr/bin/python3
"""The report of `make bench`: Aegis/ExOS against Linux, in instructions.

Reads build/bench/aegis.log and build/bench/linux.log, keeps their lines
`BENCH <key> <instructions per operation> <iterations>` (everything else is
ignored), and prints one row per operation: Aegis/ExOS, Linux, the ratio
Linux/Aegis, the instruction budget of the Aegis figure where there is one,
and OVER BUDGET when the Aegis figure exceeds it.  A figure missing on one
side prints as n/a.

Writes build/bench/results.csv, build/bench/bench.png (both systems per
operation, log scale) and build/bench/scaling.png (refill cost against the
working set with the STLB hit rate, PCT round trip against the number of
environments).  The pictures need Debian's python3-matplotlib (scripts/bench.sh
installs it); without it the table and the CSV are still written.

Exit status: 1 if any Aegis figure is over its budget, 2 if neither log has
a figure, 0 otherwise.

    scripts/bench-report.py [--aegis LOG] [--linux LOG] [--out DIR]
"""
import argparse
import csv
import math
import os
import re
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (key, human name), in the order of the 1995 paper's tables where it has one.
OPERATIONS = [
    ("null_syscall", "null system call"),
    ("null_syscall_kernel", "null system call, kernel part (vector to eret)"),
    ("syscall_lean", "system call that switches nothing (SYS_PAGE_RCAP refused)"),
    ("exc_unaligned", "exception: unaligned access, to handler and back"),
    ("exc_overflow", "exception: integer overflow, to handler and back"),
    ("exc_cpu", "exception: coprocessor unusable, to handler and back"),
    ("exc_prot", "exception: write to read-only page, to handler and back"),
    ("exc_bp", "exception: breakpoint, to handler and back"),
    ("exc_bp_full", "exception: breakpoint, to a C handler, all registers saved"),
    ("exc_dispatch_kernel", "exception dispatch, kernel part (vector to eret)"),
    ("tlb_refill_hit", "TLB refill, mapping found (STLB hit / Linux refill)"),
    ("tlb_refill_miss_pt", "TLB refill, STLB miss, page-table walk"),
    ("pct_oneway_kernel", "PCT one way, kernel part"),
    ("pct_oneway_sync", "PCT one way, synchronous"),
    ("pct_rt_sync", "PCT round trip, synchronous"),
    ("pct_oneway_async", "PCT one way, asynchronous"),
    ("pct_rt_async", "PCT round trip, asynchronous"),
    ("yield", "yield to another process"),
    ("ipc_pipe", "IPC: 1-word round trip over pipes"),
    ("ipc_shm_yield", "IPC: 1-word round trip, shared memory + yield"),
    ("ipc_lrpc", "IPC: LRPC round trip"),
    ("vm_dirty", "VM: is this page dirty?"),
    ("vm_prot1", "VM: read-protect 1 page"),
    ("vm_prot100", "VM: read-protect 100 pages"),
    ("vm_unprot100", "VM: unprotect 100 pages"),
    ("vm_trap", "VM: protection trap, to handler and back"),
    ("vm_appel1", "VM: Appel-Li trap+prot1+unprot, per page"),
    ("vm_appel2", "VM: Appel-Li prot100+trap+unprot, per page"),
    ("proc_forkwait", "process: fork + exit + wait"),
    ("proc_spawn", "process: spawn a tiny program + wait"),
    # Linux-only rows that help read the others.
    ("exc_unaligned_fixup", "unaligned access fixed up by the kernel, no handler"),
    ("proc_spawn_libc", "process: spawn a static-glibc program + wait"),
    ("vm_trap_unprot", "VM: protection trap, handler unprotects, retry"),
]
# Rows shown only when a log has them.
OPTIONAL = {"exc_unaligned_fixup", "proc_spawn_libc", "vm_trap_unprot"}
NAMES = dict(OPERATIONS)

# Instruction budgets of Aegis figures (make test checks them too).
BUDGETS = {
    "null_syscall": 25,
    "exc_unaligned": 50,
    "exc_overflow": 50,
    "exc_cpu": 50,
    "exc_bp": 50,
    "tlb_refill_hit": 18,
    "exc_dispatch_kernel": 18,
    "null_syscall_kernel": 19,
    "pct_oneway_kernel": 30,
}

SCALING = [
    ("scale_refill_", "refill cost per page touch, working set of {} pages"),
    ("scale_stlbhit_", "STLB hit rate in %, working set of {} pages"),
    ("scale_pct_rt_", "PCT round trip with {} environments alive"),
]

BENCH_RE = re.compile(r"^BENCH\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*$")


def read_log(path):
    """{key: value} from the BENCH lines of a log (median if a key repeats)."""
    values = {}
    if not os.path.exists(path):
        print(f"bench-report: no {path}", file=sys.stderr)
        return {}
    with open(path, errors="replace") as f:
        for line in f:
            m = BENCH_RE.match(line.strip().replace("\r", ""))
            if not m:
                continue
            try:
                v = float(m.group(2))
            except ValueError:
                continue                  # "n/a" or garbage: missing
            if math.isfinite(v):
                values.setdefault(m.group(1), []).append(v)
    return {k: statistics.median(v) for k, v in values.items()}


def scaling_key(key):
    for prefix, fmt in SCALING:
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            return prefix, int(key[len(prefix):]), fmt.format(key[len(prefix):])
    return None


def name_of(key):
    if key in NAMES:
        return NAMES[key]
    s = scaling_key(key)
    return s[2] if s else key


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}"


def rows_of(aegis, linux):
    """The table: known operations first, then anything else either log has
    (scaling keys go to their own table)."""
    keys = [k for k, _ in OPERATIONS]
    extra = sorted(k for k in set(aegis) | set(linux)
                   if k not in NAMES and not scaling_key(k))
    rows = []
    for key in keys + extra:
        if key in OPTIONAL and key not in linux and key not in aegis:
            continue
        a, l = aegis.get(key), linux.get(key)
        budget = BUDGETS.get(key)
        over = a is not None and budget is not None and a > budget
        ratio = l / a if a and l is not None else None
        rows.append(dict(key=key, name=name_of(key), aegis=a, linux=l, ratio=ratio,
                         budget=budget, over=over))
    return rows


def scaling_rows(aegis, linux):
    found = {}
    for key in set(aegis) | set(linux):
        s = scaling_key(key)
        if s:
            found[key] = s
    order = [p for p, _ in SCALING]
    keys = sorted(found, key=lambda k: (order.index(found[k][0]), found[k][1]))
    return [dict(key=k, name=found[k][2], aegis=aegis.get(k), linux=linux.get(k),
                 ratio=(linux[k] / aegis[k] if aegis.get(k) and k in linux else None),
                 budget=None, over=False) for k in keys]


def print_table(title, rows):
    w = max([len("operation")] + [len(r["name"]) for r in rows])
    print(title)
    head = f"{'operation':<{w}}  {'Aegis/ExOS':>11}  {'Linux':>11}  {'Linux/Aegis':>11}  {'budget':>6}"
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = f"{r['ratio']:.1f}x" if r["ratio"] is not None else "n/a"
        budget = str(r["budget"]) if r["budget"] is not None else ""
        flag = "  OVER BUDGET" if r["over"] else ""
        print(f"{r['name']:<{w}}  {fmt(r['aegis']):>11}  {fmt(r['linux']):>11}  "
              f"{ratio:>11}  {budget:>6}{flag}")
    print()


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["key", "name", "aegis", "linux", "ratio", "budget", "over"])
        for r in rows:
            out.writerow([r["key"], r["name"],
                          "" if r["aegis"] is None else f"{r['aegis']:.2f}",
                          "" if r["linux"] is None else f"{r['linux']:.2f}",
                          "" if r["ratio"] is None else f"{r['ratio']:.3f}",
                          "" if r["budget"] is None else r["budget"],
                          "yes" if r["over"] else "no"])


def plots(outdir, rows, aegis, linux):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench-report: python3-matplotlib is missing: no pictures "
              "(apt-get install python3-matplotlib)", file=sys.stderr)
        return []
    written = []

    # bench.png: one pair of bars per operation that has a figure.
    shown = [r for r in rows if r["aegis"] or r["linux"]]
    if shown:
        fig, ax = plt.subplots(figsize=(12, 0.32 * len(shown) + 1.8))
        y = list(range(len(shown)))
        h = 0.4
        av = [r["aegis"] if r["aegis"] else 0 for r in shown]
        lv = [r["linux"] if r["linux"] else 0 for r in shown]
        ax.barh([i - h / 2 for i in y], av, h, label="Aegis/ExOS", color="#1f77b4")
        ax.barh([i + h / 2 for i in y], lv, h, label="Linux 6.1", color="#d62728")
        for i, r in enumerate(shown):
            if r["over"]:
                ax.text(r["aegis"], i - h / 2, "  over budget", va="center",
                        fontsize=7, color="#1f77b4")
            if r["aegis"] is None:
                ax.text(1.05, i - h / 2, "n/a", va="center", fontsize=6, color="#1f77b4")
            if r["linux"] is None:
                ax.text(1.05, i + h / 2, "n/a", va="center", fontsize=6, color="#d62728")
        ax.set_xscale("log")
        ax.set_xlim(left=1)
        ax.set_yticks(y)
        ax.set_yticklabels([r["name"] for r in shown], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("guest instructions per operation (log scale; "
                      "qemu-system-mipsel -M malta, -icount shift=0)")
        ax.set_title("Aegis/ExOS and Linux 6.1 on the same emulated Malta board")
        ax.grid(axis="x", which="both", alpha=0.3)
        ax.legend(loc="upper right")
        fig.tight_layout()
        p = os.path.join(outdir, "bench.png")
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)

    # scaling.png: refill per touch (+ STLB hit rate), PCT round trip.
    def series(prefix, src):
        pts = sorted((int(k[len(prefix):]), v) for k, v in src.items()
                     if k.startswith(prefix) and k[len(prefix):].isdigit())
        return [p for p, _ in pts], [v for _, v in pts]

    ra, rl = series("scale_refill_", aegis), series("scale_refill_", linux)
    ha = series("scale_stlbhit_", aegis)
    pa, pl = series("scale_pct_rt_", aegis), series("scale_pct_rt_", linux)
    if ra[0] or rl[0] or pa[0] or pl[0] or ha[0]:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
        if ra[0]:
            ax1.plot(*ra, "o-", color="#1f77b4", label="Aegis/ExOS: insns per touch")
        if rl[0]:
            ax1.plot(*rl, "s-", color="#d62728", label="Linux 6.1: insns per touch")
        ax1.set_xscale("log", base=2)
        ys = [v for v in ra[1] + rl[1] if v and v > 0]
        if ys and max(ys) / min(ys) > 20:      # an STLB overflow dwarfs the rest
            ax1.set_yscale("log")
        ax1.set_xlabel("working set (pages, touched in turn)")
        ax1.set_ylabel("instructions per page touch")
        ax1.set_title("TLB refill cost against the working set")
        ax1.grid(alpha=0.3)
        lines, labels = ax1.get_legend_handles_labels()
        if ha[0]:
            ax1b = ax1.twinx()
            ax1b.plot(*ha, "^--", color="#2ca02c", label="Aegis: STLB hit rate (%)")
            ax1b.set_ylabel("STLB hit rate (%)")
            ax1b.set_ylim(0, 105)
            l2, lab2 = ax1b.get_legend_handles_labels()
            lines, labels = lines + l2, labels + lab2
        if lines:
            ax1.legend(lines, labels, fontsize=8, loc="center left")
        if pa[0]:
            ax2.plot(*pa, "o-", color="#1f77b4", label="Aegis/ExOS")
        if pl[0]:
            ax2.plot(*pl, "s-", color="#d62728", label="Linux 6.1")
        if not pa[0] and not pl[0]:
            ax2.text(0.5, 0.5, "no scale_pct_rt_<N> figures", ha="center",
                     transform=ax2.transAxes)
        ax2.set_xscale("log", base=2)
        ax2.set_xlabel("environments alive")
        ax2.set_ylabel("instructions per PCT round trip")
        ax2.set_title("PCT round trip against the number of environments")
        ax2.grid(alpha=0.3)
        if pa[0] or pl[0]:
            ax2.legend(fontsize=8)
        fig.tight_layout()
        p = os.path.join(outdir, "scaling.png")
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aegis", default=os.path.join(ROOT, "build/bench/aegis.log"))
    ap.add_argument("--linux", default=os.path.join(ROOT, "build/bench/linux.log"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build/bench"))
    args = ap.parse_args()

    aegis, linux = read_log(args.aegis), read_log(args.linux)
    if not aegis and not linux:
        print("bench-report: neither log has a BENCH line", file=sys.stderr)
        return 2
    if not aegis:
        print("bench-report: WARNING: no Aegis/ExOS figures (the Aegis column is n/a)",
              file=sys.stderr)

    rows = rows_of(aegis, linux)
    srows = scaling_rows(aegis, linux)
    print("Guest instructions per operation, qemu-system-mipsel -M malta -icount shift=0 "
          "(Count ticks x 6)\n")
    print_table("Operations", rows)
    if srows:
        print_table("Scaling", srows)

    os.makedirs(args.out, exist_ok=True)
    csv_path = os.path.join(args.out, "results.csv")
    write_csv(csv_path, rows + srows)
    written = [csv_path] + plots(args.out, rows, aegis, linux)
    print("wrote " + ", ".join(os.path.relpath(p, ROOT) if p.startswith(ROOT) else p
                               for p in written))

    over = [r for r in rows if r["over"]]
    if over:
        for r in over:
            print(f"OVER BUDGET: {r['key']} = {r['aegis']:.2f} instructions, "
                  f"budget {r['budget']}")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:             # e.g. piped into head
        sys.exit(0)
