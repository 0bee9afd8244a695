"""``Module``: the base class of layers and models, which finds its parameters by itself.

A parameter is a plain :class:`~autograd_lite.Tensor` with ``requires_grad=True`` kept as an
attribute; a submodule is a ``Module`` kept as an attribute. Nothing has to be registered:
``parameters()`` walks the attributes in the order they were assigned. A parameter stays one
when it is frozen (``requires_grad_(False)``), as torch's ``Parameter`` does: the module
remembers the names assigned a leaf tensor that required grad, so a frozen weight is still in
``parameters()`` and ``state_dict()`` and is loaded by ``load_state_dict()``; a tensor that
never required grad (a constant, a mask) is a plain attribute. Assigning also names
the parameter after its dotted path ("W1", "0.weight", "net.0.weight"), because pictures of
the graph and error messages label tensors by ``.name``. Modules or parameters kept in a
list, tuple or dict would be missed by that walk, so they are refused, naming the attribute:
keep them in a :class:`~autograd_lite.nn.ModuleList` or ``ModuleDict``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..inplace import writable
from ..tensor import Tensor


class Module:
    """A piece of a network: its parameters and submodules are its attributes.

    Subclasses assign parameters and submodules in ``__init__`` and write ``forward``;
    calling the module calls ``forward``.

    >>> import autograd_lite as al
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         self.w = al.tensor([2.0], requires_grad=True)
    ...     def forward(self, x):
    ...         return x * self.w
    >>> class Net(Module):
    ...     def __init__(self):
    ...         self.first = Scale()
    ...         self.second = Scale()
    ...     def forward(self, x):
    ...         return self.second(self.first(x))
    >>> net = Net()
    >>> [name for name, p in net.named_parameters()]
    ['first.w', 'second.w']
    >>> net.second.w.name
    'second.w'
    >>> net(al.tensor([1.5])).data
    array([6.])
    """

    training = True  # train() and eval() set it; Dropout and BatchNorm read it
    _parameter_names: tuple[str, ...] = ()  # per instance, a list in __dict__: see __setattr__

    def __setattr__(self, name: str, value: Any) -> None:
        _refuse_hidden(self, name, value)
        object.__setattr__(self, name, value)
        _remember_parameter(self, name, value)
        prefix = self.__dict__.get("_prefix", "")
        if isinstance(value, Module):
            value._set_prefix(f"{prefix}{name}.")
        elif _is_parameter(self, name, value):
            value.name = f"{prefix}{name}"

    def _set_prefix(self, prefix: str) -> None:
        """Name every parameter below this module as seen from its new parent."""
        object.__setattr__(self, "_prefix", prefix)
        for name, value in vars(self).items():
            if isinstance(value, Module):
                value._set_prefix(f"{prefix}{name}.")
            elif _is_parameter(self, name, value):
                value.name = f"{prefix}{name}"

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass writes its own."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct submodules with their attribute names, in assignment order."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """Every parameter with its dotted name, this module's own first, then each child's.

        A tensor reachable under two names is listed once, under the first.
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:  # an explicit stack, never recursion
            prefix, module = stack.pop()
            children = []
            for name, value in vars(module).items():
                _refuse_hidden(module, name, value)  # a list filled after it was assigned
                if _is_parameter(module, name, value) and id(value) not in seen:
                    seen.add(id(value))
                    yield f"{prefix}{name}", value
                elif isinstance(value, Module):
                    children.append((f"{prefix}{name}.", value))
            stack.extend(reversed(children))

    def parameters(self) -> list[Tensor]:
        """Every parameter, in the order of :meth:`named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many numbers the parameters hold."""
        return sum(p.size for p in self.parameters())

    def named_modules(self) -> Iterator[tuple[str, Module]]:
        """This module (named "") and every module below it, with dotted names, each once."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            prefix = f"{name}." if name else ""
            stack.extend(reversed([(prefix + n, m) for n, m in module.named_children()]))

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``training = mode``) here and in every submodule; returns self."""
        for _, module in self.named_modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode, ``train(False)``: dropout off, batch norm on running statistics."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Forget the gradients accumulated by earlier ``backward()`` calls."""
        for p in self.parameters():
            p.grad = None

    def register_buffer(self, name: str, value: Any) -> None:
        """Keep an array that is state but not a parameter (batch norm's running statistics)
        as attribute ``name``: saved by :meth:`state_dict`, never given to an optimizer."""
        object.__setattr__(self, name, np.array(value))
        buffers = self.__dict__.setdefault("_buffers", [])
        if name not in buffers:
            buffers.append(name)

    def named_buffers(self) -> Iterator[tuple[str, np.ndarray]]:
        """Every buffer with its dotted name, in the order of :meth:`named_modules`."""
        for prefix, module in self.named_modules():
            for name in module.__dict__.get("_buffers", ()):
                yield (f"{prefix}.{name}" if prefix else name), getattr(module, name)

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter's and buffer's array, keyed by its dotted name."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        state.update((name, b.copy()) for name, b in self.named_buffers())
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy arrays into the parameters of the same names, in place.

        Checks everything before changing anything: a missing, an unexpected or a
        mis-shaped entry raises a ValueError naming each one, and leaves the module as it was.
        """
        params: dict[str, Any] = dict(self.named_parameters())
        params.update(self.named_buffers())
        problems = []
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected " + ", ".join(unexpected))
        for name, p in params.items():
            if name in state:
                value = np.asarray(state[name])
                if value.shape != p.shape:
                    problems.append(f"{name} has shape {value.shape}, the module's has {p.shape}")
                elif value.dtype.kind not in "biuf":
                    problems.append(f"{name} has dtype {value.dtype}, not numbers")
        if problems:
            raise ValueError(f"state does not fit {type(self).__name__}: " + "; ".join(problems))
        owners = {
            (f"{prefix}.{name}" if prefix else name): (module, name)
            for prefix, module in self.named_modules()
            for name in module.__dict__.get("_buffers", ())
        }
        for name, p in params.items():
            if isinstance(p, Tensor):
                writable(p)[...] = state[name]
            elif p.flags.writeable:
                p[...] = state[name]
            else:  # a buffer a live graph reads: a fresh array, the graph keeps the old one
                module, attr = owners[name]
                object.__setattr__(module, attr, np.array(state[name], dtype=p.dtype))

    def __repr__(self) -> str:
        lines = []
        for name, value in vars(self).items():
            if isinstance(value, Module):
                body = repr(value).replace("\n", "\n  ")
                lines.append(f"  ({name}): {body}")
            elif _is_parameter(self, name, value):
                lines.append(f"  {name}: shape {value.shape}")
        if not lines:
            return f"{type(self).__name__}()"
        return "\n".join([f"{type(self).__name__}(", *lines, ")"])


def _is_parameter(module: Module, name: str, value: Any) -> bool:
    """Whether attribute ``name`` of ``module``, holding ``value``, is a parameter: a leaf
    Tensor that requires grad, or one kept under a name assigned a parameter (frozen since)."""
    if not (isinstance(value, Tensor) and value.is_leaf):
        return False
    return value.requires_grad or name in module.__dict__.get("_parameter_names", ())


def _remember_parameter(module: Module, name: str, value: Any) -> None:
    """Record ``name`` as a parameter's when it is assigned a leaf Tensor that requires grad;
    forget it when it is assigned what is not a leaf Tensor (None, an op's result). A leaf
    Tensor assigned over a parameter (a frozen replacement) keeps the name a parameter's."""
    names = module.__dict__.setdefault("_parameter_names", [])
    if isinstance(value, Tensor) and value.is_leaf:
        if value.requires_grad and name not in names:
            names.append(name)
    elif name in names:
        names.remove(name)


def _is_tensor_parameter(value: Any) -> bool:
    """Whether ``value``, found in a list, tuple or dict, looks like a parameter."""
    return isinstance(value, Tensor) and value.requires_grad and value.is_leaf


def _refuse_hidden(module: Module, name: str, value: Any) -> None:
    """A TypeError for a list, tuple or dict attribute that holds modules or parameters,
    which ``parameters()`` would not find."""
    if isinstance(value, (list, tuple, dict)) and _holds_parameters(value):
        kind = "ModuleDict" if isinstance(value, dict) else "ModuleList"
        raise TypeError(
            f"{type(module).__name__}.{name} is a {type(value).__name__} holding modules or "
            f"parameters, which parameters(), train() and state_dict() would not see; use "
            f"nn.{kind}(...) (or assign each as an attribute)"
        )


def _holds_parameters(value: Any) -> bool:
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Module) or _is_tensor_parameter(item):
            return True
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False
