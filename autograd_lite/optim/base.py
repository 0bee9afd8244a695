"""The optimizer base: the parameters, checked once, and the state that resumes a run.

An optimizer holds a list of parameters: leaf Tensors, each once (one given twice would be
stepped twice). As in torch, one that does not require grad (a frozen layer in
``net.parameters()``) is accepted and, having no ``.grad``, is left as it is. ``step()`` reads
each ``.grad`` and changes ``.data`` in place with numpy, under ``no_grad``: an update is never
recorded in a graph. Parameters whose ``.grad`` is None are skipped.
``zero_grad()`` clears the gradients before the next ``backward()``, which accumulates.

A subclass names what its state is: its hyperparameters (``lr``, ``betas``, ...), its
counters (one int for the whole optimizer; none of the built-in ones has one), its buffers
(one array per parameter, as SGD's ``velocity`` or Adam's ``m`` and ``v``) and its counts (one
int per parameter, as Adam's step count ``t``). The state of a parameter changes only on a
step where it has a gradient, as in torch: a parameter first updated at step 4 takes Adam's
first, fully bias-corrected step then. ``state_dict()`` copies it all, so that training
resumed from ``load_state_dict()`` takes bit for bit the steps the first run would have.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import settings

STATE_KEYS = ("type", "hyperparameters", "counters", "shapes", "state")


class Optimizer:
    """The parameters to update, checked once; subclasses write ``step``."""

    _hyperparameters: tuple[str, ...] = ("lr", "weight_decay")
    _counters: tuple[str, ...] = ()
    _buffers: tuple[str, ...] = ()  # attributes holding a list: one array per parameter
    _optional_buffers: tuple[str, ...] = ()  # those whose entries may be None (not yet made)
    _counts: tuple[str, ...] = ()  # attributes holding a list: one int >= 0 per parameter
    _nonnegative_buffers: tuple[str, ...] = ()  # those that are means of squares, never < 0

    def __init__(self, params: Iterable[Tensor], lr: float, weight_decay: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimize")
        _check_parameters(type(self).__name__, self.params)
        self._check_hyperparameters({"lr": lr, "weight_decay": weight_decay})
        self.lr = lr
        self.weight_decay = weight_decay

    def _check_hyperparameters(self, values: Mapping[str, Any], loading: bool = False) -> None:
        """Raise a ValueError naming the first of ``values`` (settings by name) this optimizer
        refuses, with :func:`.settings.check`. The constructor and :meth:`load_state_dict`
        both check here (``loading`` names the state's entry), so they refuse the same."""
        for key, value in values.items():
            try:
                settings.check(key, value, values)
            except ValueError as exc:
                where = f"the state's hyperparameters.{key}: " if loading else ""
                raise ValueError(f"{type(self).__name__}: {where}{exc}") from None

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (set ``.grad`` to None)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError

    def _gradient(self, p: Tensor) -> np.ndarray:
        """The gradient with the L2 penalty (weight_decay / 2) * sum(p^2) added: g + wd * p;
        in the parameter's dtype, as the state made from it (a .grad set by hand may not be)."""
        g = p.grad if p.grad.dtype == p.data.dtype else p.grad.astype(p.data.dtype)
        if self.weight_decay:
            return g + self.weight_decay * p.data
        return g

    def state_dict(self) -> dict[str, Any]:
        """A copy of the optimizer's state: ``type``, ``hyperparameters`` and ``counters``
        (JSON-able), the parameters' ``shapes``, and ``state``, one dict of arrays per
        parameter: its buffers (one not made yet, as SGD's velocity before its first step, is
        left out) and its counts, each a 0-d int64 array (as torch's ``state[p]["step"]``).

        >>> import autograd_lite as al
        >>> from autograd_lite.optim import Adam
        >>> opt = Adam([al.tensor([1.0, 2.0], requires_grad=True)], lr=0.1)
        >>> state = opt.state_dict()
        >>> state["hyperparameters"]["betas"], state["counters"], sorted(state["state"][0])
        ([0.9, 0.999], {}, ['m', 't', 'v'])
        """
        state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        for buffer in self._buffers:
            for i, array in enumerate(getattr(self, buffer)):
                if array is not None:
                    state[i][buffer] = np.array(array, copy=True)
        for count in self._counts:
            for i, value in enumerate(getattr(self, count)):
                state[i][count] = np.array(value, dtype=np.int64)
        return {
            "type": type(self).__name__,
            "hyperparameters": {h: _plain(getattr(self, h)) for h in self._hyperparameters},
            "counters": {c: int(getattr(self, c)) for c in self._counters},
            "shapes": [list(p.shape) for p in self.params],
            "state": state,
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Take a state :meth:`state_dict` gave (copying its arrays), hyperparameters included,
        as torch does. Raises ValueError, changing nothing, when it is another optimizer's, is
        for other parameters (their number or shapes), or lacks or adds an entry; when a
        hyperparameter is one the constructor refuses (the same check: lr -1, NaN or inf,
        betas of 1, eps <= 0, ...); or when a buffer is not of its parameter's dtype and
        shape, is NaN or infinite, or is negative where it is a mean of squares (Adam's
        ``v``, RMSprop's ``square_avg``)."""
        per_parameter = self._checked(state)
        for key, value in state["hyperparameters"].items():
            setattr(self, key, tuple(value) if isinstance(value, list) else value)
        for key, value in state["counters"].items():
            setattr(self, key, int(value))
        for key, values in per_parameter.items():
            setattr(self, key, values)

    def _checked(self, state: Mapping[str, Any]) -> dict[str, list[Any]]:
        """The buffers (copied) and counts ``state`` holds, each a list with one entry per
        parameter, once everything in it fits this optimizer."""
        self._check_settings(state)
        shapes, entries = state["shapes"], state["state"]
        name = type(self).__name__
        if not (
            isinstance(shapes, (list, tuple))
            and all(isinstance(shape, (list, tuple)) for shape in shapes)
            and isinstance(entries, (list, tuple))
            and all(isinstance(entry, Mapping) for entry in entries)
        ):
            raise ValueError(f"{name}: the state's shapes and state must be lists")
        if len(shapes) != len(self.params) or len(entries) != len(self.params):
            raise ValueError(
                f"{name}: the state is for {len(shapes)} parameters ({len(entries)} entries), "
                f"this optimizer has {len(self.params)}"
            )
        per_parameter: dict[str, list[Any]] = {key: [] for key in self._buffers + self._counts}
        for i, (shape, entry) in enumerate(zip(shapes, entries, strict=True)):
            for key, value in self._parameter_state(i, shape, entry).items():
                per_parameter[key].append(value)
        return per_parameter

    def _check_settings(self, state: Mapping[str, Any]) -> None:
        """Check the keys, the type, the hyperparameters and the counters of ``state``."""
        name = type(self).__name__
        if not isinstance(state, Mapping) or set(state) != set(STATE_KEYS):
            found = sorted(state) if isinstance(state, Mapping) else type(state).__name__
            raise ValueError(f"{name}: a state dict has the keys {list(STATE_KEYS)}, got {found}")
        if state["type"] != name:
            raise ValueError(f"{name}: the state is a {state['type']!r} optimizer's, not {name}'s")
        for part, expected in [
            ("hyperparameters", self._hyperparameters),
            ("counters", self._counters),
        ]:
            given = state[part]
            if not isinstance(given, Mapping) or set(given) != set(expected):
                found = sorted(given) if isinstance(given, Mapping) else given
                raise ValueError(
                    f"{name}: the state's {part} are {found}, expected {sorted(expected)}"
                )
            for key, value in given.items():
                if not _fits(value, getattr(self, key), count=part == "counters"):
                    raise ValueError(
                        f"{name}: the state's {key} is {value!r}, which cannot replace "
                        f"{getattr(self, key)!r}"
                    )
        self._check_hyperparameters(state["hyperparameters"], loading=True)

    def _parameter_state(self, i: int, shape: Any, entry: Mapping[str, Any]) -> dict[str, Any]:
        """Parameter ``i``'s buffers (copied, None where not made) and counts (ints) from its
        ``entry`` of a state, checked against the parameter and its ``shape`` in the state."""
        name, p = type(self).__name__, self.params[i]
        what = f"parameter {i}" + (f" ({p.name!r})" if getattr(p, "name", None) else "")
        if tuple(shape) != p.shape:
            raise ValueError(f"{name}: {what} has shape {p.shape}, the state's has {tuple(shape)}")
        needed = set(self._buffers + self._counts) - set(self._optional_buffers)
        if not needed <= set(entry) <= set(self._buffers + self._counts):
            optional = list(self._optional_buffers)
            raise ValueError(
                f"{name}: the state of {what} holds {sorted(entry)}, expected "
                f"{sorted(needed)}" + (f" and optionally {optional}" if optional else "")
            )
        checked: dict[str, Any] = {}
        for buffer in self._buffers:
            array = entry.get(buffer)
            if array is not None:
                problem = self._buffer_problem(buffer, np.asarray(array), p)
                if problem:
                    entry_name = f"state.{i}.{buffer}"
                    raise ValueError(f"{name}: {entry_name}, the {buffer} of {what}, {problem}")
            checked[buffer] = None if array is None else np.array(array, copy=True)
        for count in self._counts:
            value = entry[count]
            if not _is_count(value):
                raise ValueError(
                    f"{name}: state.{i}.{count}, the {count} of {what}, is {np.asarray(value)}; "
                    "it must be a count: an integer >= 0, or a 0-d integer array"
                )
            checked[count] = int(value)
        return checked

    def _buffer_problem(self, buffer: str, array: np.ndarray, p: Tensor) -> str | None:
        """What is wrong with ``array`` as the ``buffer`` of parameter ``p``: its dtype or
        shape is not the parameter's, it is not finite, or it is negative where the buffer is
        a mean of squares. None if nothing is."""
        if array.shape != p.shape or array.dtype != p.data.dtype:
            return (
                f"is {array.dtype} of shape {array.shape}; it must be the parameter's dtype and "
                f"shape, {p.data.dtype} of shape {p.shape}"
            )
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        if bad:
            return f"holds {bad:,} NaN or infinite value(s) of {array.size:,}; it must be finite"
        negative = int(np.count_nonzero(array < 0)) if buffer in self._nonnegative_buffers else 0
        if negative:
            return (
                f"holds {negative:,} negative value(s), the least {array.min()}; it must be "
                ">= 0 (a running mean of squared gradients)"
            )
        return None


def _check_parameters(name: str, params: list[Any]) -> None:
    """Refuse a parameter that is not a floating-point Tensor (TypeError), is an op's result
    rather than a leaf, or is given twice (ValueError): a step would update it twice."""
    first: dict[int, int] = {}
    for i, p in enumerate(params):
        what = f"parameter {i}" + (f" ({p.name!r})" if getattr(p, "name", None) else "")
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{name}: {what} is a {type(p).__name__}, not a Tensor; pass Tensors, such as "
                "model.parameters()"
            )
        if not p.is_leaf:
            raise ValueError(
                f"{name}: {what} is the result of op {p.op.name!r}, not a leaf Tensor, so "
                "backward() gives it no .grad; optimize the tensors it was computed from"
            )
        if p.dtype.kind != "f":
            raise TypeError(
                f"{name}: {what} is {p.dtype}; parameters are floating point (a step would "
                "truncate its update), as a Tensor that requires grad is"
            )
        if id(p) in first:
            raise ValueError(
                f"{name}: parameters {first[id(p)]} and {i} are the same Tensor"
                + (f" ({p.name!r})" if p.name else "")
                + ", so each step would update it twice; pass each parameter once"
            )
        first[id(p)] = i


def _plain(value: Any) -> Any:
    """A hyperparameter as JSON writes it: tuples as lists, numpy scalars as Python's."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _is_count(value: Any) -> bool:
    """Whether ``value`` is a count: an integer >= 0, a Python int or a 0-d integer array."""
    array = np.asarray(value)
    return array.shape == () and array.dtype.kind in "iu" and int(array) >= 0


def _fits(value: Any, current: Any, count: bool) -> bool:
    """Whether a loaded setting can stand for ``current``: a count >= 0 for a counter, a bool
    for a flag, numbers (as many) for a tuple such as ``betas``, else a number."""
    if count:
        return (
            isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= 0
        )
    if isinstance(current, tuple):
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(current)
            and all(_fits(v, c, False) for v, c in zip(value, current, strict=True))
        )
    if isinstance(current, bool):
        return isinstance(value, bool)
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
