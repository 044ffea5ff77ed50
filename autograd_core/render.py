"""Drawing computational graphs for lessons: DOT and SVG (backward step by step is steps.py).

    from autograd_core import draw_graph, save_svg

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

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

import graphviz
import numpy as np

from . import gates as G
from .buffers import is_released
from .graph import breadth_first
from .node import Node

if TYPE_CHECKING:
    from .steps import FixedLayout

__all__ = ["draw_graph", "save_svg", "GraphDrawing", "GraphTooLarge", "find_dot", "MAX_NODES"]

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


def _without_width_warnings(err: str) -> str:
    """graphviz-pure warns that it guesses the width of each non-ASCII character
    (a label such as "x³"); the drawing is right, so a lesson need not show it."""
    return "".join(line for line in err.splitlines(keepends=True)
                   if "no value for width of non-ASCII character" not in line)


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``pipe``/``render`` (and Jupyter display) use
    ``find_dot()``: a system ``dot`` when there is one, else ``graphviz-pure``."""

    def __repr__(self) -> str:
        """A short stable text (no memory address), e.g. ``GraphDrawing(7 nodes, 6 edges)``."""
        lines = [ln.strip() for ln in self.body]
        edges = sum(1 for ln in lines if "->" in ln.split("[", 1)[0])
        nodes = sum(1 for ln in lines if ln and "->" not in ln.split("[", 1)[0]
                    and not ln.startswith(("graph ", "node ", "edge ", "subgraph", "}", "//")))
        return f"GraphDrawing({nodes} nodes, {edges} edges)"

    def _run(self, exe: str, args: List[str], source: Optional[bytes], quiet: bool) -> bytes:
        proc = subprocess.run([exe, *args], input=source, capture_output=True)
        if proc.returncode != 0:
            raise graphviz.CalledProcessError(proc.returncode, [exe, *args], output=proc.stdout,
                                              stderr=proc.stderr)
        if proc.stderr and not quiet:
            sys.stderr.write(_without_width_warnings(proc.stderr.decode(errors="replace")))
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
    return f"{float(x) + 0.0:.4g}"          # + 0.0: -0.0 reads "0", not "-0"


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


def shows_grad(node: Node) -> bool:
    """Whether a drawing gives ``node`` a grad field (a constant is a plain box)."""
    return node.requires_grad and not node.is_constant


def grad_text(grad: Any, known: bool = True) -> str:
    """A value's grad field: 'grad 0.25', or 'grad ?' while it is not known."""
    return f"grad {_summary(grad)}" if known and grad is not None else "grad ?"


def edge_id(vid: str, i: int) -> str:
    """The SVG id of the edge from input ``i`` into the gate of value ``vid``."""
    return f"{vid}_op{i}"


def edge_label(i: int, inputs: int, text: str = "") -> str:
    """An input edge's label: its number when the gate has several inputs, then ``text``."""
    if inputs == 1:
        return text
    return f"{i + 1}: {text}" if text else str(i + 1)


def _value_label(node: Node, show_data: bool, grad_field: Optional[str]) -> str:
    fields = [_esc(node.label)] if node.label else []
    if _is_tensor(node):
        fields.append(_esc(f"{node.data.shape} {node.data.dtype}"))
    if show_data:
        released = is_released(node.data)       # a later op reused the buffer (buffers.py)
        fields.append(_esc("data released (buffer reused)" if released else f"data {_summary(node.data)}"))
    if grad_field is not None:
        fields.append(_esc(grad_field))
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
    if op is G.GETITEM:
        return f"[{_index_text(p)}]"
    return op.symbol


def gate_caption(node: Node) -> str:
    """What the step view calls a gate: its drawn label where that carries a
    parameter ("*2", "1/", "[0]", "sum(axis=1)"), else its name ("mul", "tanh")."""
    label = _gate_label(node)
    return node._op.name if label == node._op.symbol else label


def _index_text(index: Any) -> str:
    """An index as it is written between [ ]: "0", "1:3", ":, 2", "...", "()"; an
    index array by its numbers when it has at most 4, else by its shape
    ("array(64)", a bool mask "mask(2,3)")."""
    if isinstance(index, tuple) and not index:
        return "()"
    parts = index if isinstance(index, tuple) else (index,)
    texts = []
    for i in parts:
        if isinstance(i, slice):
            text = ":".join("" if v is None else str(v) for v in (i.start, i.stop))
            texts.append(text if i.step is None else f"{text}:{i.step}")
        elif i is Ellipsis:
            texts.append("...")
        elif i is None or isinstance(i, (bool, np.bool_)):
            texts.append(str(i))
        elif isinstance(i, (int, np.integer)):
            texts.append(str(int(i)))
        else:
            a = np.asarray(i)
            texts.append(str(a.tolist()).replace(" ", "") if a.size <= 4 else
                         f"{'mask' if a.dtype == bool else 'array'}({','.join(map(str, a.shape))})")
    return ", ".join(texts)


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


def node_ids(nodes: List[Node]) -> Dict[Node, str]:
    """The DOT (and, in step views, SVG) id of each drawn value node; its gate is id + "_op"."""
    return {v: f"v{i}" for i, v in enumerate(nodes)}


def _build(collected: Tuple[List[Node], set], rankdir: str, show_data: bool, show_grad: bool,
           grads: Optional[Dict[Node, Any]] = None,
           current: Optional[Node] = None, share_texts: Optional[Dict[int, str]] = None,
           layout: Optional["FixedLayout"] = None) -> GraphDrawing:
    """The drawing of ``collected`` (``_collect``'s nodes and cut). ``grads``
    (node -> gradient, a partial backward) replaces
    ``.grad``; ``current`` and ``share_texts`` highlight one gate and label its
    input edges. ``layout`` instead gives every node and edge an SVG id and the
    widest text it will ever show, so a page can change texts without moving
    anything (steps.py)."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    nodes, cut = collected
    ids = node_ids(nodes)
    dot = GraphDrawing(format="svg", graph_attr={"rankdir": rankdir}, node_attr={"fontsize": "11"},
                       edge_attr={"fontsize": "9"})
    for v in nodes:
        vid = ids[v]
        if v.is_constant:
            dot.node(vid, _esc(_summary(v.data)), **_CONST)
        else:
            if not (show_grad and shows_grad(v)):
                field = None
            elif layout is not None:
                field = layout.widest_grad.get(v, "grad ?")
            elif grads is None:
                field = grad_text(v.grad)
            else:
                field = grad_text(grads.get(v), v in grads)
            style = _INTERIOR if not v.is_leaf else (_PARAM if v.requires_grad else _INPUT)
            if layout is not None:
                style = dict(style, id=vid)
            dot.node(vid, _value_label(v, show_data, field), shape="record", **style)
        if v in cut:
            dot.node(vid + "_more", "...", shape="plaintext")
            dot.edge(vid + "_more", vid, style="dotted")
            continue
        if v.is_leaf:
            continue
        gid = vid + "_op"
        gate_style = _CURRENT if v is current else _GATE
        dot.node(gid, _gate_label(v), **(dict(gate_style, id=gid) if layout is not None else gate_style))
        dot.edge(gid, vid)
        n = len(v.parents)
        for i, p in enumerate(v.parents):
            if layout is not None:
                eid = edge_id(vid, i)
                attrs = {"id": eid, "label": layout.widest_share.get(eid, edge_label(i, n))}
            elif v is current and share_texts and i in share_texts:
                attrs = {"label": edge_label(i, n, share_texts[i]), **_SHARE_EDGE}
            else:
                attrs = {"label": edge_label(i, n)} if n > 1 else {}
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
    return _build(_collect(root, depth, max_nodes), rankdir, show_data, show_grad)


def save_svg(root: Node, path: Union[str, os.PathLike], **options: Any) -> Path:
    """Draw ``root``'s graph (options as for ``draw_graph``) and write it as an SVG file."""
    out = Path(path)
    out.write_bytes(draw_graph(root, **options).pipe(format="svg"))
    return out
