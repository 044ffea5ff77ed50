"""Both engine benchmarks, one command: python benchmarks/bench.py"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import bench_scalar  # noqa: E402
import bench_tensor  # noqa: E402

if __name__ == "__main__":
    bench_scalar.report(bench_scalar.run(fused=True), "fused neurons (Value.dot, the default)")
    bench_scalar.report(bench_scalar.run(fused=False), "one * and one + node per weight (lesson graphs)")
    bench_scalar.report_chain()
    for dt in (np.float64, np.float32):
        bench_tensor.report(bench_tensor.run(dt), dt)
