"""Train a classifier and write pictures of it: ``python -m nn.demo``.

Defaults: the 3-class spiral of seed 000, an MLP 2-64-64-3 trained with Adam on
75% of the points and tested on the other 25%; train and test accuracy printed,
and in ``demo_out/``: the decision boundary with train and test points told
apart and both accuracies in its title (PNG, 2-D datasets), train and test loss
and accuracy per epoch (PNG), and the computational graph of the trained model
on two test points, after backward (SVG). ``python -m nn.demo --help`` lists
the datasets, architectures and options.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional

import numpy as np

from autograd_core import manual_seed, save_svg

from . import data as D
from . import functional as F
from .layers import MLP
from .optim import Adam
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


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot_boundary(model, split: tuple, result: dict, path: Path) -> None:
    """The classes the model assigns over the plane, the training points as
    circles and the test points as triangles, accuracies in the title."""
    plt = _pyplot()
    from .train import predict
    Xtr, Xte, ytr, yte = split
    X = np.concatenate([Xtr, Xte])
    pad = 0.2
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 300)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 300)
    gx, gy = np.meshgrid(xs, ys)
    out = predict(model, np.stack([gx.ravel(), gy.ravel()], axis=1))
    pred = out.argmax(axis=1)                       # every model here has one output per class (>= 2)
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.contourf(gx, gy, pred.reshape(gx.shape), alpha=0.25, cmap="brg")
    ax.scatter(Xtr[:, 0], Xtr[:, 1], c=ytr, s=14, cmap="brg", edgecolors="k", linewidths=0.3, marker="o",
               label=f"train ({len(Xtr)})")
    ax.scatter(Xte[:, 0], Xte[:, 1], c=yte, s=34, cmap="brg", edgecolors="k", linewidths=0.8, marker="^",
               label=f"test ({len(Xte)})")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(f"decision boundary: train accuracy {result['train_accuracy']:.3f}, "
                 f"test {result['test_accuracy']:.3f}", fontsize=10)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def plot_history(history: List[dict], path: Path) -> None:
    """Train and test loss (log scale) and accuracy, epoch by epoch."""
    plt = _pyplot()
    epochs = np.arange(1, len(history) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    left.plot(epochs, [h["loss"] for h in history], label="train")
    left.plot(epochs, [h["test_loss"] for h in history], label="test")
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("cross-entropy loss")
    left.legend()
    right.plot(epochs, [h["accuracy"] for h in history], label="train")
    right.plot(epochs, [h["test_accuracy"] for h in history], label="test")
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.set_ylim(0, 1.02)
    right.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def model_graph(model, Xte: np.ndarray, yte: np.ndarray, path: Path) -> None:
    """The computational graph of the trained model's loss on two test points,
    after backward: every layer's gate, shapes and gradients."""
    from autograd_core import Tensor, toposort
    x = Tensor(Xte[:2], label="x (2 test points)")
    loss = F.cross_entropy(model(x), yte[:2])
    loss.label = "loss"
    for node in toposort(loss):                  # keep every interior gradient, to draw it
        if not node.is_leaf:
            node.retain_grad()
    loss.backward()
    save_svg(loss, path, rankdir="TB")


EPILOG = """datasets:
  spiral   3 classes, 300 points in the plane (seed 000's spiral)
  moons    2 classes, 400 points in the plane
  parity   2 classes, the 256 8-bit patterns labelled by their parity (seed 001)
  digits   10 classes, 1,797 8x8 handwritten digits (needs scikit-learn)
architectures:
  an MLP: --hidden gives the hidden layer sizes (64,64 = two layers of 64),
  --activation their nonlinearity; the output layer has one unit per class
examples:
  python -m nn.demo
  python -m nn.demo --dataset digits --hidden 128,64 --epochs 30
  python -m nn.demo --dataset moons --hidden 16 --activation tanh"""


def main(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m nn.demo", description="Train a classifier and write pictures of it.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", choices=DATASETS, default="spiral", help="what to learn (default spiral)")
    parser.add_argument("--hidden", default="64,64", help="hidden layer sizes, comma separated (default 64,64)")
    parser.add_argument("--activation", default="relu", choices=("relu", "tanh", "sigmoid", "elu", "leaky_relu"),
                        help="hidden activation (default relu)")
    parser.add_argument("--epochs", type=int, default=150, help="passes over the training set (default 150)")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam's learning rate (default 0.01)")
    parser.add_argument("--batch-size", type=int, default=32, help="minibatch size (default 32)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the data, the split and the weights")
    parser.add_argument("--out", default="demo_out", help="folder for the pictures (default demo_out)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        hidden = [int(h) for h in args.hidden.split(",") if h.strip()]
    except ValueError:
        parser.error(f"--hidden must be comma-separated integers, got {args.hidden!r}")

    manual_seed(args.seed)
    X, y, classes = load(args.dataset, args.seed)
    Xtr, Xte, ytr, yte = D.train_test_split(X, y, 0.25, seed=args.seed)     # every dataset: a held-out test set
    model = MLP(X.shape[1], hidden + [classes], activation=args.activation, seed=args.seed)
    print(f"{args.dataset}: {len(Xtr)} training and {len(Xte)} test points, {classes} classes")
    print(model)

    def evaluate(epoch: int, record: dict) -> None:        # test loss and accuracy after every epoch
        from autograd_core import Tensor, no_grad
        model.eval()
        with no_grad():
            out = model(Tensor(Xte))
            record["test_loss"] = F.cross_entropy(out, yte).item()
        record["test_accuracy"] = float((out.data.argmax(axis=1) == yte).mean())
        model.train()

    start = time.perf_counter()
    history = fit(model, F.cross_entropy, Adam(model.parameters(), lr=args.lr),
                  D.DataLoader(Xtr, ytr, args.batch_size, shuffle=True, seed=args.seed), args.epochs,
                  progress=not args.quiet, on_epoch=evaluate)
    seconds = time.perf_counter() - start
    result = {"train_accuracy": accuracy(model, Xtr, ytr), "test_accuracy": history[-1]["test_accuracy"],
              "seconds": seconds, "history": history}
    print(f"trained {args.epochs} epochs in {seconds:.1f} s: train accuracy {result['train_accuracy']:.3f}, "
          f"test accuracy {result['test_accuracy']:.3f}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model_graph(model, Xte, yte, out / "graph.svg")
    written = [out / "graph.svg"]
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed, so no PNG plots: pip install matplotlib", file=sys.stderr)
    else:
        plot_history(history, out / "loss.png")
        written.append(out / "loss.png")
        if X.shape[1] == 2:
            plot_boundary(model, (Xtr, Xte, ytr, yte), result, out / "boundary.png")
            written.append(out / "boundary.png")
    print("wrote " + ", ".join(str(p) for p in written))
    result["files"] = written
    return result


if __name__ == "__main__":
    main()
