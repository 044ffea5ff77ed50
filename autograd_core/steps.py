"""Backward, step by step: frames for code, and a page that replays them.

    from autograd_core import backward_steps, step_view, write_steps

``backward_steps(root)`` yields one ``Frame`` per gate in reverse topological
order, each with its own drawing and the gradients known so far.

``step_view(root)`` lays the graph out once and replays the backward pass on
that one picture: the current gate turns orange, its input edges read
``upstream * local = share``, a gradient that receives a second share is
written out as the sum (``grad 1 + 6 = 7``), and the gate's formula is shown
under the graph. The picture is at natural size, with zoom buttons and
scrolling (or dragging) to pan; arrow keys move one step. It shows inline in
a notebook and ``.save(path)`` writes it as one self-contained HTML file (no
network, no external scripts). ``write_steps`` writes that page and each
frame as an SVG file.
"""
from __future__ import annotations

import html
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Union

import numpy as np

from .graph import _step, iter_backward
from .node import Node
from ._step_page import _PAGE, _SCRIPT, _STYLE
from .render import (_CURRENT, _SHARE_EDGE, MAX_NODES, GraphDrawing, _build, _collect, _is_tensor, _num, _summary,
                     edge_id, edge_label, gate_caption, grad_text, node_ids, shows_grad)

__all__ = ["Frame", "StepView", "backward_steps", "step_view", "write_steps"]


@dataclass
class Frame:
    """One step of the backward pass: the gate just applied (``gate``, its
    name; ``node`` is its output), the drawing with the gradients known so far
    and that gate highlighted, and those gradients (``grads``: node -> gradient)."""
    index: int
    node: Node
    gate: str
    graph: GraphDrawing
    grads: Dict[Node, Any] = field(repr=False)

    @property
    def caption(self) -> str:
        """The gate as the drawing and the step view call it ("1/", "+1", "exp")."""
        return gate_caption(self.node)


def _local_gradients(v: Node) -> List[float]:
    """d(out)/d(input) of a scalar gate, one per input: the backward step with upstream 1."""
    shares: list = []
    _step(v, 1.0, {}, False, shares)
    return [share for _, share in shares]


def _share_texts(v: Node, upstream: Any, shares: list) -> Dict[int, str]:
    """Edge labels for the current gate: 'upstream * local = share' per input."""
    texts: Dict[int, str] = {}
    pending = iter(shares)
    scalar = not _is_tensor(v)
    local = _local_gradients(v) if scalar else None
    for i, p in enumerate(v.parents):
        if not p.requires_grad:
            continue
        _, share = next(pending)
        if p.is_constant:       # drawn as a plain box without a gradient: its share is not shown either
            continue
        if scalar:
            texts[i] = f"{_num(upstream)} * {_num(local[i])} = {_num(share)}"
        else:
            texts[i] = f"upstream * local = {_summary(share)}"
    return texts


def backward_steps(root: Node, grad_output: Any = None, rankdir: str = "LR", show_data: bool = True,
                   depth: Optional[int] = None, max_nodes: int = MAX_NODES) -> Iterator[Frame]:
    """The backward pass as frames, one per gate in reverse topological order.

    Each frame's drawing fills in the gradients computed so far ("?" where none
    is known yet) and highlights the current gate, labelling each of its input
    edges with the chain rule's ``upstream * local = share``. The last frame's
    gradients equal those ``backward()`` computes; ``.grad`` is not touched.
    """
    collected = _collect(root, depth, max_nodes)     # refuse an oversized graph before any work
    drawn, cut = set(collected[0]), collected[1]

    def frame(i: int, v: Node, shares: list, snapshot: dict) -> Frame:
        texts = _share_texts(v, snapshot.get(v), shares) if shares else {}
        graph = _build(collected, rankdir, show_data, True, snapshot, v, texts)
        return Frame(i, v, v._op.name, graph, snapshot)

    held = None             # the last drawn gate's step, yielded once the next one is known
    grads: dict = {}
    for v, shares, grads in iter_backward(root, grad_output):
        if v not in drawn or v in cut:              # a gate outside depth=k: no frame of its own
            continue
        if held is not None:
            yield frame(*held)
        held = (0 if held is None else held[0] + 1, v, shares, dict(grads))
    if held is not None:    # shares sent by hidden gates after it are part of the last picture
        yield frame(*held[:3], dict(grads))


# ---------------------------------------------------------------------------
# One layout, many states
# ---------------------------------------------------------------------------
class FixedLayout:
    """What the single layout must leave room for, over all steps: the widest
    grad text of each value node and the widest label of each gate input edge
    (by SVG id), with that edge's label when its gate is not the current one."""

    def __init__(self) -> None:
        self.widest_grad: Dict[Node, str] = {}
        self.widest_share: Dict[str, str] = {}
        self.edge_base: Dict[str, str] = {}


def _widen(table: dict, key: Any, text: str) -> None:
    if len(text) > len(table.get(key, "")):
        table[key] = text


def _sum_text(terms: list, after: Any) -> str:
    """Shares adding up at a node, written out: 'grad 1 + 6 = 7' (what it held,
    then each share this step sent it)."""
    if isinstance(after, np.ndarray) and after.size > 4:      # too many numbers to write out
        return f"grad += share: {_summary(after)}"
    return f"grad {' + '.join(map(_summary, terms))} = {_summary(after)}"


def _replay(root: Node, grad_output: Any, ids: Dict[Node, str], cut: set):
    """The step view's records, one per drawn gate: its id, name and formula,
    the grad texts that change at this step (``grads``; the page applies the
    records in order), the nodes it sent a share to (``fresh``), its input
    edges' ``upstream * local = share`` texts; and the layout's widest texts."""
    layout = FixedLayout()
    shown = {v for v in ids if shows_grad(v)}
    values: Dict[Node, Any] = {}
    changes: Dict[str, str] = {}    # grad texts changed since the last record, by id
    summed: List[Node] = []         # nodes showing a sum: back to the plain gradient next step
    records = []

    def note(p: Node, text: str) -> None:
        changes[ids[p]] = text
        _widen(layout.widest_grad, p, text)

    for v, shares, grads in iter_backward(root, grad_output):
        if not values:                              # the seed, d(root)/d(root)
            values[root] = grads[root]
            if root in shown:
                note(root, grad_text(values[root]))
        for p in summed:
            note(p, grad_text(values[p]))
        summed = []
        terms: Dict[Node, list] = {}                # per input: what it held, then this step's shares
        for p, share in shares:                     # x * x sends x two shares in one step
            before = values.get(p)
            values[p] = share if before is None else before + share
            if p not in terms:
                terms[p] = [] if before is None else [before]
            terms[p].append(share)
        fresh = []
        for p, added in terms.items():
            if p in shown:
                note(p, grad_text(values[p]) if len(added) == 1 else _sum_text(added, values[p]))
                fresh.append(ids[p])
                if len(added) > 1:
                    summed.append(p)
        if v not in ids or v in cut:                # a gate outside depth=k: no step of its own
            continue
        n = len(v.parents)
        edges, lines = {}, []
        for i, text in (_share_texts(v, grads.get(v), shares) if shares else {}).items():
            eid = edge_id(ids[v], i)
            edges[eid] = edge_label(i, n, text)
            _widen(layout.widest_share, eid, edges[eid])
            layout.edge_base[eid] = edge_label(i, n)
            lines.append(f"{v.parents[i].label or ('input' if n == 1 else f'input {i + 1}')}: {text}")
        records.append(dict(gate=ids[v] + "_op", name=gate_caption(v), formula=v._op.formula, grads=changes,
                            fresh=fresh, edges=edges, lines=lines))
        changes = {}
    if records:             # shares sent by hidden gates after the last drawn one
        records[-1]["grads"].update(changes)
    return layout, records


class StepView:
    """The backward pass replayed on one fixed layout: ``html`` is the whole
    page, ``len(view)`` its number of steps. Shows inline in Jupyter (as an
    iframe, so several views on one page stay independent); ``save(path)``
    writes the page; ``frames_svg()`` gives each step as an SVG."""

    def __init__(self, page: str, svg: str, data: dict) -> None:
        self.html = page
        self._svg = svg
        self._data = data

    def frames_svg(self) -> List[str]:
        """Each step as a standalone SVG on the same layout, coloured as the page shows it."""
        return _paint(self._svg, self._data)

    def __len__(self) -> int:
        return len(self._data["steps"])

    def __repr__(self) -> str:
        return f"StepView({len(self)} steps)"

    def save(self, path: Union[str, os.PathLike]) -> Path:
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out

    def _repr_html_(self) -> str:
        height_pt = float(re.search(r'height="([\d.]+)pt"', self._svg).group(1))
        height = int(min(900, height_pt * 4 / 3 + 330))
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%; height:{height}px; border:0"></iframe>')


def step_view(root: Node, grad_output: Any = None, rankdir: str = "LR", show_data: bool = True,
              depth: Optional[int] = None, max_nodes: int = MAX_NODES,
              title: str = "Backward pass, step by step") -> StepView:
    """The backward pass of ``root`` as an interactive page on one layout
    (options as for ``backward_steps``). ``.grad`` is not touched."""
    collected = _collect(root, depth, max_nodes)
    ids = node_ids(collected[0])
    layout, records = _replay(root, grad_output, ids, collected[1])
    if not records:
        raise ValueError("step_view: the graph has no gates, so backward has no steps to show")
    drawing = _build(collected, rankdir, show_data, True, layout=layout)
    svg = drawing.pipe(format="svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    data = dict(steps=records, grad_base={ids[v]: "grad ?" for v in ids if shows_grad(v)},
                edge_base=layout.edge_base)
    text = json.dumps(data).replace("</", "<\\/")       # never closes the script element early
    page = _PAGE.format(title=html.escape(title), style=_STYLE, last=len(records) - 1, svg=svg,
                        data=text, script=_SCRIPT)
    return StepView(page, svg, data)


def write_steps(root: Node, directory: Union[str, os.PathLike], html_name: str = "backward.html",
                title: str = "Backward pass, step by step", **options: Any) -> Path:
    """Write the ``step_view`` page as ``html_name`` in ``directory`` and each
    step as ``step_000.svg``, ``step_001.svg``... (all on the page's one layout). Returns the
    page's path. ``options`` are those of ``backward_steps``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    view = step_view(root, title=title, **options)
    for k, svg in enumerate(view.frames_svg()):
        (out / f"step_{k:03d}.svg").write_text(svg, encoding="utf-8")
    return view.save(out / html_name)


_NS = "http://www.w3.org/2000/svg"


def _paint(svg: str, data: dict) -> List[str]:
    """Every step of a step view as an SVG: the texts and colours the page's script sets.
    The drawing is parsed once; each step restores what the previous one coloured."""
    ET.register_namespace("", _NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    red = _SHARE_EDGE["color"]
    root = ET.fromstring(svg)
    groups = {g.get("id"): g for g in root.iter(f"{{{_NS}}}g")}
    fields = {nid: groups[nid].findall(f"{{{_NS}}}text")[-1] for nid in data["grad_base"]}
    labels = {eid: groups[eid].find(f"{{{_NS}}}text") for eid in data["edge_base"]}
    for nid, text in data["grad_base"].items():
        fields[nid].text = text
    coloured: list = []             # (element, attribute, value before this step)

    def colour(element: ET.Element, name: str, value: str) -> None:
        coloured.append((element, name, element.get(name)))
        element.set(name, value)

    frames = []
    for step in data["steps"]:
        for element, name, before in reversed(coloured):
            if before is None:
                del element.attrib[name]
            else:
                element.set(name, before)
        coloured.clear()
        for nid, text in step["grads"].items():
            fields[nid].text = text
        for nid in step["fresh"]:
            colour(fields[nid], "fill", red)
            colour(fields[nid], "font-weight", "bold")
        for eid, base in data["edge_base"].items():
            if labels[eid] is not None:
                labels[eid].text = step["edges"].get(eid, base)
        for eid in step["edges"]:
            for part in groups[eid]:
                if part.tag in (f"{{{_NS}}}path", f"{{{_NS}}}polygon"):
                    colour(part, "stroke", red)
                    colour(part, "stroke-width", _SHARE_EDGE["penwidth"])
                if part.tag in (f"{{{_NS}}}polygon", f"{{{_NS}}}text"):
                    colour(part, "fill", red)
        for shape in groups[step["gate"]].findall(f"{{{_NS}}}ellipse"):
            colour(shape, "fill", _CURRENT["fillcolor"])
            colour(shape, "stroke", _CURRENT["color"])
            colour(shape, "stroke-width", _CURRENT["penwidth"])
        frames.append(ET.tostring(root, encoding="unicode"))
    return frames
