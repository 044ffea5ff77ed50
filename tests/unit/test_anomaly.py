"""Anomaly mode: the first gate that makes a NaN or an infinity, forward or
backward, raises naming the gate, its inputs and the line of user code."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_core import AnomalyError, Tensor, Value, detect_anomaly, grad, is_anomaly_enabled


def test_a_nan_born_in_backward_only_is_caught_at_its_gate():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        y = ((x ** 0.5) * Tensor([0.0, 1.0])).sum()      # forward is finite: sqrt(0) = 0
        with pytest.raises(AnomalyError) as info, np.errstate(invalid="ignore"):
            y.backward()
    text = str(info.value)
    assert text.startswith("powc backward sent input 1 a gradient that is not finite: [nan, 0.5]")
    assert "upstream gradient [0., 1.]" in text and "parameter 0.5" in text
    assert "test_anomaly.py" in text and "y = ((x ** 0.5) * Tensor([0.0, 1.0])).sum()" in text
    with np.errstate(invalid="ignore"):
        y.backward()                                      # outside the block: NaN, no error
    assert np.isnan(x.grad[0])


def test_a_forward_nan_raises_where_it_is_made():
    t = Tensor([1.0, -1.0], requires_grad=True)
    with detect_anomaly(), np.errstate(invalid="ignore"):
        with pytest.raises(AnomalyError, match=r"log made a value that is not finite") as info:
            (t * 2.0).log()
    assert "input 1 = [ 2., -2.]" in str(info.value) and "(t * 2.0).log()" in str(info.value)


def test_values_and_grad_are_checked_and_the_decorator_form_works():
    @detect_anomaly()
    def second_derivative_at_zero():
        a = Value(0.0)
        y = (a ** 0.5) * 0.0
        return grad(y, a)

    with pytest.raises(AnomalyError, match="powc backward"):
        second_derivative_at_zero()
    assert not is_anomaly_enabled()


def test_nothing_is_left_installed_after_the_block():
    plain = (Value.__dict__["__add__"], Value.__dict__["__mul__"])
    with detect_anomaly():
        with detect_anomaly():                            # nested blocks
            assert Value.__dict__["__add__"] is not plain[0] and is_anomaly_enabled()
        assert is_anomaly_enabled()
    assert (Value.__dict__["__add__"], Value.__dict__["__mul__"]) == plain and not is_anomaly_enabled()
    from autograd_core import _tensor as tensor, value
    assert tensor._make.__name__ == "_make" and value._record.__name__ == "_record"
    a = Value(2.0)
    (a * a + 1.0).backward()                              # and the fast path runs again
    assert a.grad == 4.0


def test_anomaly_mode_checks_value_min_and_max():
    for op in ("max", "min"):
        with detect_anomaly():
            with pytest.raises(AnomalyError):
                getattr(Value(float("nan")), op)(1.0)
