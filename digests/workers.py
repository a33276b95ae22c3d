"""How many forked worker processes a CPU-bound batch (ingest, story building) may use.

Forking is cheap on Linux and lets big batches use every CPU, but a process that
forks while another thread holds a lock (an event loop's executor, a database
driver's thread, a progress bar's refresh thread) can hand its children a lock
nobody will release. So the default is: several workers only on Linux, only for
big batches, and only when this process runs a single thread.
"""

from __future__ import annotations

import os
import sys
import threading

MAX_WORKERS = 8


def worker_count(items: int, requested: int | None, *, min_items: int) -> int:
    """``requested`` (capped by ``items``) when given; else one per CPU if forking is safe."""
    if requested is not None:
        return max(1, min(requested, items))
    if items < min_items or not sys.platform.startswith("linux"):
        return 1
    if threading.current_thread() is not threading.main_thread() or threading.active_count() > 1:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))
