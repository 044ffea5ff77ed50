"""The backward pass step by step: the frames, and the page that replays them
on one fixed layout (its texts per step, the accumulation written out, one
picture, no network), checked in a real browser when Chromium is installed."""
import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd_core import StepView, Tensor, Value, backward_steps, draw_graph, step_view, write_steps

SVG = "{http://www.w3.org/2000/svg}"


def lecture_graph():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    q = x + y
    f = q * z
    return x, y, z, q, f


def page_data(view: StepView) -> dict:
    return json.loads(re.search(r'id="steps-data">(.*?)</script>', view.html, re.S).group(1))


def shown(data: dict) -> list:
    """The grad texts on the page at each step: each record lists only its changes."""
    texts, states = dict(data["grad_base"]), []
    for step in data["steps"]:
        texts.update(step["grads"])
        states.append(dict(texts))
    return states


def neuron():
    v = {k: Value(val, label=k) for k, val in dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0).items()}
    s = v["w0"] * v["x0"] + v["w1"] * v["x1"] + v["w2"]
    return v, s, 1.0 / (1.0 + (-s).exp())


def test_backward_frames_one_per_gate_and_last_matches_backward():
    v, s, f = neuron()
    frames = list(backward_steps(f))
    gates = {n for fr in frames for n in [fr.node]}
    assert len(frames) == len(gates) == 8                          # *, *, +, +, neg, exp, +1, 1/
    assert [fr.gate for fr in frames][:2] == ["rdivc", "shift"]     # the notes' 1/x and +1 gates
    assert [fr.caption for fr in frames][:3] == ["1/", "+1", "exp"]  # ... as they are drawn
    f.backward()
    last = frames[-1].grads
    for leaf in v.values():
        assert last[leaf] == pytest.approx(leaf.grad, abs=1e-15)
    assert last[s] == pytest.approx(0.19661193324148185)
    src = frames[3].graph.source                                  # the neg gate: -0.1966 * -1 = 0.1966
    assert "-0.1966 * -1 = 0.1966" in src and "#fb923c" in src
    assert "grad ?" in frames[0].graph.source                     # not yet computed


def test_tensor_backward_frames_match_backward():
    W = Tensor(np.arange(6.0).reshape(3, 2) / 10, requires_grad=True)
    x = Tensor(np.ones((2, 3)))
    loss = (x @ W).tanh().sum()
    frames = list(backward_steps(loss))
    assert len(frames) == 3
    loss.backward()
    np.testing.assert_allclose(frames[-1].grads[W], W.grad)
    assert "upstream * local" in frames[-1].graph.source




def test_step_view_replays_the_lecture_example():
    x, y, z, q, f = lecture_graph()
    view = step_view(f)
    assert len(view) == 2 and view.html.count("<svg") == 1          # one layout for every step
    data = page_data(view)
    mul, add = data["steps"]
    assert (mul["name"], add["name"]) == ("mul", "add")
    assert mul["lines"] == ["input 1: 1 * -4 = -4", "z: 1 * 3 = 3"]   # q = 3, z = -4
    after_mul, after_add = shown(data)
    assert sorted(after_mul.values()) == ["grad -4", "grad 1", "grad 3", "grad ?", "grad ?"]
    assert sorted(after_add.values()) == ["grad -4", "grad -4", "grad -4", "grad 1", "grad 3"]
    assert add["formula"].startswith("z = x + y") and len(add["fresh"]) == 2
    assert set(data["grad_base"].values()) == {"grad ?"}
    assert "http://" not in view.html.replace("http://www.w3.org", "") and "https://" not in view.html
    assert "<script src" not in view.html and 'type="range"' in view.html
    assert x.grad == 0.0                                            # .grad untouched


def test_a_second_share_is_written_out_as_a_sum():
    x, y = Value(3.0, "x"), Value(6.0, "y")
    f = x + x * y                                                   # the add sends x 1, the mul 6
    data = page_data(step_view(f))
    texts = [t for s in data["steps"] for t in s["grads"].values()]
    assert "grad 1 + 6 = 7" in texts
    final = set(shown(data)[-1].values())
    assert "grad 1 + 6 = 7" in final                                # written at the step it happens
    # the drawing reserved room for the widest text each field and edge will show
    svg = step_view(f).html
    assert ">grad 1 + 6 = 7<" in svg and ">1: 1 * 6 = 6<" in svg


def test_two_shares_in_one_step_after_an_earlier_one_are_all_written_out():
    # (w * w).tanh() * w: the last mul gives w 1 share, then the square gives it two in
    # one step; the second of those used to overwrite the first on the page
    w = Value(2.0, "w")
    data = page_data(step_view((w * w).tanh() * w))
    texts = [t for s in data["steps"] for t in s["grads"].values()]
    t = math.tanh(4.0)
    share = 2.0 * (1 - t * t) * 2.0
    assert f"grad {t:.4g} + {share:.4g} + {share:.4g} = {t + 2 * share:.4g}" in texts
    assert all(len(s["fresh"]) == len(set(s["fresh"])) for s in data["steps"])


def test_step_view_matches_backward_on_tensors_and_honours_depth():
    W = Tensor(np.arange(6.0).reshape(3, 2) / 10, requires_grad=True)
    loss = (Tensor(np.ones((2, 3))) @ W).tanh().sum()
    data = page_data(step_view(loss))
    assert [s["name"] for s in data["steps"]] == ["sum", "tanh", "matmul"]
    b = Tensor([1.0, -1.0], requires_grad=True)                    # a bias used twice, broadcast
    y = ((Tensor(np.ones((3, 2))) + b).relu() + b).sum()
    texts = [t for s in page_data(step_view(y))["steps"] for t in s["grads"].values()]
    assert "grad [3, 3] + [3, 0] = [6, 3]" in texts                 # shares reduced to b's shape
    _, _, f = neuron()
    assert len(step_view(f, depth=3)) == 3                          # only the drawn gates step
    with pytest.raises(ValueError, match="no gates"):
        step_view(Value(1.0))


def test_hidden_gates_shares_reach_the_last_step_with_depth():
    # x feeds the root's gate (drawn) and, through four *1.5 gates, a part depth=2 leaves out
    x = Value(2.0, "x")
    deep = x
    for _ in range(4):
        deep = deep * 1.5
    f = x * 3.0 + deep
    expected = 3.0 + 1.5 ** 4
    for depth in (None, 2, 3):
        data = page_data(step_view(f, depth=depth))
        final = shown(data)[-1]
        x_id = next(i for s in data["steps"] for i, t in s["grads"].items() if t == "grad 3")
        assert final[x_id] == "grad 3 + 5.062 = 8.062", depth
        frames = list(backward_steps(f, depth=depth))
        assert len(frames) == len(data["steps"])
        assert [fr.index for fr in frames] == list(range(len(frames)))
        assert frames[-1].grads[x] == expected
        assert "#fb923c" in frames[-1].graph.source                 # the last frame still shows a gate
    f.backward()
    assert x.grad == expected


def test_write_steps_writes_the_page_and_one_svg_per_step(tmp_path):
    *_, f = lecture_graph()
    page = write_steps(f, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("step_*.svg")) == ["step_000.svg", "step_001.svg"]
    for svg in tmp_path.glob("step_*.svg"):
        assert ET.parse(svg).getroot().tag == SVG + "svg"
    assert page.name == "backward.html" and page.read_text().count("<svg") == 1


def test_step_svgs_share_one_layout_and_show_each_step():
    *_, f = neuron()
    view = step_view(f)
    first, last = (ET.fromstring(svg) for svg in (view.frames_svg()[0], view.frames_svg()[-1]))
    # one layout for every step: it was drawn with the widest text each field will ever show
    drawn = ET.fromstring(re.search(r"<svg.*</svg>", view.html, re.S).group(0))
    data = page_data(view)
    reserved = {g.get("id"): g.findall(SVG + "text")[-1].text for g in drawn.iter(SVG + "g")
                if g.get("id") in data["grad_base"]}
    for state in shown(data):
        for nid, text in state.items():
            assert len(text) <= len(reserved[nid]), (nid, text, reserved[nid])
    texts = lambda root: [t.text for t in root.iter(SVG + "text")]
    # 13 values: the root knows 1, the first step (1/) sends to its input, 11 wait
    assert texts(first).count("grad ?") == 11 and "grad ?" not in texts(last)
    assert "1: 0.1966 * -2 = -0.3932" in texts(last)                 # the last gate: w1 * x1
    assert [e.get("fill") for e in last.iter(SVG + "ellipse")].count("#fb923c") == 1


def test_step_view_shows_inline_in_a_notebook():
    *_, f = lecture_graph()
    view = step_view(f)
    inline = view._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "&lt;svg" in inline and "<svg" not in inline
    assert "StepView(2 steps)" == repr(view)


def thirty_gate_graph():
    """The demo's 2-2-1 tanh network on two points with a squared loss."""
    W1 = [[Value(0.5, "w11"), Value(-0.3, "w12")], [Value(0.8, "w21"), Value(0.1, "w22")]]
    w2 = [Value(1.2, "v1"), Value(-0.7, "v2")]
    loss = Value(0.0)
    for (a, b), t in [((1.0, -1.0), 1.0), ((-0.5, 2.0), -1.0)]:
        h = [(W1[j][0] * a + W1[j][1] * b).tanh() for j in range(2)]
        out = (w2[0] * h[0] + w2[1] * h[1]).tanh()
        loss = loss + (out - t) ** 2
    return loss


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium (Debian package chromium)")
def test_a_thirty_gate_graph_is_drawn_at_natural_size_in_a_real_browser(tmp_path):
    loss = thirty_gate_graph()
    view = step_view(loss)
    assert len(view) >= 30
    page = view.save(tmp_path / "steps.html")
    url = page.as_uri() + "#step=12"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,800"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True,
                         timeout=60).stdout
    scale = float(re.search(r'data-scale="([\d.]+)"', dom).group(1))
    smallest = float(re.search(r'data-smallest-text-px="([\d.]+)"', dom).group(1))
    assert scale == pytest.approx(4 / 3, abs=0.01)                  # 1 pt = 4/3 px: not shrunk to fit
    assert smallest >= 11.5                                         # the smallest label, in screen pixels
    assert "step 12 of" in dom and 'class="node current"' in dom    # the script ran and went to step 12
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", url], capture_output=True, timeout=60)
    assert shot.stat().st_size > 20_000                             # a picture, not a blank page


def test_every_id_the_page_script_touches_is_in_the_drawing():
    # a Value constant takes a share (max with a number) but is drawn without a grad field
    x, y = Value(2.0, "x"), Value(3.0, "y")
    for f in (x.max(0.5) * y, neuron()[2], thirty_gate_graph()):
        view = step_view(f)
        data = page_data(view)
        drawn = set(re.findall(r'<g id="([^"]+)"', view.html))
        for step in data["steps"]:
            touched = {step["gate"], *step["fresh"], *step["grads"], *step["edges"]}
            assert touched <= drawn, touched - drawn
        assert set(data["grad_base"]) | set(data["edge_base"]) <= drawn


def test_step_captions_and_drawn_labels_show_the_gates_parameter():
    # the caption named the gate internally ("rdivc" beside a gate drawn "1/"), and an
    # index was drawn "[ ]" whatever it was
    x = Value(2.0, "x")
    assert [s["name"] for s in page_data(step_view((1 / x) * 3))["steps"]] == ["*3", "1/"]
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = Tensor(np.ones((2, 70)), requires_grad=True)
    parts = [t[1:], t[np.array([0, 2])], t[..., None][0, 0], m[:, ::2], m[np.zeros(70, int), np.arange(70)]]
    names = [s["name"] for s in page_data(step_view(sum(p.sum() for p in parts)))["steps"]]
    assert sorted(n for n in names if n.startswith("[")) == sorted(
        ["[1:]", "[[0,2]]", "[0, 0]", "[..., None]", "[:, ::2]", "[array(70), array(70)]"])
    source = draw_graph(parts[3].sum()).source
    assert 'label="[:, ::2]"' in source and "[ ]" not in source
    assert 'label="[mask(2,70)]"' in draw_graph(m[m.data > 0].sum()).source
    assert 'label="[()]"' in draw_graph(Tensor(2.0, requires_grad=True)[()]).source
