"""Checkpoints: all or nothing, corruption detected, clear errors for paths."""
from __future__ import annotations

import numpy as np
import pytest

import nn


def _weights(model):
    return [p.data.copy() for p in model.parameters()]


def test_a_bad_last_entry_leaves_every_parameter_untouched():
    model = nn.MLP(3, [4, 2], seed=0)
    before = _weights(model)
    state = nn.MLP(3, [4, 2], seed=1).state_dict()
    state["net.2.bias"] = np.zeros(3)                               # the last entry is misshapen
    with pytest.raises(ValueError, match=r"'net.2.bias' has shape \(2,\), the state has \(3,\)"):
        model.load_state_dict(state)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))
    state = nn.MLP(3, [4, 2], seed=1).state_dict()
    state["net.2.bias"] = np.array([1, 2])                          # an integer entry: an error, not a cast
    with pytest.raises(TypeError, match="'net.2.bias' has dtype int64"):
        model.load_state_dict(state)
    state["net.2.bias"] = np.array([True, False])
    with pytest.raises(TypeError, match="dtype bool"):
        model.load_state_dict(state)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(model)))


def test_a_flipped_byte_is_detected(tmp_path):
    model = nn.MLP(3, [4, 2], seed=0)
    path = nn.save(model, tmp_path / "m.safetensors")
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x40                                                  # inside the last array's data
    path.write_bytes(bytes(raw))
    target = nn.MLP(3, [4, 2], seed=5)
    before = _weights(target)
    with pytest.raises(ValueError, match="is corrupted"):
        nn.load(target, path)
    assert all(np.array_equal(a, b) for a, b in zip(before, _weights(target)))


def test_a_file_without_checksums_loads_with_a_warning(tmp_path):
    from safetensors.numpy import save_file
    model = nn.MLP(3, [4, 2], seed=0)
    path = tmp_path / "foreign.safetensors"
    save_file(dict(model.state_dict()), str(path))                   # written by another program
    other = nn.MLP(3, [4, 2], seed=3)
    with pytest.warns(UserWarning, match="holds no checksums"):
        nn.load(other, path)
    assert all(np.array_equal(a, b) for a, b in zip(_weights(model), _weights(other)))


def test_paths_give_the_errors_their_names_promise(tmp_path):
    model = nn.MLP(3, [4, 2], seed=0)
    with pytest.raises(FileNotFoundError, match="no file at"):
        nn.load(model, tmp_path / "missing.safetensors")
    with pytest.raises(IsADirectoryError, match="is a directory"):
        nn.load(model, tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist; create it first"):
        nn.save(model, tmp_path / "no" / "such" / "dir" / "m.safetensors")
    with pytest.raises(IsADirectoryError, match="give a file name"):
        nn.save(model, tmp_path)


def test_an_optimizer_checkpoint_loads_only_into_the_same_kind_of_optimizer(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3))
    adam = nn.optim.Adam(model.parameters(), lr=0.01)
    path = nn.save(model, tmp_path / "m.safetensors", optimizer=adam)
    with pytest.raises(ValueError, match="state of a Adam, not of a SGD"):
        nn.load(model, path, optimizer=nn.optim.SGD(model.parameters(), lr=0.1))
