"""Latency summaries (milliseconds) and the machine the figures were taken on."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path

from app.storage.engine import sqlite3


def summarize(seconds: list[float]) -> dict[str, float]:
    """p50, p95, max and mean of some durations, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0, "mean": 0.0}
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50": round(statistics.median(ms), 3), "p95": round(p95, 3),
            "max": round(ms[-1], 3), "mean": round(statistics.fmean(ms), 3)}


def _first_line(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return ""
    return ""


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip()


def machine_info() -> dict[str, object]:
    """Where the benchmark ran: CPU, memory, OS, Python, SQLite, commit."""
    mem_kb = _first_line("/proc/meminfo", "MemTotal").split(" ")[0]
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_mb": int(mem_kb) // 1024 if mem_kb.isdigit() else None,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }
