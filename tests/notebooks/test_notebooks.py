"""Every lesson notebook runs top to bottom in a real Jupyter kernel (nbclient),
as a student runs it: an error in any cell fails, a lesson that draws but shows
no picture fails, and the saved file is valid (every cell has an id) and small."""
import json
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "notebooks"))


def test_there_are_lessons():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel_and_shows_its_pictures(path):
    from run_all import run
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["nbformat"] == 4 and raw["nbformat_minor"] >= 5       # a format with cell ids...
    assert all("id" in cell for cell in raw["cells"])                  # ...and every cell has one
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
    assert path.stat().st_size < 2_000_000
    start = time.perf_counter()
    nb = run(path)                                                     # raises CellExecutionError on any error
    seconds = time.perf_counter() - start
    assert seconds < 90, f"{path.name} took {seconds:.0f} s (a lesson should run in under a minute)"
    pictures = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
                if o.get("output_type") in ("display_data", "execute_result")
                and ({"image/svg+xml", "image/png"} & set(o.get("data", {})))]
    assert pictures, f"{path.name} shows no graph or plot"
