"""Saving and loading parameters as safetensors files: plain arrays and a JSON
header, so loading a file never executes code (unlike pickle)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Union

__all__ = ["save", "load"]

PathLike = Union[str, os.PathLike]


def save(module, path: PathLike) -> Path:
    """Write ``module.state_dict()`` to ``path`` in the safetensors format."""
    from safetensors.numpy import save_file
    out = Path(path)
    save_file({k: v for k, v in module.state_dict().items()}, str(out))
    return out


def load(module, path: PathLike, strict: bool = True) -> None:
    """Read a safetensors file into ``module``'s parameters. A file that is not
    valid safetensors, or that lacks a parameter or gives it another shape,
    raises an error that names the problem and the parameter."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file
    try:
        state = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as e:
        raise ValueError(f"load: {os.fspath(path)!r} is not a readable safetensors file: {e}") from None
    module.load_state_dict(state, strict=strict)
