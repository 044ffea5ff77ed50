"""A small training loop with a progress bar, and evaluation helpers."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

import numpy as np

from autograd_core import Tensor, no_grad

from .data import DataLoader
from .module import Module
from .optim import Optimizer

__all__ = ["fit", "accuracy", "predict"]


def predict(model: Module, X: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs for ``X`` as an array, computed without a graph."""
    was_training = model.training
    model.eval()
    outs = []
    with no_grad():
        for start in range(0, len(X), batch_size):
            outs.append(model(Tensor(X[start:start + batch_size])).data)
    model.train(was_training)
    return np.concatenate(outs, axis=0)


def accuracy(model: Module, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows whose arg-max output equals the label (sign of a single
    output for two classes)."""
    out = predict(model, X)
    pred = (out[:, 0] > 0).astype(np.int64) if out.ndim == 2 and out.shape[1] == 1 else out.argmax(axis=1)
    return float((pred == np.asarray(y)).mean())


def fit(model: Module, loss_fn: Callable[[Tensor, Any], Tensor], optimizer: Optimizer,
        loader: DataLoader, epochs: int, progress: bool = True, schedule: Any = None,
        on_epoch: Optional[Callable[[int, Dict[str, float]], None]] = None) -> List[Dict[str, float]]:
    """Train for ``epochs`` passes over ``loader``: forward, ``loss_fn(output, y)``,
    backward, ``optimizer.step()`` (and ``schedule.step()`` per epoch when given).

    Shows a tqdm progress bar with the running loss and accuracy unless
    ``progress=False``. Returns one {"loss", "accuracy"} record per epoch.
    """
    history: List[Dict[str, float]] = []
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=epochs * len(loader), unit="batch", leave=True)
    model.train()
    try:
        for epoch in range(epochs):
            total, correct, seen = 0.0, 0, 0
            for xb, yb in loader:
                out = model(xb if isinstance(xb, Tensor) else Tensor(xb))
                loss = loss_fn(out, yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                n = len(xb)
                total += loss.item() * n
                seen += n
                labels = yb.data if isinstance(yb, Tensor) else np.asarray(yb)
                if out.ndim == 2 and out.shape[1] > 1 and labels.dtype.kind in "iu":
                    correct += int((out.data.argmax(axis=1) == labels).sum())
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(epoch=epoch + 1, loss=f"{total / seen:.4f}",
                                    acc=f"{correct / seen:.3f}", refresh=False)
            record = {"loss": total / seen, "accuracy": correct / seen}
            history.append(record)
            if schedule is not None:
                schedule.step()
            if on_epoch is not None:
                on_epoch(epoch, record)
    finally:
        if bar is not None:
            bar.close()
    return history
