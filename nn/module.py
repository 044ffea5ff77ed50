"""``Module``: parameters and submodules registered by attribute assignment, as in PyTorch."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Iterator, List, Tuple

import numpy as np

from autograd_core import Tensor

__all__ = ["Parameter", "Module", "Sequential", "ModuleList", "ModuleDict"]


class Parameter(Tensor):
    """A Tensor that a Module registers as a trainable parameter (``requires_grad=True``)."""

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None, label: str = "") -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, label=label)


class Module:
    """Base class of layers and models.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, so
    ``parameters()``, ``state_dict()``, ``zero_grad()`` and ``train()``/``eval()``
    see it. Subclasses implement ``forward``; call the module itself.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "training", True)

    def register_buffer(self, name: str, value: Any) -> None:
        """Keep ``value`` (an array: running statistics, counters) as state that is
        saved and loaded with the parameters but takes no gradient."""
        self._buffers[name] = None                      # a buffer from now on: __setattr__ stores it
        setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before assigning attributes")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if name in self._buffers:                      # a buffer stays a buffer: saved as assigned
            value = self._buffers[name] = value if isinstance(value, Tensor) else Tensor(value)
        elif isinstance(value, Parameter):
            self._parameters[name] = value
            if not value.label:
                value.label = name
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # -- traversal ----------------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator[Tuple[str, "Module"]]:
        """This module and every submodule, depth first, with dotted names."""
        yield prefix, self
        for name, m in self._modules.items():
            yield from m.named_modules(f"{prefix}.{name}" if prefix else name)

    def children(self) -> Iterator["Module"]:
        """The direct submodules."""
        return iter(self._modules.values())

    def named_children(self) -> Iterator[Tuple[str, "Module"]]:
        return iter(self._modules.items())

    def modules(self) -> Iterator["Module"]:
        """This module and every submodule, depth first."""
        return (m for _, m in self.named_modules())

    def apply(self, fn: Any) -> "Module":
        """Call ``fn`` on every submodule and then on this one (as PyTorch: for init)."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Turn gradients on or off for every parameter (freezing a part of a model)."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def named_buffers(self) -> Iterator[Tuple[str, Tensor]]:
        for mname, m in self.named_modules():
            for bname, b in m._buffers.items():
                yield (f"{mname}.{bname}" if mname else bname), b

    def buffers(self) -> List[Tensor]:
        return [b for _, b in self.named_buffers()]

    def named_parameters(self) -> Iterator[Tuple[str, Parameter]]:
        """(dotted name, parameter) for every parameter, each once."""
        seen = set()
        for mname, m in self.named_modules():
            for pname, p in m._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{mname}.{pname}" if mname else pname), p

    def parameters(self) -> List[Parameter]:
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget every parameter's accumulated gradient."""
        for p in self.parameters():
            p.zero_grad()

    def train(self, mode: bool = True) -> "Module":
        for _, m in self.named_modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> "Module":
        return self.train(False)

    # -- state --------------------------------------------------------------------
    def state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """{dotted name: a copy of the array} for every parameter and buffer."""
        state = OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())
        state.update((name, b.data.copy()) for name, b in self.named_buffers())
        return state

    def load_state_dict(self, state: Dict[str, Any], strict: bool = True) -> None:
        """Copy arrays into the parameters and buffers of the same names, all or
        nothing: every entry is checked (name; shape; a floating dtype for a
        parameter, since an integer or bool array is no parameter; a buffer keeps
        its kind) before anything is touched. With
        ``strict``, a missing or unexpected name is an error."""
        own = dict(self.named_parameters())
        buffers = dict(self.named_buffers())
        own.update(buffers)
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if strict and (missing or unexpected):
            parts = []
            if missing:
                parts.append(f"missing parameters: {', '.join(missing)}")
            if unexpected:
                parts.append(f"unexpected parameters: {', '.join(unexpected)}")
            raise KeyError(f"load_state_dict: {'; '.join(parts)}")
        checked = []
        for name, p in own.items():
            if name not in state:
                continue
            value = state[name]
            value = value.data if isinstance(value, Tensor) else np.asarray(value)
            if value.dtype.kind != "f" and not (name in buffers and value.dtype.kind == p.data.dtype.kind):
                raise TypeError(f"load_state_dict: entry {name!r} has dtype {value.dtype}; "
                                "a parameter needs floating-point values")
            if value.shape != p.data.shape:
                raise ValueError(f"load_state_dict: parameter {name!r} has shape {p.data.shape}, "
                                 f"the state has {value.shape}")
            checked.append((p, value))
        for p, value in checked:                  # nothing was touched before this line
            p.data[...] = value

    # -- display ------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        if self._modules:
            for name, m in self._modules.items():
                child = repr(m).replace("\n", "\n  ")
                lines.append(f"  ({name}): {child}")
            return "\n".join(lines) + "\n)"
        return lines[0] + ")"


class _Indexed(Module):
    """Indexing and length by registration order (shared by Sequential and ModuleList)."""

    def __getitem__(self, i: int) -> Module:
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)


class Sequential(_Indexed):
    """Modules applied one after the other: ``Sequential(Linear(2, 8), ReLU(), Linear(8, 1))``."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: item {i} is a {type(m).__name__}, not a Module")
            setattr(self, str(i), m)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x


class ModuleList(_Indexed):
    """A list of modules, registered so that ``parameters()`` and ``train()`` see them."""

    def __init__(self, modules: Any = ()) -> None:
        super().__init__()
        for m in modules:
            self.append(m)

    def append(self, module: Module) -> "ModuleList":
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected a Module, got {type(module).__name__}")
        setattr(self, str(len(self._modules)), module)
        return self

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())


class ModuleDict(Module):
    """A dict of modules, registered under their keys."""

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        for key, m in dict(modules or {}).items():
            self[key] = m

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict: expected a Module for {key!r}, got {type(module).__name__}")
        if not isinstance(key, str) or not key or "." in key:      # PyTorch's add_module rules
            raise KeyError(f"ModuleDict: a key must be a non-empty string without '.', got {key!r}")
        setattr(self, key, module)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()
