"""Drawing graphs: DOT source (no binary needed), real SVG rendering with the
pip-installed fallback, and big graphs (the backward steps: test_steps.py)."""
import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd_core import GraphTooLarge, Tensor, Value, backward_steps, draw_graph, save_svg
from autograd_core.graph import breadth_first
from autograd_core.render import find_dot

SVG = "{http://www.w3.org/2000/svg}"


def lecture_graph():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return x, y, z, q, f


def node_lines(src):
    return [l for l in src.splitlines() if re.match(r"\s*\w+ \[label=", l)]


def edges(src):
    return re.findall(r"(\w+) -> (\w+)(?: \[([^\]]*)\])?", src)


def label_of(src, name):
    return re.search(rf"\b{name} \[label=\"?(.*?)\"? (color|fillcolor|shape)", src).group(1)


def test_dot_source_nodes_edges_and_labels():
    x, y, z, q, f = lecture_graph()
    f.backward()
    src = draw_graph(f).source
    assert len(node_lines(src)) == 7               # 5 values, 2 gates
    assert len(edges(src)) == 6
    assert "{f | data -12 | grad 1}" in src
    assert "{x | data -2 | grad -4}" in src and "{z | data -4 | grad 3}" in src
    assert "{q | data 3 | grad -4}" in src
    assert 'label="+"' in src and 'label="*"' in src
    no_grad_src = draw_graph(f, show_grad=False, show_data=False).source
    assert "grad" not in no_grad_src and "data" not in no_grad_src


def _edge_into(src, gate_id):
    return {lab: a for a, b, lab in edges(src) if b == gate_id}


def test_argument_order_is_drawn():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    s1, s2 = draw_graph(a - b).source, draw_graph(b - a).source
    ids1 = {label_of(s1, n): n for n in ("v1", "v2")}
    ids2 = {label_of(s2, n): n for n in ("v1", "v2")}
    e1, e2 = _edge_into(s1, "v0_op"), _edge_into(s2, "v0_op")
    assert e1["label=1"] == ids1["{a | data 1 | grad 0}"] and e1["label=2"] == ids1["{b | data 2 | grad 0}"]
    assert e2["label=1"] == ids2["{b | data 2 | grad 0}"] and e2["label=2"] == ids2["{a | data 1 | grad 0}"]
    sq = draw_graph(a * a).source
    assert sorted(lab for x_, y_, lab in edges(sq) if y_ == "v0_op") == ["label=1", "label=2"]
    assert len(node_lines(sq)) == 3                # a drawn once, used twice


def test_constants_parameters_and_inputs_look_different():
    w = Value(3.0, "w")
    src = draw_graph(w * 2.0 + 1.0).source             # numbers fold into "*2" and "+1" gates
    assert 'label="*2"' in src and 'label="+1"' in src and "dashed" not in src
    assert 'label="1/"' in draw_graph(1 / w).source and 'label="2-"' in draw_graph(2 - w).source
    src = draw_graph(w.max(0.5)).source
    const_lines = [l for l in node_lines(src) if "dashed" in l]  # max lifts a number to a constant node
    assert len(const_lines) == 1 and 'label=0.5 ' in const_lines[0]
    assert any("{w |" in l and "filled,bold" in l for l in node_lines(src))
    x = Tensor([1.0, 2.0], label="x")
    p = Tensor([0.5, 0.5], requires_grad=True, label="p")
    tsrc = draw_graph((x * p).sum()).source
    x_line = next(l for l in node_lines(tsrc) if "{x |" in l)
    p_line = next(l for l in node_lines(tsrc) if "{p |" in l)
    assert "#f3f4f6" in x_line and "grad" not in x_line          # an input: grey, no gradient
    assert "filled,bold" in p_line                                 # a parameter


def test_tensor_graph_shows_shapes_and_gates():
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)), label="x")
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True, label="W")
    b = Tensor(np.zeros(2), requires_grad=True, label="b")
    loss = (x @ W + b).relu().sum(axis=0).mean()
    loss.backward()
    src = draw_graph(loss).source
    for text in ("(4, 3) float64", "(3, 2) float64", "(2,) float64", "(4, 2) float64",
                 'label="@"', 'label="+"', 'label=relu', 'label="sum(axis=0)"', 'label=mean',
                 "grad [1, 1]"):
        assert text in src, text
    svg = ET.fromstring(draw_graph(loss).pipe(format="svg"))
    texts = " ".join(t.text or "" for t in svg.iter(SVG + "text"))
    assert "(4, 3) float64" in texts and "sum(axis=0)" in texts


def test_svg_renders_with_system_dot_hidden(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))                  # no dot, no graphviz-pure on PATH
    monkeypatch.delenv("AUTOGRAD_CORE_DOT", raising=False)
    assert "graphviz-pure" in os.path.basename(find_dot())
    x, y, z, q, f = lecture_graph()
    f.backward()
    drawing = draw_graph(f)
    root = ET.fromstring(drawing.pipe(format="svg"))
    texts = [t.text for t in root.iter(SVG + "text")]
    for expected in ("f", "data -12", "grad 1", "x", "data -2", "grad -4", "z", "grad 3", "+", "*"):
        assert expected in texts, expected
    out = save_svg(f, tmp_path / "graph.svg")
    assert ET.parse(out).getroot().tag == SVG + "svg"
    rendered = drawing.render(outfile=tmp_path / "g.svg")
    assert rendered.endswith("g.svg") and ET.parse(rendered).getroot().tag == SVG + "svg"
    bundle = drawing._repr_mimebundle_()                          # what Jupyter displays
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_big_graph_is_refused_quickly_and_depth_draws_part():
    x = Value(1.0, "x")
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.5                                   # 10,000 gates, 20,001 value nodes
    with pytest.raises(GraphTooLarge, match="depth=k"):
        draw_graph(y)
    nodes, _, complete = breadth_first(y, limit=400)          # the refusal never walks the whole graph
    assert not complete and len(nodes) == 401
    src = draw_graph(y, depth=3).source
    assert len([l for l in node_lines(src) if "_op" in l.split()[0]]) == 3
    assert 'label="..."' in src                                # the cut inputs
    with pytest.raises(GraphTooLarge):
        next(backward_steps(y))
