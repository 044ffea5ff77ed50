"""Scalar workloads: networks of ``Value`` nodes against plain Python floats.

* moons: one full-batch SGD step of MLP(2, [16, 16, 1]) on 100 "moons" points
  (hinge loss + L2), the graph freed at the end of the step, built two ways:
  one ``*`` and one ``+`` node per weight (``nn.scalar.MLP(fused=False)``, what
  a lesson draws) and one node per neuron, ``relu(w · x + b)`` as a dot gate
  with the activation folded in (``fused=True``, the default).
  The floor is the same step written by hand with floats, as fast as we could
  make it (C-level dot products; weight gradients summed over samples at the
  end): the forward and the backward of every sample, as the graph does (a
  sample whose hinge is inactive still sends its zero gradient back through
  the network). A second floor that skips those samples is printed beside it
  for reference. The targets use
  one step per timing with ``gc.collect()`` before it (every case starts from
  the same collector state), and again five steps in a row with the collector
  left alone, as in a training loop (its full collections then land on the
  live graph too); both are held to the targets. Each is also timed with the
  collector paused (``harness.collector_paused``), for reference: the
  difference is what the collector costs.
* chain: ``x = x * 1.0001 + 0.0001`` repeated N times, built, backpropagated and
  freed, in nanoseconds per op node, for N from 1e3 to 1e6 (flat means linear).
* memory: bytes per node of a live graph after forward and backward (the
  parameters' gradients, which are not the graph's, are made by an earlier step).

Run: python benchmarks/bench_scalar.py
"""
from __future__ import annotations

import gc
import statistics
import sys
import tracemalloc
from operator import mul
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import harness  # noqa: E402

if __name__ == "__main__":
    harness.pin()                    # one BLAS thread, before numpy loads (as bench_tensor.py)

from autograd_core import Value, detect_anomaly, toposort  # noqa: E402
from nn.data import moons  # noqa: E402
from nn.scalar import MLP  # noqa: E402

LR, ALPHA = 0.05, 1e-4


def engine_loss(model: MLP, X, Y) -> Value:
    params = model.parameters()
    losses = [(1.0 - y * model(x)).relu() for x, y in zip(X, Y)]
    return Value.sum(losses) * (1.0 / len(losses)) + ALPHA * Value.dot(params, params)


def engine_step(model: MLP, X, Y) -> float:
    loss = engine_loss(model, X, Y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def handwritten_step(W, B, X, Y, sparse: bool = False) -> float:
    """The same step with no graph, the fastest float code we could write:
    the forward of every sample with C-level dot products (``sum(map(mul, ...))``),
    the backward of every sample through the layers (with a zero gradient when
    its hinge is inactive, as the graph does), and each weight's gradient summed
    over the samples at the end, column by column, as the engine's dot gate
    does. ``sparse`` skips the inactive samples (the same step, less work; a
    reference line, since the graph has no such shortcut). ``W`` and ``B`` are
    updated in place."""
    n = len(X)
    nl = len(W)
    top = nl - 1
    columns = [None] + [list(zip(*Wl)) for Wl in W[1:]]   # for the gradient with respect to a layer's input
    G = [[] for _ in range(nl)]                     # per layer: each sample's gradient at its output
    A = [[] for _ in range(nl)]                     # per layer: each sample's input
    total = 0.0
    for x, y in zip(X, Y):
        acts = [x]
        pre = []
        a = x
        for l in range(nl):
            z = [b + sum(map(mul, row, a)) for row, b in zip(W[l], B[l])]
            pre.append(z)
            a = [v if v > 0.0 else 0.0 for v in z] if l < top else z
            acts.append(a)
        m = 1.0 - y * a[0]
        if m > 0.0:
            total += m
            gz = [-y / n]
        elif sparse:
            continue
        else:
            gz = [0.0]
        for l in range(top, -1, -1):
            G[l].append(gz)
            A[l].append(acts[l])
            if l:
                ga = [sum(map(mul, gz, col)) for col in columns[l]]
                gz = [gi if zi > 0.0 else 0.0 for gi, zi in zip(ga, pre[l - 1])]
    reg = 0.0
    for l in range(nl):
        Wl = W[l]
        gcols = list(zip(*G[l])) or [()] * len(Wl)          # dz/dW[j][i] = Σ_samples g_j a_i
        acols = list(zip(*A[l])) or [()] * len(Wl[0])
        for j, row in enumerate(Wl):
            gj = gcols[j]
            reg += sum(map(mul, row, row))
            Wl[j] = [w - LR * (sum(map(mul, gj, ac)) + 2 * ALPHA * w) for w, ac in zip(row, acols)]
        Bl = B[l]
        reg += sum(map(mul, Bl, Bl))
        Bl[:] = [b - LR * (sum(gj) + 2 * ALPHA * b) for b, gj in zip(Bl, gcols)]
    return total / n + ALPHA * reg


def weights_of(model: MLP):
    W = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]
    B = [[n.b.data for n in layer.neurons] for layer in model.layers]
    return W, B


def problem(n: int = 100):
    X, labels = moons(n, noise=0.1, seed=1)
    return X.tolist(), [2.0 * l - 1.0 for l in labels.tolist()]


def check_same_step(model: MLP, W, B, xs, Y, sparse: bool = False) -> None:
    """Correctness first: the engine and the floor take the same step."""
    l_engine = engine_step(model, xs, Y)
    l_hand = handwritten_step(W, B, xs, Y, sparse)
    W2, B2 = weights_of(model)
    drift = max(abs(a - b) for Wl, Wl2 in zip(W, W2) for r, r2 in zip(Wl, Wl2) for a, b in zip(r, r2))
    drift = max([drift] + [abs(a - b) for Bl, Bl2 in zip(B, B2) for a, b in zip(Bl, Bl2)])
    assert abs(l_engine - l_hand) < 1e-9 and drift < 1e-9, (l_engine, l_hand, drift)


STEADY_STEPS = 5


def run_moons(rounds: int = 25) -> dict:
    xs, Y = problem()
    per_op = MLP(2, [16, 16, 1], seed=0, fused=False)
    fused = MLP(2, [16, 16, 1], seed=0, fused=True)
    W, B = weights_of(per_op)
    Ws, Bs = weights_of(per_op)
    start = weights_of(per_op)                      # fresh nested lists: the sparse floor's restart point
    check_same_step(per_op, W, B, xs, Y)
    check_same_step(fused, *weights_of(fused), xs, Y)
    Wc, Bc = weights_of(fused)
    check_same_step(fused, Wc, Bc, xs, Y, sparse=True)

    def anomaly_step() -> None:
        with detect_anomaly():
            engine_step(per_op, xs, Y)

    def sparse_step() -> None:
        """From the same weights every round: its work falls as the samples it skips grow."""
        for Wl, Wl0 in zip(Ws, start[0]):
            Wl[:] = [row[:] for row in Wl0]
        for Bl, Bl0 in zip(Bs, start[1]):
            Bl[:] = Bl0
        handwritten_step(Ws, Bs, xs, Y, sparse=True)

    cases = {"floor": lambda: handwritten_step(W, B, xs, Y),
             "per_op": lambda: engine_step(per_op, xs, Y),
             "fused": lambda: engine_step(fused, xs, Y),
             "floor_sparse": sparse_step}
    cases["per_op_quiet"] = harness.collector_paused(cases["per_op"])
    anomaly_step()                  # open and close the mode once: what follows measures "off"
    times = harness.interleaved(cases, rounds)
    stats = {name: harness.ratio_stats(times, name, "floor")
             for name in ("per_op", "fused", "per_op_quiet", "floor_sparse")}
    stats["per_op_vs_sparse"] = harness.ratio_stats(times, "per_op", "floor_sparse")
    stats["fused_vs_sparse"] = harness.ratio_stats(times, "fused", "floor_sparse")
    # a training loop: several steps in a row, the collector never reset, so its full
    # collections (which gc.collect() before each case puts off) are in the times
    loop = {name: (lambda f=cases[name]: [f() for _ in range(STEADY_STEPS)]) for name in ("floor", "per_op", "fused")}
    loop["per_op_quiet"] = harness.collector_paused(loop["per_op"])
    steady = harness.interleaved(loop, 9, collect=False)
    stats["per_op_steady"] = harness.ratio_stats(steady, "per_op", "floor")
    stats["fused_steady"] = harness.ratio_stats(steady, "fused", "floor")
    stats["per_op_steady_quiet"] = harness.ratio_stats(steady, "per_op_quiet", "floor")
    # anomaly mode on, timed apart: its allocations would disturb the collector for the others
    on = harness.interleaved({"floor": cases["floor"], "per_op_anomaly": anomaly_step}, 5)
    stats["per_op_anomaly"] = harness.ratio_stats(on, "per_op_anomaly", "floor")
    stats["floor_ms"] = statistics.median(times["floor"]) * 1e3
    stats["nodes"] = len(toposort(engine_loss(per_op, xs, Y)))
    return stats


def memory_per_node(fused: bool) -> tuple:
    """Bytes per node of the moons graph, alive after forward and backward.
    The parameters' gradients (one float each, 337 of them) are not the
    graph's: a first step makes them, so the measured step only replaces them
    (counting them adds 24 x 337 bytes: 0.1 per node one-per-op, 2 with neuron
    nodes)."""
    xs, Y = problem()
    model = MLP(2, [16, 16, 1], seed=0, fused=fused)
    engine_loss(model, xs, Y).backward()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = engine_loss(model, xs, Y)
    loss.backward()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    nodes = len(toposort(loss))
    return (after - before) / nodes, nodes


def chain_engine(n: int) -> float:
    x = Value(1.0)
    y = x
    for _ in range(n):
        y = y * 1.0001 + 0.0001
    y.backward()
    return x.grad


def chain_torch(n: int) -> float:
    torch = harness.load_torch()
    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0001 + 0.0001
    y.backward()
    return float(x.grad)


chain_quiet = harness.collector_paused(chain_engine)     # chain_engine with the collector paused


def check_chain(fn, n: int = 1000) -> None:
    """Correctness first: d(x_n)/d(x_0) = 1.0001^n."""
    got = fn(n)
    assert abs(got - 1.0001 ** n) < 1e-9 * 1.0001 ** n, (fn.__name__, got)


def chain_ns_per_node(cases: dict, n: int, rounds: int) -> dict:
    """Time to build, backpropagate and free the chain, per op node (2 per step),
    for each case, the cases interleaved round by round: the median and the
    10th-90th percentile spread over the rounds (``harness.spread``)."""
    times = harness.interleaved({name: (lambda f=f: f(n)) for name, f in cases.items()}, rounds)
    return {name: harness.spread([x / (2 * n) * 1e9 for x in t]) for name, t in times.items()}


def _ns(runs: list, name: str) -> str:
    """'309 [301-322] / ...': each size's median ns per node and its spread."""
    return " / ".join(f"{r[name]['median']:,.0f} [{r[name]['lo']:,.0f}-{r[name]['hi']:,.0f}]" for r in runs)


CHAIN_NS = 1000.0


def report_moons(r: dict) -> None:
    print(f"scalar MLP(2,[16,16,1]) of Values, one SGD step on 100 moons points incl. freeing the graph "
          f"(float floor: {r['floor_ms']:.2f} ms; {r['nodes']} nodes one-per-op)")
    print(harness.line("one node per op (fused=False)", r["per_op"], 10.0))
    print(harness.line("one node per neuron, dot + relu (fused=True)", r["fused"], 3.0))
    print(harness.line("one node per op, gc.disable() around the step", r["per_op_quiet"], None))
    print(harness.line(f"one node per op, {STEADY_STEPS} steps in a row, no gc.collect()", r["per_op_steady"], 10.0))
    print(harness.line(f"the same {STEADY_STEPS} steps, gc.disable() around them", r["per_op_steady_quiet"], None))
    print(harness.line(f"neuron nodes, {STEADY_STEPS} steps in a row, no gc.collect()", r["fused_steady"], 3.0))
    print(harness.line("one node per op, inside detect_anomaly()", r["per_op_anomaly"], None))
    print(harness.line("float floor skipping zero-gradient backward", r["floor_sparse"], None))
    print(harness.line("one node per op against that sparse floor", r["per_op_vs_sparse"], None))
    print(harness.line("neuron nodes against that sparse floor", r["fused_vs_sparse"], None))


def report_memory() -> None:
    for fused in (False, True):
        per, nodes = memory_per_node(fused)
        print(f"  memory: {per:.0f} bytes per node ({nodes} nodes, {'neuron' if fused else 'one per op'}, after "
              f"forward and backward, the parameters' gradients not counted; target <= 120  "
              f"{harness.verdict(per, 120)})")


def report_chain() -> None:
    sizes = (1_000, 10_000, 100_000, 1_000_000)
    check_chain(chain_engine)
    check_chain(chain_quiet)
    runs = [chain_ns_per_node({"engine": chain_engine, "quiet": chain_quiet}, n, 9 if n < 1_000_000 else 5)
            for n in sizes]
    ns = [r["engine"]["median"] for r in runs]
    quiet = [r["quiet"]["median"] for r in runs]
    flat = max(ns) / min(ns)
    print("chain x = x*1.0001 + 0.0001, build + backward + free, ns per op node (median [10-90%]), "
          "N = 1e3 / 1e4 / 1e5 / 1e6:")
    print(f"  engine   {_ns(runs, 'engine')}   target <= {CHAIN_NS:,.0f} "
          f"{harness.verdict(max(ns), CHAIN_NS)}; flat within {flat:.2f}x (target <= 1.5x "
          f"{harness.verdict(flat, 1.5)})")
    print(f"  engine with gc.disable() around each run (reference): {_ns(runs, 'quiet')}; "
          f"flat within {max(quiet) / min(quiet):.2f}x")
    torch = harness.load_torch()
    if torch is not None:           # loaded only now: its heap would change the collector's work above
        check_chain(chain_torch)
        both = [chain_ns_per_node({"engine": chain_engine, "torch": chain_torch}, n, 5)
                for n in sizes[:3]]
        print(f"  side by side with PyTorch {torch.__version__} (one thread; interleaved, torch loaded), "
              f"N = 1e3 / 1e4 / 1e5: engine {_ns(both, 'engine')}, PyTorch {_ns(both, 'torch')}")


def main() -> None:
    report_moons(run_moons())
    report_memory()
    report_chain()


if __name__ == "__main__":
    main()
