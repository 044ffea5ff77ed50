"""Run the lessons in a real Jupyter kernel and save them with their outputs.

    python notebooks/run_all.py              # every notebook, outputs written in place
    python notebooks/run_all.py 03_*.ipynb   # some of them
    python notebooks/run_all.py --check      # run, write nothing (what the tests do)

A file is written only when its outputs changed: no timings are recorded and
consecutive prints are merged into one output, so running an unchanged lesson
again leaves its file as it was.

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
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                coalesce_streams=True,   # one output per stream: how print() flushes varies
                                resources={"metadata": {"path": scratch}})
        client.execute()
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the lesson notebooks in a Jupyter kernel.")
    parser.add_argument("notebooks", nargs="*", help="names or globs under notebooks/ (default: all)")
    parser.add_argument("--check", action="store_true", help="run only; do not write the outputs back")
    args = parser.parse_args(argv)
    patterns = args.notebooks or ["*.ipynb"]
    paths = sorted({p for pattern in patterns for p in HERE.glob(pattern)})
    unmatched = [pattern for pattern in patterns if not any(HERE.glob(pattern))]
    if unmatched or not paths:
        parser.error(f"no notebook under {HERE} matches {', '.join(unmatched or patterns)}")
    for path in paths:
        start = time.perf_counter()
        nb = run(path)
        seconds = time.perf_counter() - start
        if args.check:
            print(f"{path.name}: ran in {seconds:.1f} s (not written)")
            continue
        nbformat.validate(nb)
        text = nbformat.writes(nb) + "\n"
        if path.read_text(encoding="utf-8") == text:
            print(f"{path.name}: ran in {seconds:.1f} s, unchanged")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: ran in {seconds:.1f} s, written ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
