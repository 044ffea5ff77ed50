"""Saving and loading parameters as safetensors files: plain arrays and a JSON
header, so loading a file never executes code (unlike pickle).

``save`` writes a SHA-256 checksum of every array into the file's metadata and
``load`` verifies them, so a flipped byte is an error, not a silently wrong
weight; a file without checksums (written by another program) still loads,
with a warning. Loading is all or nothing: every entry is read and checked
before any parameter changes.
"""
from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path
from typing import Dict, Union

import numpy as np

__all__ = ["save", "load"]

PathLike = Union[str, os.PathLike]
_CHECKSUM = "sha256:"          # metadata key prefix: one entry per array


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def save(module, path: PathLike) -> Path:
    """Write ``module.state_dict()`` to ``path`` in the safetensors format, with
    a checksum of each array in the metadata."""
    from safetensors.numpy import save_file
    out = Path(path)
    if out.is_dir():
        raise IsADirectoryError(f"save: {os.fspath(out)!r} is a directory; give a file name such as "
                                f"{os.fspath(out / 'model.safetensors')!r}")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"save: the directory {os.fspath(out.parent)!r} does not exist; "
                                "create it first (Path(...).mkdir(parents=True))")
    state = dict(module.state_dict())
    meta = {_CHECKSUM + name: _digest(array) for name, array in state.items()}
    meta["format"] = "autograd-core"
    save_file(state, str(out), metadata=meta)
    return out


def _read(path: PathLike) -> Dict[str, np.ndarray]:
    """Every array of a safetensors file, each verified against its checksum."""
    from safetensors import SafetensorError, safe_open
    p = Path(path)
    if p.is_dir():
        raise IsADirectoryError(f"load: {os.fspath(p)!r} is a directory, not a safetensors file")
    if not p.exists():
        raise FileNotFoundError(f"load: no file at {os.fspath(p)!r}")
    try:
        with safe_open(str(p), framework="numpy") as f:
            meta = f.metadata() or {}
            state = {name: f.get_tensor(name) for name in f.keys()}
    except (SafetensorError, OSError, ValueError) as e:
        raise ValueError(f"load: {os.fspath(p)!r} is not a readable safetensors file: {e}") from None
    sums = {k[len(_CHECKSUM):]: v for k, v in meta.items() if k.startswith(_CHECKSUM)}
    if not sums:
        warnings.warn(f"load: {os.fspath(p)!r} holds no checksums (not written by nn.save); "
                      "its arrays are loaded unverified", stacklevel=3)
        return state
    for name, array in state.items():
        if name not in sums:
            raise ValueError(f"load: entry {name!r} of {os.fspath(p)!r} has no checksum; the file was altered")
        if _digest(array) != sums[name]:
            raise ValueError(f"load: entry {name!r} of {os.fspath(p)!r} is corrupted: its data does not "
                             "match the checksum written with it")
    return state


def load(module, path: PathLike, strict: bool = True) -> None:
    """Read a safetensors file into ``module``'s parameters, all or nothing. A
    missing path, a directory, a corrupted entry, a missing or unexpected
    parameter, another shape or a non-float dtype raises an error naming it,
    and leaves every parameter as it was."""
    module.load_state_dict(_read(path), strict=strict)
