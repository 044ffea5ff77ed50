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
import json
import os
import warnings
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

import numpy as np

__all__ = ["save", "load"]

PathLike = Union[str, os.PathLike]
_CHECKSUM = "sha256:"          # metadata key prefix: one entry per array


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


# Array entries of the optimizer's state: .optimizer.<index>.<name>. The leading '.' makes an
# empty first name, which no dotted module path has, so a submodule called ``optimizer`` is safe.
# Files written before used "optimizer." (their optimizer JSON has no "prefix"); they still load.
_OPT = ".optimizer."
_OLD_OPT = "optimizer."


def _optimizer_entries(optimizer) -> Tuple[Dict[str, np.ndarray], str]:
    """The optimizer's state as arrays and a JSON text of the rest (options, steps)."""
    sd = optimizer.state_dict()
    arrays, scalars = {}, {}
    for i, s in sd["state"].items():
        for k, v in s.items():
            if isinstance(v, np.ndarray):
                arrays[f"{_OPT}{i}.{k}"] = v
            else:
                scalars.setdefault(str(i), {})[k] = float(v) if not isinstance(v, (int, np.integer)) else int(v)
    return arrays, json.dumps({"param_groups": sd["param_groups"], "scalars": scalars,
                               "type": type(optimizer).__name__, "prefix": _OPT})


def save(module, path: PathLike, optimizer: Any = None, epoch: Optional[int] = None) -> Path:
    """Write ``module.state_dict()`` to ``path`` in the safetensors format, with
    a checksum of each array in the metadata; with ``optimizer`` (and ``epoch``)
    its state too, so training resumes exactly (``load`` returns the epoch). The
    model's entries keep PyTorch's names and shapes, so a PyTorch model of the
    same architecture loads them."""
    from safetensors.numpy import save_file
    out = Path(path)
    if out.is_dir():
        raise IsADirectoryError(f"save: {os.fspath(out)!r} is a directory; give a file name such as "
                                f"{os.fspath(out / 'model.safetensors')!r}")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"save: the directory {os.fspath(out.parent)!r} does not exist; "
                                "create it first (Path(...).mkdir(parents=True))")
    state = dict(module.state_dict())
    meta = {"format": "autograd-core"}
    if optimizer is not None:
        arrays, text = _optimizer_entries(optimizer)
        state.update(arrays)
        meta["optimizer"] = text
    if epoch is not None:
        meta["epoch"] = str(int(epoch))
    meta.update({_CHECKSUM + name: _digest(array) for name, array in state.items()})
    save_file(state, str(out), metadata=meta)
    return out


def _read(path: PathLike) -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    """Every array of a safetensors file, each verified against its checksum, and the metadata."""
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
        return state, meta
    for name, array in state.items():
        if name not in sums:
            raise ValueError(f"load: entry {name!r} of {os.fspath(p)!r} has no checksum; the file was altered")
        if _digest(array) != sums[name]:
            raise ValueError(f"load: entry {name!r} of {os.fspath(p)!r} is corrupted: its data does not "
                             "match the checksum written with it")
    return state, meta


def _optimizer_state(arrays: Dict[str, np.ndarray], saved: Dict[str, Any], prefix: str) -> Dict[str, Any]:
    state: Dict[int, Dict[str, Any]] = {}
    for key, array in arrays.items():
        i, name = key[len(prefix):].split(".", 1)
        state.setdefault(int(i), {})[name] = array
    for i, values in saved["scalars"].items():
        state.setdefault(int(i), {}).update(values)
    groups = saved["param_groups"]
    for g in groups:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    return {"state": state, "param_groups": groups}


def load(module, path: PathLike, strict: bool = True, optimizer: Any = None) -> Optional[int]:
    """Read a safetensors file into ``module``'s parameters (and ``optimizer``'s
    state, when given and saved), all or nothing; returns the saved epoch or
    None. A missing path, a directory, a corrupted entry, a missing or
    unexpected parameter, another shape or a non-float dtype raises an error
    naming it, and leaves everything as it was."""
    state, meta = _read(path)
    saved = json.loads(meta["optimizer"]) if "optimizer" in meta else None     # read once
    prefix = saved.get("prefix", _OLD_OPT) if saved is not None else None
    model_state = {k: v for k, v in state.items() if prefix is None or not k.startswith(prefix)}
    opt_state = None
    if optimizer is not None:
        if saved is None:
            raise ValueError(f"load: {os.fspath(path)!r} holds no optimizer state (save it with optimizer=...)")
        saved_type = saved.get("type")
        if saved_type is not None and saved_type != type(optimizer).__name__:
            raise ValueError(f"load: {os.fspath(path)!r} holds the state of a {saved_type}, "
                             f"not of a {type(optimizer).__name__}")
        opt_state = _optimizer_state({k: v for k, v in state.items() if k.startswith(prefix)}, saved, prefix)
        optimizer.check_state_dict(opt_state)     # checked before the module changes: all or nothing
    module.load_state_dict(model_state, strict=strict)
    if opt_state is not None:
        optimizer.load_state_dict(opt_state)
    return int(meta["epoch"]) if "epoch" in meta else None
