"""Train a classifier and write pictures of it: ``python -m nn.demo``.

Defaults: the 3-class spiral of seed 000, an MLP 2-64-64-3 trained with Adam,
train and test accuracy printed, and in ``demo_out/``: the decision boundary
(PNG), the loss curve (PNG) and the computational graph of a small scalar
network (SVG). ``python -m nn.demo --help`` lists the options.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional

import numpy as np

from autograd_core import Value, save_svg

from . import data as D
from . import functional as F
from .layers import MLP
from .optim import Adam
from .scalar import MLP as ScalarMLP
from .train import accuracy, fit

DATASETS = ("spiral", "moons", "parity", "digits")


def load(name: str, seed: int):
    """(X, y, number of classes) for a dataset name."""
    if name == "spiral":
        X, y = D.spiral(100, classes=3, noise=0.02, seed=seed)
        return X, y, 3
    if name == "moons":
        X, y = D.moons(400, noise=0.1, seed=seed)
        return X, y, 2
    if name == "parity":
        X, y = D.parity(8)
        return X, y, 2
    X, y = D.digits()
    return X, y, 10


def plot_boundary(model, X: np.ndarray, y: np.ndarray, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from .train import predict
    pad = 0.2
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 300)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 300)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    pred = predict(model, grid).argmax(axis=1).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, pred, alpha=0.3, cmap="brg")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="brg", edgecolors="k", linewidths=0.3)
    ax.set_title("decision boundary")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def plot_loss(history: List[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot([h["loss"] for h in history])
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_yscale("log")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def small_graph(path: Path) -> None:
    """The graph of a 2-2-1 scalar network's hinge loss on one point, every weight a node."""
    net = ScalarMLP(2, [2, 1], activation="tanh", seed=1, fused=False)
    x = [Value(0.5, "x1"), Value(-1.0, "x2")]
    loss = (1.0 - net(x)).relu()
    loss.label = "loss"
    loss.backward()
    save_svg(loss, path)


def main(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m nn.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, default="spiral")
    parser.add_argument("--hidden", default="64,64", help="hidden layer sizes, comma separated")
    parser.add_argument("--activation", default="relu", choices=("relu", "tanh", "sigmoid", "elu", "leaky_relu"))
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="demo_out", help="folder for the pictures")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        hidden = [int(h) for h in args.hidden.split(",") if h.strip()]
    except ValueError:
        parser.error(f"--hidden must be comma-separated integers, got {args.hidden!r}")

    X, y, classes = load(args.dataset, args.seed)
    if args.dataset == "parity":         # all 256 patterns: the task is to fit them
        Xtr, Xte, ytr, yte = X, X, y, y
    else:
        Xtr, Xte, ytr, yte = D.train_test_split(X, y, 0.25, seed=args.seed)
    model = MLP(X.shape[1], hidden + [classes], activation=args.activation, seed=args.seed)
    print(f"{args.dataset}: {len(Xtr)} training and {len(Xte)} test points, {classes} classes")
    print(model)
    start = time.perf_counter()
    history = fit(model, F.cross_entropy, Adam(model.parameters(), lr=args.lr),
                  D.DataLoader(Xtr, ytr, args.batch_size, shuffle=True, seed=args.seed), args.epochs,
                  progress=not args.quiet)
    seconds = time.perf_counter() - start
    result = {"train_accuracy": accuracy(model, Xtr, ytr), "test_accuracy": accuracy(model, Xte, yte),
              "seconds": seconds}
    print(f"trained {args.epochs} epochs in {seconds:.1f} s: train accuracy {result['train_accuracy']:.3f}, "
          f"test accuracy {result['test_accuracy']:.3f}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    small_graph(out / "graph.svg")
    written = [out / "graph.svg"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed, so no PNG plots: pip install matplotlib", file=sys.stderr)
    else:
        plot_loss(history, out / "loss.png")
        written.append(out / "loss.png")
        if X.shape[1] == 2:
            plot_boundary(model, X, y, out / "boundary.png")
            written.append(out / "boundary.png")
    print("wrote " + ", ".join(str(p) for p in written))
    result["files"] = written
    return result


if __name__ == "__main__":
    main()
