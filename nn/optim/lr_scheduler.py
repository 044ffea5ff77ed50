"""Learning-rate schedules (``nn.optim.lr_scheduler``), PyTorch's names and
formulas, per parameter group: call ``step()`` once per epoch (after the
optimizer's steps); it sets each group's lr and returns the first group's.
As in PyTorch, a step multiplies the current lr (schedules chain), except LambdaLR's."""
from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Sequence, Union

__all__ = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR", "ReduceLROnPlateau",
           "InverseTimeLR"]


class _Schedule:
    """PyTorch's chainable schedules: ``step()`` moves every group's *current*
    lr by the schedule's factor for the new epoch (η ← η · f_t), so schedules
    stacked on one optimizer multiply and an lr set by hand carries on from its
    new value. ``LambdaLR`` alone is not chainable, as in PyTorch (η = η₀ · λ(t)).
    A subclass sets its options, then calls this: each group's lr at the time
    becomes its ``initial_lr`` (kept in ``base_lrs``) and epoch 0's lr is set."""

    def __init__(self, optimizer) -> None:
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._set(self.get_lr())

    def get_lr(self) -> list:
        """Every group's lr at epoch ``last_epoch``, from the groups' current lrs."""
        raise NotImplementedError

    def _current(self) -> list:
        return [group["lr"] for group in self.optimizer.param_groups]

    def _set(self, values: list) -> None:
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = list(values)

    def step(self) -> float:
        """Advance one epoch and set every group's lr; returns the first group's."""
        self.last_epoch += 1
        self._set(self.get_lr())
        return self.optimizer.param_groups[0]["lr"]

    def get_last_lr(self) -> list:
        """The lrs the last ``step()`` (or the construction) set."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        return {"last_epoch": self.last_epoch, "base_lrs": list(self.base_lrs)}

    def load_state_dict(self, state: dict) -> None:
        self.last_epoch = int(state["last_epoch"])
        self.base_lrs = list(state.get("base_lrs", self.base_lrs))


class StepLR(_Schedule):
    """η_t = η_{t-1} · γ when t is a positive multiple of step_size, else η_{t-1}
    (alone: η_t = η₀ · γ^⌊t / step_size⌋)."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def get_lr(self) -> list:
        t = self.last_epoch
        if t == 0 or t % self.step_size:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class MultiStepLR(_Schedule):
    """η_t = η_{t-1} · γ^(times t is listed in milestones)
    (alone: η_t = η₀ · γ^(number of milestones ≤ t))."""

    def __init__(self, optimizer, milestones: Sequence[int], gamma: float = 0.1) -> None:
        self.milestones, self.gamma = Counter(milestones), gamma
        super().__init__(optimizer)

    def get_lr(self) -> list:
        k = self.milestones.get(self.last_epoch, 0)
        if not k:
            return self._current()
        return [lr * self.gamma ** k for lr in self._current()]


class ExponentialLR(_Schedule):
    """η_t = η_{t-1} · γ for t ≥ 1 (alone: η_t = η₀ · γ^t)."""

    def __init__(self, optimizer, gamma: float) -> None:
        self.gamma = gamma
        super().__init__(optimizer)

    def get_lr(self) -> list:
        if self.last_epoch == 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class CosineAnnealingLR(_Schedule):
    """PyTorch's recursive form, η_t = η_min + (η_{t-1} − η_min)(1 + cos(π t/T))/(1 + cos(π(t−1)/T)),
    and η_t = η_{t-1} + (η₀ − η_min)(1 − cos(π/T))/2 where (t − 1 − T) is a multiple of 2T
    (alone: η_t = η_min + (η₀ − η_min)(1 + cos(π t / T_max)) / 2)."""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def get_lr(self) -> list:
        t, T, low = self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return self._current()
        if (t - 1 - T) % (2 * T) == 0:
            return [lr + (base - low) * (1 - math.cos(math.pi / T)) / 2
                    for lr, base in zip(self._current(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (lr - low) + low for lr in self._current()]


class LambdaLR(_Schedule):
    """η_t = η₀ · lr_lambda(t), from the initial lr: not chainable, as in PyTorch."""

    def __init__(self, optimizer, lr_lambda: Callable[[int], float]) -> None:
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def get_lr(self) -> list:
        return [base * self.lr_lambda(self.last_epoch) for base in self.base_lrs]


class InverseTimeLR(_Schedule):
    """η_t = η_{t-1} · (1 + decay · (t − 1)) / (1 + decay · t), chainable like PyTorch's
    (alone: η_t = η₀ / (1 + decay · t)): η → 0 as iterations progress, with Σ η_t = ∞
    (seed 001's condition for SGD to converge)."""

    def __init__(self, optimizer, decay: float) -> None:
        self.decay = decay
        super().__init__(optimizer)

    def get_lr(self) -> list:
        t = self.last_epoch
        if t == 0:
            return self._current()
        ratio = (1.0 + self.decay * (t - 1)) / (1.0 + self.decay * t)
        return [lr * ratio for lr in self._current()]


class ReduceLROnPlateau:
    """Multiply the lr by ``factor`` (not below ``min_lr``, a number or one per group; a
    change under ``eps`` is skipped) when the metric given to ``step(metric)`` has not
    improved for more than ``patience`` epochs; improved means below best · (1 − threshold)
    ('min', 'rel'), best − threshold ('min', 'abs'), or above best · (1 + threshold) /
    best + threshold for 'max'. PyTorch's arguments, order and defaults."""

    def __init__(self, optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0,
                 min_lr: Union[float, Sequence[float]] = 0.0, eps: float = 1e-8) -> None:
        if mode not in ("min", "max") or threshold_mode not in ("rel", "abs") or not 0 < factor < 1:
            raise ValueError("ReduceLROnPlateau: mode 'min' or 'max', threshold_mode 'rel' or 'abs' and "
                             f"0 < factor < 1, got {mode!r}, {threshold_mode!r}, {factor}")
        n = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != n:
                raise ValueError(f"ReduceLROnPlateau: expected {n} min_lrs, got {len(min_lr)}")
            self.min_lrs = [float(m) for m in min_lr]
        else:
            self.min_lrs = [float(min_lr)] * n
        self.optimizer, self.mode, self.factor, self.patience = optimizer, mode, factor, patience
        self.threshold, self.threshold_mode, self.cooldown, self.eps = threshold, threshold_mode, cooldown, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.bad_epochs = 0
        self.cooldown_left = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def _better(self, metric: float) -> bool:
        rel = self.threshold_mode == "rel"
        if self.mode == "min":
            return metric < (self.best * (1 - self.threshold) if rel else self.best - self.threshold)
        return metric > (self.best * (1 + self.threshold) if rel else self.best + self.threshold)

    def step(self, metric: float) -> float:
        """Record one epoch's metric; returns the first group's lr."""
        metric = float(metric)
        self.last_epoch += 1
        if self._better(metric):
            self.best, self.bad_epochs = metric, 0
        else:
            self.bad_epochs += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_epochs = 0
        if self.bad_epochs > self.patience:
            for group, low in zip(self.optimizer.param_groups, self.min_lrs):
                new = max(group["lr"] * self.factor, low)
                if group["lr"] - new > self.eps:
                    group["lr"] = new
            self.cooldown_left, self.bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]
        return self.optimizer.param_groups[0]["lr"]

    def get_last_lr(self) -> list:
        return list(self._last_lr)
