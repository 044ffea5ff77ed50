"""Every lesson notebook runs top to bottom in a real Jupyter kernel (nbclient),
as a student runs it: an error in any cell fails (nbclient's timeout bounds each
cell), every cell that draws shows its picture, the saved file is valid and
small, and its saved text outputs are the ones a fresh run prints (so stale
outputs fail: rerun ``python notebooks/run_all.py``)."""
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "notebooks"))

# how the lessons show pictures: a drawing, a step view, a plot, a backward step's .graph,
# or display(...) of one of them
DRAWS = re.compile(r"\bdraw_graph\(|\bstep_view\(|\bplt\.show\(|\.graph\b|\bdisplay\(")
PICTURE_TYPES = {"image/svg+xml", "image/png", "text/html"}


def pictures(cell) -> int:
    return sum(1 for o in cell.get("outputs", [])
               if o.get("output_type") in ("display_data", "execute_result")
               and PICTURE_TYPES & set(o.get("data", {})))


def text_outputs(cell) -> list:
    """The cell's printed text (stdout and stderr, consecutive chunks joined) and the
    text/plain of its results, in order: what must not change between runs."""
    out = []
    for o in cell.get("outputs", []):
        kind = o.get("output_type")
        if kind == "stream":
            if out and out[-1][0] == o["name"]:
                out[-1] = (o["name"], out[-1][1] + o["text"])
            else:
                out.append((o["name"], o["text"]))
        elif kind in ("display_data", "execute_result") and "text/plain" in o.get("data", {}):
            out.append(("text/plain", o["data"]["text/plain"]))
        elif kind == "error":
            out.append(("error", o.get("ename", "")))
    return out


def missing_pictures(nb) -> list:
    """Indices of code cells that draw (by their source) but show no picture."""
    return [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and DRAWS.search(cell.source) and not pictures(cell)]


def stale_outputs(saved, fresh) -> list:
    """(cell index, saved text outputs, fresh text outputs) where they differ."""
    assert len(saved.cells) == len(fresh.cells)
    return [(i, text_outputs(s), text_outputs(f)) for i, (s, f) in enumerate(zip(saved.cells, fresh.cells))
            if s.cell_type == "code" and text_outputs(s) != text_outputs(f)]


def test_there_are_lessons():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel_shows_its_pictures_and_matches_its_saved_outputs(path):
    from run_all import run
    saved = nbformat.read(path, as_version=4)
    nbformat.validate(saved)                              # format 4.5+: every cell has an id
    assert path.stat().st_size < 2_000_000
    fresh = run(path)                                     # raises CellExecutionError on any error
    missing = missing_pictures(fresh)
    assert not missing, f"{path.name}: cell(s) {missing} draw but show no picture"
    stale = stale_outputs(saved, fresh)
    assert not stale, (f"{path.name}: the saved text outputs of cell {stale[0][0]} differ from a fresh run "
                       f"(saved {stale[0][1]!r:.300}, fresh {stale[0][2]!r:.300}); "
                       f"{len(stale)} cell(s) in all. Run `python notebooks/run_all.py {path.name}`.")
    assert missing_pictures(saved) == [], f"{path.name}: the saved file lacks pictures; run run_all.py"


def test_the_checks_can_fail():
    """The picture and stale-output checks catch a removed picture and a changed number
    (on a saved lesson, without a kernel)."""
    saved = nbformat.read(NOTEBOOKS[0], as_version=4)
    assert missing_pictures(saved) == [] and stale_outputs(saved, saved) == []
    edited = nbformat.from_dict(saved)
    draw = next(i for i, c in enumerate(edited.cells) if c.cell_type == "code" and pictures(c))
    edited.cells[draw].outputs = [o for o in edited.cells[draw].outputs if not (PICTURE_TYPES & set(o.get("data", {})))]
    assert missing_pictures(edited) == [draw]
    printed = next(i for i, c in enumerate(edited.cells) if c.cell_type == "code"
                   and any(o.output_type == "stream" and re.search(r"\d", o.text) for o in c.outputs))
    stream = next(o for o in edited.cells[printed].outputs if o.output_type == "stream" and re.search(r"\d", o.text))
    stream.text = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), stream.text, count=1)
    assert [i for i, *_ in stale_outputs(saved, edited)] == [printed]
