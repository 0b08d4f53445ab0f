"""What every benchmark prints beside its figures: the CPU, the load, and a fixed reference
workload timed in the same run, so that a slow or busy machine is visible as such."""

from __future__ import annotations

import os
import platform
import time

import numpy as np

# Timed on the machine that produced the figures in the notes (2 cores, quiet): a machine
# whose reference takes twice as long is a slower machine, not a slower export.
_REFERENCE_REPEATS = 5


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (the platform's name elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_features() -> str:
    """The vector extensions that decide x264's and numpy's speed, and whether the cores are
    hyperthreads of fewer physical cores (then two threads do not run twice as fast)."""
    flags: set[str] = set()
    siblings = cores = 0
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "flags" and not flags:
                    flags = set(value.split())
                elif key == "siblings" and not siblings:
                    siblings = int(value)
                elif key == "cpu cores" and not cores:
                    cores = int(value)
    except (OSError, ValueError):
        return "unknown"
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    smt = f", {siblings // cores} threads per core" if cores and siblings > cores else ""
    return vector + smt


def reference_seconds() -> float:
    """Best of a few runs of a fixed single-threaded workload that mixes what an export does:
    numpy arithmetic on a 1080p frame, a float32 filter, and pure-Python loops."""
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)
    signal = rng.standard_normal(48000 * 4).astype(np.float32)
    best = float("inf")
    for _ in range(_REFERENCE_REPEATS):
        start = time.perf_counter()
        for _ in range(4):
            mixed = (frame.astype(np.uint16) * 3 + frame) >> 2
        np.convolve(signal, np.hanning(64).astype(np.float32), mode="same")
        total = 0
        for value in range(1_500_000):
            total += value * value % 7
        del mixed, total
        best = min(best, time.perf_counter() - start)
    return best


def describe_machine() -> str:
    """One paragraph: CPU model, cores, load average, and the reference workload's time."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"machine: {cpu_model()} ({cpu_features()}), {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        f"reference workload (fixed, one core): {reference_seconds() * 1000:.0f} ms"
    )


if __name__ == "__main__":
    print(describe_machine())
