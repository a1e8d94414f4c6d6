#!/usr/bin/env python3
"""Sample what every thread of a process is doing, on or off the CPU, until a stop file appears.

  thread-states.py PID STOPFILE OUTFILE [--interval SECONDS]

Every interval (default 0.02 s) it reads /proc/PID/task/*/stat (state: R running or runnable, S sleeping,
D uninterruptible, usually disk I/O) and /proc/PID/task/*/syscall (the system call a blocked thread is in,
e.g. fsync, pwrite64, futex). JFR only sees a thread while it runs Java or native code; this shows where a
thread waits. OUTFILE gets one line per (tid, comm, state, syscall) with its sample count, tab-separated,
after a first line "# samples N interval S".
"""

import collections
import os
import sys
import time

# x86_64 system call numbers that matter for a JVM writing SQLite or talking HTTP.
SYSCALLS = {0: "read", 1: "write", 3: "close", 7: "poll", 8: "lseek", 9: "mmap", 11: "munmap", 17: "pread64",
            18: "pwrite64", 19: "readv", 20: "writev", 23: "select", 24: "sched_yield", 35: "nanosleep",
            42: "connect", 43: "accept", 44: "sendto", 45: "recvfrom", 46: "sendmsg", 47: "recvmsg", 72: "fcntl", 74: "fsync", 75: "fdatasync", 76: "truncate", 77: "ftruncate", 202: "futex",
            230: "clock_nanosleep", 232: "epoll_wait", 257: "openat", 262: "newfstatat", 281: "epoll_pwait",
            293: "pipe2", 319: "memfd_create"}


def sample(pid, counts):
    base = "/proc/%d/task" % pid
    try:
        tids = os.listdir(base)
    except FileNotFoundError:
        return False
    for tid in tids:
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                stat = f.read()
            with open("%s/%s/syscall" % (base, tid)) as f:
                call = f.read().split()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        comm = stat[stat.index("(") + 1: stat.rindex(")")]
        state = stat[stat.rindex(")") + 2]
        # /proc/TID/syscall: "running" while the thread is on a CPU; "-1 ..." when it is off the CPU
        # but not in a system call (preempted, waiting for a CPU); else the number of the call it is in.
        if not call or call[0] == "running":
            name = "(on CPU)"
        elif call[0] == "-1":
            name = "(preempted)"
        else:
            name = SYSCALLS.get(int(call[0]), "syscall %s" % call[0])
        counts[(int(tid), comm, state, name)] += 1
    return True


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    pid, stop, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    interval = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--interval" else 0.02
    counts = collections.Counter()
    samples = 0
    next_at = time.monotonic()
    while not os.path.exists(stop):
        if not sample(pid, counts):
            break
        samples += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    with open(out, "w") as f:
        f.write("# samples %d interval %s\n" % (samples, interval))
        for (tid, comm, state, call), n in counts.most_common():
            f.write("%d\t%s\t%s\t%s\t%d\n" % (tid, comm, state, call, n))


if __name__ == "__main__":
    main()
