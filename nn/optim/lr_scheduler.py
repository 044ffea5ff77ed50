"""Learning-rate schedules (``nn.optim.lr_scheduler``), PyTorch's names and
formulas, per parameter group: call ``step()`` once per epoch (after the
optimizer's steps); it sets each group's lr and returns the first group's."""
from __future__ import annotations

import math
from typing import Callable, Optional, Sequence

__all__ = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR", "ReduceLROnPlateau",
           "InverseTimeLR"]


class _Schedule:
    """A subclass sets its own options, then calls this: each group's lr at the
    time becomes its ``initial_lr`` and is set to the schedule's epoch-0 value,
    as PyTorch does on construction."""

    def __init__(self, optimizer) -> None:
        self.optimizer = optimizer
        self.last_epoch = 0
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
            group["lr"] = self.rate(group["initial_lr"], 0)

    def factor(self, t: int) -> float:
        """The lr of epoch t as a multiple of the initial lr."""
        raise NotImplementedError

    def step(self) -> float:
        """Advance one epoch and set every group's lr; returns the first group's."""
        self.last_epoch += 1
        for group in self.optimizer.param_groups:
            group["lr"] = self.rate(group["initial_lr"], self.last_epoch)
        return self.optimizer.param_groups[0]["lr"]

    def rate(self, initial: float, t: int) -> float:
        return initial * self.factor(t)

    def get_last_lr(self) -> list:
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        return {"last_epoch": self.last_epoch}

    def load_state_dict(self, state: dict) -> None:
        self.last_epoch = int(state["last_epoch"])


class StepLR(_Schedule):
    """η_t = η₀ · γ^⌊t / step_size⌋"""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return self.gamma ** (t // self.step_size)


class MultiStepLR(_Schedule):
    """η_t = η₀ · γ^(number of milestones ≤ t)"""

    def __init__(self, optimizer, milestones: Sequence[int], gamma: float = 0.1) -> None:
        self.milestones, self.gamma = sorted(milestones), gamma
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return self.gamma ** sum(1 for m in self.milestones if m <= t)


class ExponentialLR(_Schedule):
    """η_t = η₀ · γ^t"""

    def __init__(self, optimizer, gamma: float) -> None:
        self.gamma = gamma
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return self.gamma ** t


class CosineAnnealingLR(_Schedule):
    """η_t = η_min + (η₀ − η_min)(1 + cos(π t / T_max)) / 2"""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def rate(self, initial: float, t: int) -> float:
        return self.eta_min + (initial - self.eta_min) * (1 + math.cos(math.pi * t / self.T_max)) / 2


class LambdaLR(_Schedule):
    """η_t = η₀ · lr_lambda(t)"""

    def __init__(self, optimizer, lr_lambda: Callable[[int], float]) -> None:
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return self.lr_lambda(t)


class InverseTimeLR(_Schedule):
    """η_t = η₀ / (1 + decay · t): η → 0 as iterations progress, with Σ η_t = ∞
    (seed 001's condition for SGD to converge)."""

    def __init__(self, optimizer, decay: float) -> None:
        self.decay = decay
        super().__init__(optimizer)

    def factor(self, t: int) -> float:
        return 1.0 / (1.0 + self.decay * t)


class ReduceLROnPlateau:
    """Multiply the lr by ``factor`` when the metric given to ``step(metric)`` has not
    improved (by ``threshold``, relatively) for ``patience`` epochs; PyTorch's defaults."""

    def __init__(self, optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0, eps: float = 1e-8) -> None:
        if mode not in ("min", "max") or not 0 < factor < 1:
            raise ValueError(f"ReduceLROnPlateau: mode 'min' or 'max' and 0 < factor < 1, got {mode!r}, {factor}")
        self.optimizer, self.mode, self.factor, self.patience = optimizer, mode, factor, patience
        self.threshold, self.cooldown, self.min_lr, self.eps = threshold, cooldown, min_lr, eps
        self.best: Optional[float] = None
        self.bad_epochs = 0
        self.cooldown_left = 0

    def _better(self, metric: float) -> bool:
        if self.best is None:
            return True
        if self.mode == "min":
            return metric < self.best * (1 - self.threshold)
        return metric > self.best * (1 + self.threshold)

    def step(self, metric: float) -> float:
        metric = float(metric)
        if self._better(metric):
            self.best, self.bad_epochs = metric, 0
        else:
            self.bad_epochs += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_epochs = 0
        if self.bad_epochs > self.patience:
            for group in self.optimizer.param_groups:
                new = max(group["lr"] * self.factor, self.min_lr)
                if group["lr"] - new > self.eps:
                    group["lr"] = new
            self.cooldown_left, self.bad_epochs = self.cooldown, 0
        return self.optimizer.param_groups[0]["lr"]
