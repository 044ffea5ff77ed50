"""Timing rules shared by every benchmark (the house rules for honest numbers).

* One BLAS thread: ``pin()`` before numpy is imported (the scripts do it first).
* Every side of a comparison runs in the same process, interleaved round by
  round (the order rotates each round), so machine noise hits all of them;
  a tensor epoch (a few milliseconds) runs once untimed just before its timed run.
* The figure quoted is the median of the per-round ratios, with their spread
  (the 10th and 90th percentiles), never the best run.
"""
from __future__ import annotations

import functools
import gc
import os
import statistics
import time
from typing import Callable, Dict, Optional


def pin() -> None:
    """One BLAS thread, for numpy and everything it loads (call before importing numpy)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        os.environ[var] = "1"
    try:  # a BLAS that is already loaded gets pinned too
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:  # pragma: no cover
        pass


_TORCH: list = []


def load_torch():
    """PyTorch with one thread, or None where it is not installed. Loaded on
    first use, after the scalar figures: importing it grows the heap that
    CPython's garbage collector scans while scalar graphs are built."""
    if not _TORCH:
        try:
            import torch
            torch.set_num_threads(1)
        except ImportError:
            torch = None
        _TORCH.append(torch)
    return _TORCH[0]


def interleaved(cases: Dict[str, Callable[[], object]], rounds: int, collect: bool = True,
                warmup: int = 0) -> Dict[str, list]:
    """Run each case once per round, rotating the order; return the wall times.
    ``collect``: a full ``gc.collect()`` before each case, so that each starts
    from the same collector state; without it the collector runs as it does in
    a training loop, its full collections included. ``warmup``: untimed runs
    of the case just before its timed one (after the collection), every round:
    a case of a few milliseconds otherwise starts on caches and branch
    predictors left cold by the case before, unlike an epoch of a real
    training loop, which follows an epoch of the same code (pyperf warms up
    too). A collection pollutes the caches as well: where the collector plays
    no part (tensor epochs), leave it out."""
    names = list(cases)
    times: Dict[str, list] = {n: [] for n in names}
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            if collect:
                gc.collect()
            for _ in range(warmup):
                cases[name]()
            t = time.perf_counter()
            cases[name]()
            times[name].append(time.perf_counter() - t)
    return times


def collector_paused(fn: Callable) -> Callable:
    """``fn`` run with CPython's cyclic garbage collector paused (the references
    that show what the collector costs)."""
    @functools.wraps(fn)
    def paused(*args):
        gc.disable()
        try:
            return fn(*args)
        finally:
            gc.enable()
    return paused


def spread(values: list) -> Dict[str, float]:
    """Median and 10th/90th percentile of ``values``."""
    q = statistics.quantiles(values, n=10, method="inclusive") if len(values) > 1 else [values[0]] * 9
    return {"median": statistics.median(values), "lo": q[0], "hi": q[-1]}


def ratio_stats(times: Dict[str, list], name: str, floor: str) -> Dict[str, float]:
    """Median and 10th/90th percentile of the per-round ratios name / floor."""
    return {**spread([a / b for a, b in zip(times[name], times[floor])]),
            "ms": statistics.median(times[name]) * 1e3}


def verdict(value: float, target: float) -> str:
    return "MET" if value <= target else "NOT MET"


def line(what: str, stats: Optional[Dict[str, float]], target: Optional[float]) -> str:
    """One printed result: median ratio, spread, median time, target, verdict."""
    if stats is None:
        return f"  {what:<44} (not run)"
    tgt = f"target <= {target:.2f}x  {verdict(stats['median'], target)}" if target else "(reference)"
    return (f"  {what:<44} {stats['median']:6.2f}x  [{stats['lo']:.2f}-{stats['hi']:.2f}]  "
            f"{stats['ms']:8.2f} ms   {tgt}")
