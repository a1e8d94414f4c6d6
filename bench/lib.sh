#!/usr/bin/env bash
# Helpers shared by the benchmark scripts (sourced, not run): arithmetic, formatting, and what /proc and the
# GC log say about a process, and the /proc readers the timed windows use. Each takes its inputs as arguments and prints its answer.

calc() { python3 -c "import sys; print(eval(sys.argv[1]))" "$1"; }

fmt() { printf "%.${2:-2}f" "$1"; }

gc_summary() { # file start end
    python3 - "$1" "$2" "$3" <<'PY'
import re, sys
from datetime import datetime
start, end = float(sys.argv[2]), float(sys.argv[3])
n = 0
total = longest = 0.0
line_re = re.compile(r"^\[([^\]]+)\] GC\(\d+\) (Pause \w+).* ([\d.]+)ms$")
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    m = line_re.match(line)
    if not m:
        continue
    t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    if start <= t <= end:
        n += 1
        total += float(m.group(3))
        longest = max(longest, float(m.group(3)))
print("%d pauses, %.0f ms in all, longest %.1f ms" % (n, total, longest))
PY
}

io_counter() {
    local key value
    while read -r key value; do
        [[ "$key" == "$2:" ]] && { echo "$value"; return 0; }
    done <"/proc/$1/io"
    echo 0
}

loadavg() { local a b c _rest; read -r a b c _rest </proc/loadavg; echo "$a $b $c"; }

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

thread_cpu() { # start end top
    python3 - "$1" "$2" "$3" "$CLK_TCK" <<'PY'
import sys
def read(p):
    out = {}
    for line in open(p):
        parts = line.rstrip("\n").split(" ", 2)
        if len(parts) == 3:
            out[int(parts[0])] = (int(parts[1]), parts[2])
    return out
a, b, top, tck = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = sorted(((t - a.get(tid, (0, c))[0]) / tck, c, tid) for tid, (t, c) in b.items())
rows = [r for r in rows if r[0] > 0]
total = sum(r[0] for r in rows)
# threads of a pool share a name up to their number: also sum them by name without trailing digits
import re, collections
groups = collections.Counter()
for s, c, _ in rows:
    groups[re.sub(r"[-#]?\d+$", "-N", c)] += s
print("    %.2f s in all; by thread name (numbers folded into N):" % total)
for name, s in groups.most_common(top):
    print("    %7.2f s %5.1f%%  %s" % (s, 100 * s / total if total else 0, name))
PY
}

# --- /proc readers (no fork: the polls share the 2 cores with what they measure) ----------------------------
now() { echo "$EPOCHREALTIME"; }                 # seconds with microseconds
now_us() { local t="$EPOCHREALTIME"; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }
# CPU ticks (user + system, all threads) of a process: fields 14 and 15 of /proc/PID/stat, counted after the
# ')' that closes the command name.
cpu_ticks() {
    local stat
    read -r stat <"/proc/$1/stat" || return 1
    stat="${stat##*) }"
    # shellcheck disable=SC2086
    set -- $stat
    echo $(( ${12} + ${13} ))
}
# One line per thread of the process: "tid ticks comm" (for the per-thread CPU tables).
task_snapshot() {
    local f stat comm
    local -a fields
    for f in /proc/"$1"/task/*/stat; do
        read -r stat <"$f" 2>/dev/null || continue
        comm="${stat#*(}"; comm="${comm%)*}"
        read -r -a fields <<<"${stat##*) }"
        echo "${stat%% *} $(( fields[11] + fields[12] )) $comm"
    done
}
# Busy and steal ticks of the whole machine (all CPUs) from the first line of /proc/stat.
machine_ticks() {
    local _cpu user nice system _idle _iowait irq softirq steal _rest
    read -r _cpu user nice system _idle _iowait irq softirq steal _rest </proc/stat
    echo "$(( user + nice + system + irq + softirq + steal )) $steal"
}

# A new work directory bench/work/<prefix><date-time>[-<random>] with a staging/ subdirectory; sets WORK.
new_work_dir() { # prefix
    local stamp; stamp="$(date +%Y%m%d-%H%M%S)"
    WORK="$BENCH_DIR/work/$1$stamp"
    while [[ -e "$WORK" ]]; do WORK="$BENCH_DIR/work/$1$stamp-$RANDOM"; done
    mkdir -p "$WORK/staging"
}

# The jar may be in the middle of a rebuild: wait until it exists and its size stays put, then run a private
# copy ($WORK/logferry.jar, its listing in $WORK/jar-listing.txt) so a rebuild during the run cannot change
# classes under the JVM. Sets JAR_ID (hash and build time); the caller's die reports a jar that never settles.
copy_stable_jar() {
    local waited=0 size1 size2
    while :; do
        if [[ -f "$JAR" ]]; then
            size1="$(stat -c %s "$JAR")"; sleep 2; size2="$(stat -c %s "$JAR" 2>/dev/null || echo -1)"
            [[ "$size1" == "$size2" && "$size1" -gt 0 ]] && break
        else
            sleep 2
        fi
        waited=$((waited + 2))
        [[ $waited -lt 300 ]] || die "$JAR is missing or keeps changing (waited ${waited}s)"
    done
    cp "$JAR" "$WORK/logferry.jar"
    # shellcheck disable=SC2034 # JAR_ID is the caller's
    JAR_ID="$(sha256sum "$WORK/logferry.jar" | cut -c1-12), built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S')"
    python3 -m zipfile -l "$WORK/logferry.jar" >"$WORK/jar-listing.txt" 2>&1 \
        || die "$JAR is not a readable jar (rebuilt mid-copy?)"
}
