"""Run the lessons in a real Jupyter kernel and save them with their outputs.

    python notebooks/run_all.py              # every notebook, outputs written in place
    python notebooks/run_all.py 03_*.ipynb   # some of them
    python notebooks/run_all.py --check      # run, write nothing (what the tests do)

Each notebook runs top to bottom in a fresh ``python3`` kernel, in a scratch
folder (files it writes do not land in the repository), and stops at the first
error. Graphs show inline as SVG and plots as PNG, so a saved notebook reads on
any notebook viewer without running it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def run(path: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """Execute ``path`` in a fresh kernel and return the notebook with its outputs."""
    nb = nbformat.read(path, as_version=4)
    nb.nbformat_minor = max(nb.nbformat_minor, 5)               # cell ids
    for i, cell in enumerate(nb.cells):
        cell.setdefault("id", f"{path.stem[:20]}-{i:02d}")
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": scratch}})
        client.execute()
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the lesson notebooks in a Jupyter kernel.")
    parser.add_argument("notebooks", nargs="*", help="names or globs under notebooks/ (default: all)")
    parser.add_argument("--check", action="store_true", help="run only; do not write the outputs back")
    args = parser.parse_args(argv)
    paths = sorted({p for pattern in (args.notebooks or ["*.ipynb"]) for p in HERE.glob(pattern)})
    for path in paths:
        start = time.perf_counter()
        nb = run(path)
        if not args.check:
            nbformat.validate(nb)
            nbformat.write(nb, path)
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {time.perf_counter() - start:.1f} s, {size:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
