"""Datasets generated in code."""
from __future__ import annotations

import math
import random
from typing import List, Tuple


def moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> Tuple[List[Tuple[float, float]], List[int]]:
    """Two interleaving half circles ("two moons"): ``n`` points, labels 0 and 1.

    Class 0 lies on (cos t, sin t), class 1 on (1 - cos t, 1/2 - sin t), t in [0, π],
    each point moved by Gaussian noise of standard deviation ``noise``.
    """
    rng = random.Random(seed)
    xs: List[Tuple[float, float]] = []
    ys: List[int] = []
    for i in range(n):
        label = i % 2
        t = math.pi * rng.random()
        if label == 0:
            x, y = math.cos(t), math.sin(t)
        else:
            x, y = 1.0 - math.cos(t), 0.5 - math.sin(t)
        xs.append((x + rng.gauss(0, noise), y + rng.gauss(0, noise)))
        ys.append(label)
    return xs, ys
