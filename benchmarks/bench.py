"""Every engine benchmark, one command: python benchmarks/bench.py

Prints each ratio against the fastest hand-written code next to its target,
with MET / NOT MET, and PyTorch's figures where torch is installed. Timing
rules: benchmarks/harness.py (one BLAS thread, interleaved rounds, median of
per-round ratios with the 10th-90th percentile spread)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

harness.pin()                        # one BLAS thread, before numpy loads

import bench_scalar  # noqa: E402
import bench_tensor  # noqa: E402

if __name__ == "__main__":
    bench_scalar.main()
    bench_tensor.main()
    torch = harness.load_torch()
    print(f"PyTorch: {torch.__version__}, one thread" if torch is not None else "PyTorch: not installed")
