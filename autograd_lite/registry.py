"""The op record and the registry: one place per op for its forward and its gradient rules.

An :class:`Op` pairs a numpy forward with one vector-Jacobian product (VJP) rule per input.
Calling an op runs the forward on plain arrays and, when grad mode is on and an input
requires grad, records the result as a node of the graph: the op, its inputs, its
attributes and the arrays its rules read (kept read-only while the node lives, see
inplace.py). Built-in ops and user ops are registered the same way (see :func:`register`).
Rules are written with numpy: a normal backward gives them plain arrays, a recorded one
(for higher derivatives) Tensors, which implement numpy's protocols, so it records a graph.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .inplace import Hold, frozen_attrs
from .op_arguments import bind_attrs, constant_attrs, lists_as_arrays
from .op_errors import complex_error, no_rule_error, op_error, rule_wrote_error
from .switches import grad_mode
from .tensor import Tensor, new_tensor

Rule = Callable[..., Any]

_REGISTRY: dict[str, Op] = {}


class Op:
    """A registered operation: a name, a numpy forward and one VJP rule per input.

    Positional parameters of the forward without a default are the op's inputs (Tensors,
    arrays or scalars); parameters with a default are attributes (axis, keepdims, ...),
    which may also be given positionally, as numpy allows. A forward with ``*xs`` takes any
    number of inputs; its single rule then receives the input's position as ``argnum``.
    """

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        returns_extra: bool = False,
        check: Callable[[tuple[Any, ...]], None] | None = None,
        reads: Sequence[str] | None = None,
    ) -> None:
        self.name = name
        self.forward = forward
        self.returns_extra = returns_extra
        self.rules: dict[int, Rule] = {}
        params = list(inspect.signature(forward).parameters.values())
        self.variadic = any(p.kind is p.VAR_POSITIONAL for p in params)
        self.input_names = tuple(
            p.name
            for p in params
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        )
        self.attr_names = tuple(p.name for p in params if p.default is not p.empty)
        self.n_inputs = len(self.input_names)
        # Which inputs' arrays the rules read, so that a node keeps those and no others:
        # None for all of them, () for none (the rules read only shapes, or the output).
        self.reads = _reads_mask(name, self.input_names, self.variadic, reads)
        # A check for numerically unstable patterns this op completes, run when recorded.
        self.stability_check = check
        functools.update_wrapper(self, forward)

    def vjp(self, rule: Rule | None = None, *, argnum: int = 0) -> Any:
        """Register the VJP rule for input ``argnum`` (a decorator, with or without arguments).

        The rule is called as ``rule(g, out, *inputs, **attrs)`` (plus ``argnum=i`` for an op
        with ``*xs`` inputs) and returns the gradient for that one input, in the input's
        shape or in the broadcast shape of ``out``: the engine sums broadcast axes away.
        """

        def decorate(fn: Rule) -> Rule:
            if not self.variadic and not 0 <= argnum < self.n_inputs:
                raise ValueError(
                    f"op {self.name!r} has {self.n_inputs} input(s); no input at argnum={argnum}"
                )
            self.rules[argnum] = fn
            return fn

        return decorate if rule is None else decorate(rule)

    def rule_for(self, argnum: int) -> Rule:
        """The VJP rule for input ``argnum``; a clear error when the op has none."""
        rule = self.rules.get(0 if self.variadic else argnum)
        if rule is None:
            raise no_rule_error(self.name, argnum)
        return rule

    def call_rule(self, argnum: int, g: Any, out: Any, inputs: Any, attrs: Any, extra: Any) -> Any:
        """The gradient for input ``argnum``, from its rule called as every rule is called:
        ``rule(g, out, *inputs, **attrs)``, plus ``argnum=`` for an op with ``*xs`` inputs and
        ``extra=`` for an op that returns an extra (None: the rule recomputes it with ops).
        An input the rules do not read (see ``reads``) comes as its Tensor, for its shape."""
        rule = self.rules.get(0 if self.variadic else argnum) or self.rule_for(argnum)
        if self.variadic:
            attrs = {**attrs, "argnum": argnum} if attrs else {"argnum": argnum}
        if self.returns_extra:
            attrs = {**attrs, "extra": extra} if attrs else {"extra": extra}
        try:
            return rule(g, out, *inputs, **attrs) if attrs else rule(g, out, *inputs)
        except ValueError as exc:
            if "read-only" in str(exc):  # numpy's words for a write into a guarded array
                raise rule_wrote_error(self.name, argnum, exc) from exc
            raise

    def __call__(self, *args: Any, **attrs: Any) -> Tensor:
        """Run the forward on the inputs' data; record a node when a gradient is needed."""
        if len(args) > self.n_inputs and not self.variadic:
            args = bind_attrs(self, args, attrs)
        if attrs:
            attrs = constant_attrs(self, attrs)
        arrays = []
        needs_grad = False
        guarded = False  # a leaf's or a constant's array is among the inputs (see inplace.py)
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a.data)
                if a.requires_grad:
                    needs_grad = True
                if a._op is None:
                    guarded = True
            elif type(a) is list or type(a) is tuple:  # numpy reads one as an array; so do rules
                return self(*lists_as_arrays(args), **attrs)
            else:
                arrays.append(a)
                if type(a) is np.ndarray:
                    guarded = True
        try:
            out = self.forward(*arrays, **attrs)
        except (ValueError, TypeError, IndexError) as exc:
            raise op_error(self.name, arrays, exc) from exc
        extra = None
        if self.returns_extra:
            out, extra = out
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        mode = grad_mode
        if needs_grad and mode.enabled:
            t = self._record(out, args, arrays, attrs, extra, guarded)
        else:
            t = new_tensor(out)
        if mode.observers:
            for observer in mode.observers:
                observer.op_called(self, arrays, out, t if t.requires_grad else None)
        return t

    def _record(
        self, out: np.ndarray, args: Any, arrays: list[Any], attrs: Any, extra: Any, guarded: bool
    ) -> Tensor:
        """The output as a node that keeps what the rules read: its own data, read-only, and
        the arrays of the inputs named by ``reads`` (the others as themselves, for their
        shapes), then the op's extra; saved leaf and constant arrays are held read-only.
        Only floating-point outputs are recorded: an integer or boolean one is a constant."""
        if out.dtype.kind != "f":
            if out.dtype.kind == "c":
                raise complex_error(self.name, arrays)
            return new_tensor(out)  # integers, booleans: no gradient, a constant (as PyTorch)
        reads = self.reads
        if reads is None:
            saved: Any = tuple(arrays)
        elif not reads:
            saved = args
        else:
            saved = tuple([d if r else a for a, d, r in zip(args, arrays, reads, strict=False)])
        if guarded:
            for d in arrays:
                if d is out:  # a forward that hands back its input: the node gets a view
                    out = out.view()
                    break
        out.setflags(write=False)
        attrs = frozen_attrs(attrs) if attrs else None  # a reused index buffer cannot move g
        t = new_tensor(out, self, args, attrs, (saved, extra) if self.returns_extra else saved)
        if guarded:
            # an output that is a view (reshape, transpose, ...) may share an input's memory,
            # which the output's consumers read: guard every input's array then
            kept = arrays if out.base is not None else saved
            if kept is not args:  # else the node saved no array
                t._hold = Hold(args, kept)
        if self.stability_check is not None:
            self.stability_check(args)
        return t

    def in_rule(self, *args: Any, **attrs: Any) -> Any:
        """The op as a gradient rule calls it: arrays in, array out (a plain backward); any
        Tensor in, recorded Tensor out (a recorded backward, for higher derivatives). So one
        rule serves both passes even where it calls an op numpy lacks."""
        if any(isinstance(a, Tensor) for a in args):
            return self(*args, **attrs)
        return self.output(*args, **attrs)

    def output(self, *arrays: Any, **attrs: Any) -> Any:
        """The forward's output on arrays, without the extra it may also return."""
        out = self.forward(*arrays, **attrs)
        return out[0] if self.returns_extra else out

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def register(
    name: str,
    returns_extra: bool = False,
    check: Callable[[tuple[Any, ...]], None] | None = None,
    reads: Sequence[str] | None = None,
) -> Callable[[Callable[..., Any]], Op]:
    """Register a numpy forward as op ``name``; decorate its VJP rules with ``.vjp``.

    With ``returns_extra=True`` the forward returns ``(out, extra)``: an array its rules would
    otherwise recompute. The rules then receive ``extra=`` on a plain backward, and
    ``extra=None`` when the backward is recorded for higher-order derivatives (the extra
    array is a constant there, so they must recompute it with ops); it is released after
    backward unless ``retain_graph``. ``check(inputs)`` runs whenever the op is recorded, to
    warn about a numerically unstable pattern the op completes. ``reads`` names the inputs
    whose arrays the rules read (default: all); a node keeps only those, and gives the rules
    the others as Tensors, for their shapes. Rules return new arrays, never write into g.

    >>> @register("square_example")
    ... def square(x):
    ...     return x * x
    >>> @square.vjp
    ... def _(g, out, x):
    ...     '''d x^2/dx = 2 x.'''
    ...     return 2 * g * x
    >>> unregister("square_example")
    """

    def decorate(forward: Callable[..., Any]) -> Op:
        if name in _REGISTRY:
            raise ValueError(f"an op named {name!r} is already registered")
        op = Op(name, forward, returns_extra=returns_extra, check=check, reads=reads)
        _REGISTRY[name] = op
        return op

    return decorate


def unregister(name: str) -> None:
    """Remove op ``name`` from the registry (for tests and experiments)."""
    del _REGISTRY[name]


def get_op(name: str) -> Op:
    """The registered op called ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no op named {name!r}; registered ops: {known}") from None


def list_ops() -> list[str]:
    """The names of all registered ops, sorted."""
    return sorted(_REGISTRY)


def _reads_mask(
    name: str, inputs: tuple[str, ...], variadic: bool, reads: Sequence[str] | None
) -> tuple[bool, ...] | None:
    """``reads`` as one flag per input: None when every input is read, () when none is."""
    if reads is None:
        return None
    unknown = set(reads) - set(inputs)
    if unknown or (variadic and reads):
        raise ValueError(
            f"op {name!r}: reads= names inputs {sorted(unknown) or list(reads)}, but its "
            f"inputs are {inputs}"
            + (" (an op with *xs reads all of them or none)" if variadic else "")
        )
    mask = tuple(n in reads for n in inputs)
    return None if all(mask) and not variadic else mask if any(mask) else ()
