"""Drawing computational graphs for lessons: DOT, SVG, and backward step by step.

    from autograd_core import draw_graph, save_svg, backward_steps, write_steps

``draw_graph(root)`` returns a ``graphviz.Digraph`` of everything ``root``
depends on: one record per value (label, data, grad; a Tensor shows its shape,
dtype and a summary), one node per gate named by its op, edges in argument
order. Constants are dashed grey boxes, parameters (leaves that take a
gradient) are filled blue, inputs that take none are filled grey.

SVG needs a Graphviz ``dot`` program. The one used is, in order: the program
named by the environment variable ``AUTOGRAD_CORE_DOT``; a system ``dot`` on
the PATH; the ``graphviz-pure`` program that pip installs with this package
(a self-contained Graphviz port, so a machine with pip alone can render).
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import graphviz
import numpy as np

from . import gates as G
from .buffers import is_released
from .graph import _step, breadth_first, iter_backward
from .node import Node

__all__ = ["draw_graph", "save_svg", "backward_steps", "write_steps", "Frame", "GraphDrawing",
           "GraphTooLarge", "find_dot", "MAX_NODES"]

MAX_NODES = 400           # more value nodes than this make an unreadable picture and a slow layout
DOT_ENV = "AUTOGRAD_CORE_DOT"

_PARAM = dict(style="filled,bold", fillcolor="#dbeafe", color="#1d4ed8")
_INPUT = dict(style="filled", fillcolor="#f3f4f6", color="#6b7280")
_INTERIOR = dict(style="solid", color="#111827")
_CONST = dict(shape="box", style="dashed,rounded", color="#9ca3af", fontcolor="#4b5563")
_GATE = dict(shape="ellipse", style="filled", fillcolor="#fef3c7", color="#b45309")
_CURRENT = dict(shape="ellipse", style="filled,bold", fillcolor="#fb923c", color="#9a3412", penwidth="2.5")
_SHARE_EDGE = dict(color="#dc2626", fontcolor="#dc2626", penwidth="2")


class GraphTooLarge(ValueError):
    """The graph has more value nodes than ``max_nodes``: draw part of it with ``depth``."""


# ---------------------------------------------------------------------------
# Finding a dot program
# ---------------------------------------------------------------------------
def _scripts_dirs() -> List[Path]:
    dirs = [Path(sys.executable).parent]
    for scheme_path in (sysconfig.get_path("scripts"), sysconfig.get_path("scripts", f"{os.name}_user")):
        if scheme_path:
            dirs.append(Path(scheme_path))
    return dirs


def _dot_program() -> Tuple[str, bool]:
    """(path of the Graphviz program to run, whether it is the system ``dot``
    that the ``graphviz`` package would find by itself)."""
    chosen = os.environ.get(DOT_ENV)
    if chosen:
        path = shutil.which(chosen) or (chosen if os.path.isfile(chosen) else None)
        if path is None:
            raise RuntimeError(f"{DOT_ENV}={chosen!r} is not an executable program")
        return path, False
    system = shutil.which("dot")
    if system:
        return system, True
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    found = shutil.which(exe)
    if found:
        return found, False
    for d in _scripts_dirs():
        if (d / exe).is_file():
            return str(d / exe), False
    raise RuntimeError(
        "No Graphviz program found to render SVG. Install one of: `pip install graphviz-pure` "
        "(self-contained, no system packages), or Graphviz from https://graphviz.org (`dot`); "
        f"or point {DOT_ENV} at a dot-compatible program. The DOT source is still available "
        "as draw_graph(...).source")


def find_dot() -> str:
    """Path of the Graphviz program used for rendering (see the module docstring)."""
    return _dot_program()[0]


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``pipe``/``render`` (and Jupyter display) use
    ``find_dot()``: a system ``dot`` when there is one, else ``graphviz-pure``."""

    def _run(self, exe: str, args: List[str], source: Optional[bytes], quiet: bool) -> bytes:
        proc = subprocess.run([exe, *args], input=source, capture_output=True)
        if proc.returncode != 0:
            raise graphviz.CalledProcessError(proc.returncode, [exe, *args], output=proc.stdout,
                                              stderr=proc.stderr)
        if proc.stderr and not quiet:
            sys.stderr.write(proc.stderr.decode(errors="replace"))
        return proc.stdout

    def pipe(self, format: Optional[str] = None, renderer: Optional[str] = None,
             formatter: Optional[str] = None, neato_no_op: Any = None, quiet: bool = False, *,
             engine: Optional[str] = None, encoding: Optional[str] = None) -> Union[bytes, str]:
        """The rendered graph as bytes (or str with ``encoding``), e.g. ``pipe(format="svg")``."""
        exe, system = _dot_program()
        if system:
            return super().pipe(format, renderer, formatter, neato_no_op, quiet,
                                engine=engine, encoding=encoding)
        fmt = ":".join(x for x in (format or self.format, renderer, formatter) if x)
        out = self._run(exe, [f"-K{engine or self.engine}", f"-T{fmt}"],
                        self.source.encode(self.encoding), quiet)
        return out.decode(encoding) if encoding else out

    def render(self, filename: Any = None, directory: Any = None, view: bool = False,
               cleanup: bool = False, format: Optional[str] = None, renderer: Optional[str] = None,
               formatter: Optional[str] = None, neato_no_op: Any = None, quiet: bool = False,
               quiet_view: bool = False, *, outfile: Any = None, engine: Optional[str] = None,
               raise_if_result_exists: bool = False, overwrite_source: bool = False) -> str:
        """Save the DOT source and render it to a file; returns the file's path."""
        exe, system = _dot_program()
        if system:
            return super().render(filename, directory, view, cleanup, format, renderer, formatter,
                                  neato_no_op, quiet, quiet_view, outfile=outfile, engine=engine,
                                  raise_if_result_exists=raise_if_result_exists,
                                  overwrite_source=overwrite_source)
        if outfile is not None and filename is None:
            filename = Path(outfile).with_suffix(".gv")
        fmt = format or (Path(outfile).suffix.lstrip(".") if outfile is not None else self.format)
        src = self.save(filename, directory=directory)
        target = Path(outfile) if outfile is not None else Path(f"{src}.{fmt}")
        if raise_if_result_exists and target.exists():
            raise graphviz.FileExistsError(f"output file exists: {os.fspath(target)!r}")
        tfmt = ":".join(x for x in (fmt, renderer, formatter) if x)
        self._run(exe, [f"-K{engine or self.engine}", f"-T{tfmt}", "-o", os.fspath(target), src], None, quiet)
        if cleanup:
            os.remove(src)
        if view:
            self._view(os.fspath(target), format=fmt, quiet=quiet_view)
        return os.fspath(target)


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------
def _esc(text: str) -> str:
    """Escape text for a record label."""
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    return text


def _num(x: float) -> str:
    return f"{float(x):.4g}"


def _summary(a: Any) -> str:
    """A short text for a number or an array: the values when few, else min/max."""
    if isinstance(a, (float, int, np.floating)):
        return _num(a)
    a = np.asarray(a)
    if a.size == 1:
        return _num(a.reshape(()))
    if a.size <= 4:
        return "[" + ", ".join(_num(v) for v in a.reshape(-1)) + "]"
    return f"min {_num(a.min())} max {_num(a.max())}"


def _is_tensor(node: Node) -> bool:
    return isinstance(node.data, np.ndarray)


def _value_label(node: Node, show_data: bool, show_grad: bool, grad: Any, known: bool) -> str:
    fields = [_esc(node.label)] if node.label else []
    if _is_tensor(node):
        fields.append(_esc(f"{node.data.shape} {node.data.dtype}"))
    if show_data:
        released = is_released(node.data)       # a later op reused the buffer (buffers.py)
        fields.append(_esc("data released (buffer reused)" if released else f"data {_summary(node.data)}"))
    if show_grad and node.requires_grad:
        fields.append(_esc(f"grad {_summary(grad)}") if known and grad is not None else "grad ?")
    return "{" + " | ".join(fields or [" "]) + "}"


# gates with a number folded in, drawn as the lecture notes draw them ("*2", "+1", "1/")
_NUMBER_GATES = {G.SCALE: "*{}", G.SHIFT: "+{}", G.SUBC: "-{}", G.RSUBC: "{}-", G.DIVC: "/{}",
                 G.RDIVC: "{}/", G.POWC: "**{}", G.RPOWC: "{}**"}


def _gate_label(node: Node) -> str:
    op = node._op
    p = node.param
    template = _NUMBER_GATES.get(op)
    if template is not None:
        return template.format(f"{p:g}")
    if op in (G.SUM, G.MEAN, G.AMAX, G.AMIN, G.PROD, G.LOGSUMEXP):
        return op.symbol if p[0] is None else f"{op.symbol}(axis={p[0]})"
    if op in (G.SOFTMAX, G.LOG_SOFTMAX, G.CUMSUM) and node._a.ndim > 1:
        return f"{op.symbol}(axis={p})"
    if op is G.TRANSPOSE:
        return "T" if p == tuple(range(len(p) - 1, -1, -1)) else f"transpose{p}"
    return op.symbol


# ---------------------------------------------------------------------------
# Building the drawing
# ---------------------------------------------------------------------------
def _collect(root: Node, depth: Optional[int], max_nodes: int) -> Tuple[List[Node], set]:
    """The value nodes to draw and those whose inputs are left out, or GraphTooLarge."""
    nodes, cut, complete = breadth_first(root, depth, max_nodes)
    if not complete:
        raise GraphTooLarge(
            f"draw_graph: the graph has more than max_nodes={max_nodes} value nodes, too "
            "many to draw readably. Pass depth=k to draw only the last k gates before "
            "the root, or a larger max_nodes to draw it all.")
    return nodes, cut


def _build(root: Node, rankdir: str, show_data: bool, show_grad: bool, depth: Optional[int],
           max_nodes: int, grads: Optional[Dict[Node, Any]] = None,
           current: Optional[Node] = None, share_texts: Optional[Dict[int, str]] = None) -> GraphDrawing:
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    nodes, cut = _collect(root, depth, max_nodes)
    ids = {v: f"v{i}" for i, v in enumerate(nodes)}
    dot = GraphDrawing(format="svg", graph_attr={"rankdir": rankdir}, node_attr={"fontsize": "11"},
                       edge_attr={"fontsize": "9"})
    for v in nodes:
        vid = ids[v]
        if v.is_constant:
            dot.node(vid, _esc(_summary(v.data)), **_CONST)
        else:
            if grads is None:
                g, known = v.grad, True
            else:
                g, known = grads.get(v), v in grads
            style = _INTERIOR if not v.is_leaf else (_PARAM if v.requires_grad else _INPUT)
            dot.node(vid, _value_label(v, show_data, show_grad, g, known), shape="record", **style)
        if v in cut:
            dot.node(vid + "_more", "...", shape="plaintext")
            dot.edge(vid + "_more", vid, style="dotted")
            continue
        if v.is_leaf:
            continue
        gid = vid + "_op"
        dot.node(gid, _gate_label(v), **(_CURRENT if v is current else _GATE))
        dot.edge(gid, vid)
        parents = v.parents
        for i, p in enumerate(parents):
            attrs = {"label": str(i + 1)} if len(parents) > 1 else {}
            if v is current and share_texts and i in share_texts:
                prefix = f"{i + 1}: " if len(parents) > 1 else ""
                attrs = {"label": prefix + share_texts[i], **_SHARE_EDGE}
            dot.edge(ids[p], gid, **attrs)
    return dot


def draw_graph(root: Node, rankdir: str = "LR", show_grad: bool = True, show_data: bool = True,
               depth: Optional[int] = None, max_nodes: int = MAX_NODES) -> GraphDrawing:
    """A ``graphviz.Digraph`` of everything ``root`` depends on.

    ``depth`` draws only the last ``depth`` gates before ``root`` (cut inputs
    show as "..."); a graph with more than ``max_nodes`` value nodes raises
    ``GraphTooLarge`` instead of producing an unreadable picture. Display it in
    Jupyter, ``.pipe(format="svg")`` it, ``.render(...)`` it, or ``.source`` for DOT.
    """
    if not isinstance(root, Node):
        raise TypeError(f"draw_graph: expected a Value or a Tensor, got {type(root).__name__}")
    return _build(root, rankdir, show_data, show_grad, depth, max_nodes)


def save_svg(root: Node, path: Union[str, os.PathLike], **options: Any) -> Path:
    """Draw ``root``'s graph (options as for ``draw_graph``) and write it as an SVG file."""
    out = Path(path)
    out.write_bytes(draw_graph(root, **options).pipe(format="svg"))
    return out


# ---------------------------------------------------------------------------
# Backward, step by step
# ---------------------------------------------------------------------------
@dataclass
class Frame:
    """One step of the backward pass: the gate just applied (``node`` is its
    output), the drawing with the gradients known so far and that gate
    highlighted, and those gradients (``grads``: node -> gradient)."""
    index: int
    node: Node
    gate: str
    graph: GraphDrawing
    grads: Dict[Node, Any] = field(repr=False)


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
        if scalar:
            texts[i] = f"{_num(upstream)} * {_num(local[i])} = {_num(share)}"
        else:
            texts[i] = f"upstream*local = {_summary(share)}"
    return texts


def backward_steps(root: Node, grad_output: Any = None, rankdir: str = "LR", show_data: bool = True,
                   depth: Optional[int] = None, max_nodes: int = MAX_NODES) -> Iterator[Frame]:
    """The backward pass as frames, one per gate in reverse topological order.

    Each frame's drawing fills in the gradients computed so far ("?" where none
    is known yet) and highlights the current gate, labelling each of its input
    edges with the chain rule's ``upstream * local = share``. The last frame's
    gradients equal those ``backward()`` computes; ``.grad`` is not touched.
    """
    _collect(root, depth, max_nodes)                 # refuse an oversized graph before any work
    for i, (v, shares, grads) in enumerate(iter_backward(root, grad_output)):
        snapshot = dict(grads)
        texts = _share_texts(v, snapshot.get(v), shares) if shares else {}
        graph = _build(root, rankdir, show_data, True, depth, max_nodes, snapshot, v, texts)
        yield Frame(i, v, v._op.name, graph, snapshot)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
.controls {{ display: flex; gap: .8em; align-items: center; margin-bottom: 1em; }}
input[type=range] {{ width: 28em; }}
.frame {{ display: none; }} .frame.shown {{ display: block; }}
.frame svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h2>{title}</h2>
<div class="controls">
<button id="prev">&#9664;</button>
<input type="range" id="step" min="0" max="{last}" value="0">
<button id="next">&#9654;</button>
<span id="caption"></span>
</div>
{frames}
<script>
const frames = document.querySelectorAll('.frame');
const slider = document.getElementById('step');
const caption = document.getElementById('caption');
function show(i) {{
  i = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, k) => f.classList.toggle('shown', k === i));
  slider.value = i;
  caption.textContent = 'step ' + (i + 1) + ' of ' + frames.length + ': ' + frames[i].dataset.gate;
}}
slider.addEventListener('input', () => show(+slider.value));
document.getElementById('prev').onclick = () => show(+slider.value - 1);
document.getElementById('next').onclick = () => show(+slider.value + 1);
document.addEventListener('keydown', e => {{
  if (e.key === 'ArrowLeft') show(+slider.value - 1);
  if (e.key === 'ArrowRight') show(+slider.value + 1);
}});
show(0);
</script>
</body></html>
"""


def write_steps(root: Node, directory: Union[str, os.PathLike], html_name: str = "backward.html",
                title: str = "Backward pass, step by step", **options: Any) -> Path:
    """Write each backward frame as ``step_000.svg``, ``step_001.svg``... in
    ``directory`` and one self-contained HTML page with a slider (no network,
    no external scripts) that shows them in order. Returns the page's path.
    ``options`` are those of ``backward_steps``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    blocks = []
    for frame in backward_steps(root, **options):
        svg = frame.graph.pipe(format="svg").decode("utf-8")
        (out / f"step_{frame.index:03d}.svg").write_text(svg, encoding="utf-8")
        inline = svg[svg.index("<svg"):]
        blocks.append(f'<div class="frame" data-gate="{html.escape(frame.gate)}">{inline}</div>')
    if not blocks:
        raise ValueError("write_steps: the graph has no gates, so backward has no steps to show")
    page = out / html_name
    page.write_text(_PAGE.format(title=html.escape(title), last=len(blocks) - 1,
                                 frames="\n".join(blocks)), encoding="utf-8")
    return page
