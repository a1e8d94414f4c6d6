#!/usr/bin/env python3
"""Summarise where a logferry JVM spent its CPU, from a Java Flight Recorder file.

  jfr-top.py RECORDING.jfr [--from EPOCH_S] [--to EPOCH_S] [--top N] [--depth N]
             [--tasks-start FILE --tasks-end FILE --clk-tck N] [--states FILE [--states-top N]] [--waits-top N]
             [--perf perf.data]

Reads jdk.ExecutionSample (a thread running Java code) and jdk.NativeMethodSample (a thread inside a native
method, e.g. SQLite's C code behind JNI) through `jfr print --json`, keeps the samples taken between --from
and --to (Unix seconds, e.g. the benchmark's timed window), and prints:

  * samples per thread,
  * CPU seconds per thread in the window, when given two snapshots of /proc/PID/task/*/stat written by
    ingest-bench.sh (lines "tid ticks comm"); Java threads are named from the recording's osThreadId,
  * per thread, what it was doing on and off the CPU (state and system call), from the samples of
    thread-states.py (--states),
  * from a `perf record` of the same window (--perf), on-CPU samples per thread and shared object and
    the top native symbols (SQLite, JVM, kernel) of the busiest thread,
  * the top N methods by self samples (top frame) and by inclusive samples (anywhere on the stack),
  * the top N first io.logferry frames (which logferry code a sample is working for),
  * per thread, its top top-of-stack methods,
  * garbage collections in the window.

JFR takes Java and native samples on separate schedules (in the 'profile' settings every 10 ms and every
20 ms), so the two kinds are reported side by side, not added up.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone

TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def epoch(ts):
    m = TS.match(ts)
    if not m:
        raise ValueError("unexpected JFR time " + ts)
    base = datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3)))
    frac = m.group(2) or "0"
    return base.timestamp() + int(frac) / 10 ** len(frac)


def frame_name(frame):
    method = frame.get("method") or {}
    cls = (method.get("type") or {}).get("name", "?").replace("/", ".")
    return "%s.%s" % (cls, method.get("name", "?"))


def thread_name(values):
    thread = values.get("sampledThread") or values.get("eventThread") or {}
    return thread.get("javaName") or thread.get("osName") or "?"


def read_tasks(path):
    """tid -> (ticks, comm) from a snapshot written by ingest-bench.sh."""
    tasks = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) == 3:
                tasks[int(parts[0])] = (int(parts[1]), parts[2])
    return tasks


def load(path, kinds, depth):
    jfr = shutil.which("jfr")
    if not jfr:
        sys.exit("jfr-top: the JDK's jfr tool is not on the PATH")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", str(depth), "--events", ",".join(kinds), path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def perf_report(path, *options):
    """(percent, fields) rows of `perf report --stdio` without call graphs; fields split on 2+ spaces."""
    cmd = ["perf", "report", "-i", path, "--stdio", "--no-children", "-g", "none", "--percent-limit", "0.5"]
    res = subprocess.run(cmd + list(options), capture_output=True, text=True)
    rows = []
    for line in res.stdout.splitlines():
        m = re.match(r"^\s+([\d.]+)%\s+(.*)$", line)
        if m:
            rows.append((float(m.group(1)), [f.strip() for f in re.split(r"\s{2,}", m.group(2).strip())]))
    return rows


def dur_ms(values):
    """A JFR duration ("PT0.25S", "PT1M2.5S" or nanoseconds) in milliseconds."""
    d = values.get("duration", "0")
    if isinstance(d, (int, float)):
        return d / 1e6
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$", d)
    if not m:
        return 0.0
    return ((int(m.group(1) or 0) * 60 + int(m.group(2) or 0)) * 60 + float(m.group(3) or 0)) * 1000


def short_dso(name):
    name = re.sub(r"^sqlite-[\d.]+-[0-9a-f-]+-libsqlitejdbc\.so$", "libsqlitejdbc.so (SQLite C code)", name)
    return re.sub(r"^\[JIT\] tid \d+$", "[JIT] (JIT-compiled Java)", name)


def perf_summary(path, os_names, top):
    def tid_name(field):  # perf prints tids as "12345:comm"
        tid, _, comm = field.partition(":")
        return os_names.get(int(tid), comm) if tid.isdigit() else field

    by_thread = perf_report(path, "--sort", "pid")  # "pid" is the thread: "tid:comm"
    if not by_thread:
        print("\nperf: no samples (is perf allowed here? see perf.out)")
        return
    print("\nperf on-CPU samples (199 Hz, all threads) per thread:")
    for pct, fields in by_thread[:8]:
        print("  %5.1f%%  %s" % (pct, tid_name(fields[0])))
    print("\nperf on-CPU samples per shared object (JIT code is perf-PID.map):")
    for pct, fields in perf_report(path, "--sort", "dso")[:top]:
        print("  %5.1f%%  %s" % (pct, short_dso(fields[0])))
    busiest = by_thread[0][1][0].partition(":")[0]
    if busiest.isdigit():
        print("\nperf samples of the busiest thread (%s) per shared object, %% of all samples:"
              % tid_name(by_thread[0][1][0]))
        rows = [(pct, f) for pct, f in perf_report(path, "--sort", "pid,dso") if f[0].startswith(busiest + ":")]
        for pct, fields in rows[:top]:
            print("  %5.1f%%  %s" % (pct, short_dso(fields[-1])))
        print("\nperf top %d symbols of the busiest thread (%s), %% of all samples:" % (top, tid_name(by_thread[0][1][0])))
        rows = [(pct, f) for pct, f in perf_report(path, "--sort", "pid,dso,sym") if f[0].startswith(busiest + ":")]
        for pct, fields in rows[:top]:
            print("  %5.1f%%  %s" % (pct, "  ".join([short_dso(fields[1])] + fields[2:])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("recording")
    ap.add_argument("--from", dest="start", type=float, default=None, help="window start, Unix seconds")
    ap.add_argument("--to", dest="end", type=float, default=None, help="window end, Unix seconds")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--depth", type=int, default=96, help="stack frames read per sample (default 96)")
    ap.add_argument("--tasks-start", help="per-thread CPU snapshot at the window start")
    ap.add_argument("--tasks-end", help="per-thread CPU snapshot at the window end")
    ap.add_argument("--states", help="output of thread-states.py for the same window")
    ap.add_argument("--perf", help="perf.data recorded with perf record -p PID over the same window")
    ap.add_argument("--states-top", type=int, default=4, help="threads shown from --states (default 4)")
    ap.add_argument("--waits-top", type=int, default=4, help="threads shown in the park/monitor waits (default 4)")
    ap.add_argument("--clk-tck", type=int, default=100, help="clock ticks per second (getconf CLK_TCK)")
    args = ap.parse_args()

    events = load(args.recording, ["jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.GarbageCollection",
                                   "jdk.ThreadCPULoad", "jdk.ThreadStart", "jdk.ThreadPark",
                                   "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait"], args.depth)
    os_names = {}  # OS thread id -> Java thread name, from any event that names a thread
    for ev in events:
        v = ev["values"]
        for key in ("sampledThread", "eventThread", "thread"):
            t = v.get(key)
            if isinstance(t, dict) and t.get("osThreadId") and t.get("javaName"):
                os_names[t["osThreadId"]] = t["javaName"]
    events = [e for e in events if e["type"] not in ("jdk.ThreadCPULoad", "jdk.ThreadStart")]

    def in_window(ev):
        t = epoch(ev["values"]["startTime"])
        return (args.start is None or t >= args.start) and (args.end is None or t <= args.end)

    events = [e for e in events if in_window(e)]
    kinds = {"jdk.ExecutionSample": "java", "jdk.NativeMethodSample": "native"}
    per_thread = collections.defaultdict(collections.Counter)      # thread -> kind -> samples
    self_top = {k: collections.Counter() for k in kinds.values()}
    inclusive = {k: collections.Counter() for k in kinds.values()}
    logferry_frame = {k: collections.Counter() for k in kinds.values()}
    thread_top = collections.defaultdict(collections.Counter)      # (thread, kind) -> top frame
    totals = collections.Counter()
    gcs = []
    waits = collections.defaultdict(collections.Counter)  # thread -> waiting site -> ms
    wait_durations = collections.defaultdict(list)         # (thread, site) -> [ms]
    for ev in events:
        values = ev["values"]
        if ev["type"] == "jdk.GarbageCollection":
            gcs.append(values)
            continue
        if ev["type"] in ("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait"):
            frames = [frame_name(f) for f in ((values.get("stackTrace") or {}).get("frames") or [])]
            # The waiting site: the first frame that is not the parking machinery itself.
            site = next((f for f in frames if not f.startswith(
                ("jdk.internal.misc.Unsafe.", "java.util.concurrent.locks.", "java.lang.Object.wait"))),
                frames[-1] if frames else "?")
            what = {"jdk.ThreadPark": "park", "jdk.JavaMonitorEnter": "monitor enter",
                    "jdk.JavaMonitorWait": "monitor wait"}[ev["type"]]
            key = "%s in %s" % (what, site)
            waits[thread_name(values)][key] += dur_ms(values)
            wait_durations[(thread_name(values), key)].append(dur_ms(values))
            continue
        kind = kinds[ev["type"]]
        frames = [frame_name(f) for f in ((values.get("stackTrace") or {}).get("frames") or [])]
        if not frames:
            continue
        thread = thread_name(values)
        totals[kind] += 1
        per_thread[thread][kind] += 1
        self_top[kind][frames[0]] += 1
        for name in set(frames):
            inclusive[kind][name] += 1
        own = next((f for f in frames if f.startswith("io.logferry.")), "(no io.logferry frame)")
        logferry_frame[kind][own] += 1
        thread_top[(thread, kind)][frames[0]] += 1

    window = ""
    if args.start is not None and args.end is not None:
        window = " in a %.1f s window" % (args.end - args.start)
    print("== JFR profile%s: %d Java samples, %d native samples ==" % (window, totals["java"], totals["native"]))

    def pct(n, kind):
        return 100.0 * n / totals[kind] if totals[kind] else 0.0

    if args.tasks_start and args.tasks_end:
        before, after = read_tasks(args.tasks_start), read_tasks(args.tasks_end)
        rows = []
        for tid, (ticks, comm) in after.items():
            used = (ticks - before.get(tid, (0, comm))[0]) / args.clk_tck
            if used > 0:
                rows.append((used, os_names.get(tid, comm + " (name from /proc)"), tid))
        all_cpu = sum(r[0] for r in rows)
        print("\nCPU per thread from /proc (user + system, %.2f s in all):" % all_cpu)
        for used, name, tid in sorted(rows, reverse=True)[: max(args.top, 12)]:
            print("  %7.2f s %5.1f%%  %s [tid %d]" % (used, 100.0 * used / all_cpu if all_cpu else 0, name, tid))

    if args.states and os.path.exists(args.states):
        per_tid = collections.defaultdict(collections.Counter)
        comms = {}
        with open(args.states) as f:
            header = f.readline().split()
            n_samples = int(header[2]) if len(header) > 2 else 0
            for line in f:
                tid, comm, state, call, n = line.rstrip("\n").split("\t")
                comms[int(tid)] = comm
                per_tid[int(tid)][(state, call)] += int(n)
        busy = sorted(per_tid, key=lambda t: -sum(n for (st, c), n in per_tid[t].items()
                                                    if st in "RD" or c in ("fsync", "fdatasync", "write",
                                                                           "pwrite64", "pread64", "read")))
        print("\nthread states, sampled every 20 ms (%d samples; R = on CPU or runnable, D = waiting for disk,"
              " S = sleeping; then the system call it is in, or (on CPU) / (preempted)):" % n_samples)
        for tid in busy[:args.states_top]:
            name = os_names.get(tid, comms[tid] + " (native thread)")
            print("  %s [tid %d]" % (name, tid))
            for (state, call), n in per_tid[tid].most_common(6):
                print("    %6d %5.1f%%  %s %s" % (n, 100.0 * n / n_samples if n_samples else 0, state, call))

    if args.perf and os.path.exists(args.perf) and shutil.which("perf"):
        perf_summary(args.perf, os_names, args.top)

    print("\nsamples per thread (java / native):")
    order = sorted(per_thread, key=lambda t: -(per_thread[t]["java"] + per_thread[t]["native"]))
    for t in order:
        c = per_thread[t]
        print("  %6d %5.1f%%  /  %6d %5.1f%%   %s" % (c["java"], pct(c["java"], "java"),
                                                    c["native"], pct(c["native"], "native"), t))

    for kind in ("java", "native"):
        if not totals[kind]:
            continue
        print("\ntop %d methods by self %s samples (top frame):" % (args.top, kind))
        for name, n in self_top[kind].most_common(args.top):
            print("  %6d %5.1f%%  %s" % (n, pct(n, kind), name))
        print("\ntop %d methods by inclusive %s samples (anywhere on the stack):" % (args.top, kind))
        for name, n in inclusive[kind].most_common(args.top):
            print("  %6d %5.1f%%  %s" % (n, pct(n, kind), name))
        print("\n%s samples by the first io.logferry frame on the stack:" % kind)
        for name, n in logferry_frame[kind].most_common(args.top):
            print("  %6d %5.1f%%  %s" % (n, pct(n, kind), name))

    print("\ntop of stack per thread:")
    for t in order:
        for kind in ("java", "native"):
            counter = thread_top.get((t, kind))
            if not counter:
                continue
            n_thread = sum(counter.values())
            print("  %s [%s, %d samples]" % (t, kind, n_thread))
            for name, n in counter.most_common(5):
                print("    %6d %5.1f%%  %s" % (n, 100.0 * n / n_thread, name))

    if waits:
        print("\nwhere Java threads waited (JFR park/monitor events of 10 ms or more, by the first frame above the parking code):")
        for t in sorted(waits, key=lambda t: -sum(waits[t].values()))[:args.waits_top]:
            print("  %s: %.0f ms" % (t, sum(waits[t].values())))
            for site, ms in waits[t].most_common(3):
                d = sorted(wait_durations[(t, site)])
                print("    %8.0f ms  %4d waits, median %6.1f ms  %s" % (ms, len(d), d[len(d) // 2], site))

    if gcs:
        by_name = collections.defaultdict(list)
        for v in gcs:
            by_name[v.get("name", "?")].append(dur_ms(v))
        # G1Old is a concurrent cycle: its duration is not a pause.
        print("\ngarbage collections (JFR; G1Old/G1Full durations include concurrent work, not only pauses):")
        for name, durations in sorted(by_name.items(), key=lambda kv: -sum(kv[1])):
            print("  %-8s %4d, %6.0f ms in all, longest %.1f ms" % (name, len(durations), sum(durations),
                                                                  max(durations)))
    else:
        print("\ngarbage collections: none in the window")


if __name__ == "__main__":
    main()
