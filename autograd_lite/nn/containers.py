"""Containers of modules: ``ModuleList`` and ``ModuleDict``, whose modules ``parameters()``,
``train()`` and ``state_dict()`` find (a plain list or dict attribute is refused), and
``Sequential``, a ModuleList that runs its layers one after another.

Each module is kept as an attribute named by its index or key, so parameter names read
"0.weight" or "encoder.weight" as PyTorch's do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .module import Module


class ModuleList(Module):
    """Modules in order; the i-th is the attribute named ``str(i)``.

    >>> from autograd_lite.nn import Linear
    >>> blocks = ModuleList([Linear(2, 2, rng=0) for _ in range(3)])
    >>> len(blocks), [name for name, _ in blocks.named_parameters()][:2]
    (3, ['0.weight', '0.bias'])
    """

    item = "item"  # what the error for a non-Module calls an entry

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        if not isinstance(module, Module):
            raise TypeError(
                f"{type(self).__name__}: {self.item} {len(self)} is a {type(module).__name__}, "
                "not a Module"
            )
        setattr(self, str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def __iter__(self) -> Iterator[Module]:
        return (module for _, module in self.named_children())

    def __len__(self) -> int:
        return sum(1 for _ in self.named_children())

    def __getitem__(self, index: int) -> Module:
        return list(self)[index]


class ModuleDict(Module):
    """Modules by name; each is the attribute of its key.

    >>> from autograd_lite.nn import Linear, Tanh
    >>> parts = ModuleDict({"encoder": Linear(4, 2, rng=0), "act": Tanh()})
    >>> list(parts), parts["encoder"].weight.name
    (['encoder', 'act'], 'encoder.weight')
    """

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
        for key, module in (modules or {}).items():
            self[key] = module

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str) or not key or "." in key or hasattr(ModuleDict, key):
            raise KeyError(
                f"ModuleDict: the key {key!r} cannot name a module: use a non-empty string "
                "without '.' that is not one of ModuleDict's own attributes"
            )
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict[{key!r}] is a {type(module).__name__}, not a Module")
        setattr(self, key, module)

    def __getitem__(self, key: str) -> Module:
        value = vars(self).get(key)
        if not isinstance(value, Module):
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and isinstance(vars(self).get(key), Module)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.named_children())

    def __len__(self) -> int:
        return sum(1 for _ in self.named_children())

    def keys(self) -> list[str]:
        return list(self)

    def values(self) -> list[Module]:
        return [module for _, module in self.named_children()]

    def items(self) -> list[tuple[str, Module]]:
        return list(self.named_children())


class Sequential(ModuleList):
    """Layers applied one after another; the i-th is the attribute named ``str(i)``.

    >>> import numpy as np
    >>> from autograd_lite.nn import Linear, Tanh
    >>> net = Sequential(Linear(4, 8, rng=0), Tanh(), Linear(8, 3, rng=1))
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> net(np.zeros((2, 4))).shape
    (2, 3)
    """

    item = "layer"

    def __init__(self, *layers: Module) -> None:
        super().__init__(layers)

    def forward(self, x: Any) -> Any:
        for layer in self:
            x = layer(x)
        return x
