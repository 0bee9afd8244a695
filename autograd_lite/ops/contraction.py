"""Products that sum over shared axes: einsum, and numpy's dot, inner, outer, tensordot,
vdot and kron written as einsums, so that one rule serves them all; and cross.

einsum's rule: the gradient of operand k is itself an einsum, of g with the other operands,
producing operand k's subscripts. Two cases need a constant operand there: an index of k that
no other operand and not the output holds (summed away) comes from ``ones`` of its size, and
an index k repeats (a trace or a diagonal) is linked to its first place through ``eye``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..registry import register
from .elementwise import multiply
from .shape import reshape

LETTERS = string.ascii_letters


@register("einsum")
def einsum(*operands, subscripts="", optimize=False):
    return np.einsum(subscripts, *operands, optimize=optimize)


@einsum.vjp
def _einsum(g, out, *operands, argnum, subscripts="", optimize=False):
    """d einsum(...)/d operand_k = einsum of g with the other operands, giving operand k's
    indices; ones for an index only operand k holds, eye for an index it repeats."""
    inputs, output = subscripts.split("->")
    terms = inputs.split(",")
    sizes = index_sizes(terms + [output], [np.shape(x) for x in operands] + [np.shape(g)])
    others = [j for j in range(len(terms)) if j != argnum]
    new_terms, new_operands = (
        [output] + [terms[j] for j in others],
        [g] + [operands[j] for j in others],
    )
    present = set("".join(new_terms))
    fresh = (c for c in LETTERS if c not in subscripts)
    result = ""
    for c in terms[argnum]:
        if c in result:  # a repeated index: this place is the diagonal of the first one
            f = next(fresh)
            new_terms.append(c + f)
            new_operands.append(np.eye(sizes[c]))
            c = f
        elif c not in present:  # summed away by the forward: every element got g
            new_terms.append(c)
            new_operands.append(np.ones(sizes[c]))
        result += c
    spec = ",".join(new_terms) + "->" + result
    return einsum.in_rule(*new_operands, subscripts=spec, optimize=optimize or len(new_terms) > 2)


def index_sizes(terms: Sequence[str], shapes: Sequence[tuple[int, ...]]) -> dict[str, int]:
    """Each index's size: the largest over the operands, since size-1 axes broadcast; a
    ValueError when the subscripts do not fit the shapes."""
    if [len(t) for t in terms] != [len(s) for s in shapes]:
        raise ValueError(f"einsum: subscripts {list(terms)} do not fit shapes {list(shapes)}")
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes, strict=True):
        for c, n in zip(term, shape, strict=True):
            m = sizes.get(c, n)
            if m != n and 1 not in (m, n):
                raise ValueError(f"einsum: index {c!r} has sizes {m} and {n}")
            sizes[c] = max(m, n)
    return sizes


def numpy_einsum(*args: Any, optimize: Any = False, **kwargs: Any) -> Any:
    """``np.einsum`` on Tensors: any subscripts numpy accepts (implicit or explicit output,
    ``...``, repeated indices) or its interleaved form ``einsum(a, [0, 1], b, [1, 2])``.

    The op records the subscripts spelled out (``...`` replaced by letters, the output named).
    """
    if kwargs:
        raise TypeError(
            f"einsum on Tensors takes subscripts, operands and optimize=, not {sorted(kwargs)}; "
            "cast the result with .astype() instead of dtype="
        )
    operands: Sequence[Any] = args[1:]
    if isinstance(args[0], str):
        subscripts = args[0]
    else:
        subscripts, operands = _from_interleaved(args)
    explicit = explicit_subscripts(subscripts, [np.ndim(x) for x in operands])
    return einsum(*operands, subscripts=explicit, optimize=optimize)


def explicit_subscripts(subscripts: str, ndims: Sequence[int]) -> str:
    """numpy's einsum subscripts with every ``...`` spelled out as letters and the output
    named, as numpy reads them: ``"...ij,jk"`` for 3-d and 2-d operands is ``"aij,jk->aik"``.

    >>> explicit_subscripts("ij,jk", [2, 2])
    'ij,jk->ik'
    """
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(ndims):
        raise ValueError(
            f"einsum: the subscripts {subscripts!r} name {len(terms)} operand(s), "
            f"but {len(ndims)} were given"
        )
    named = [t.replace("...", "") for t in terms]
    bad = set("".join(named) + output.replace("...", "")) - set(LETTERS)
    if bad:
        raise ValueError(f"einsum: the subscripts {subscripts!r} hold {sorted(bad)}; use letters")
    spans = []  # how many axes each operand's ... stands for
    for term, letters, n in zip(terms, named, ndims, strict=True):
        span = n - len(letters) if "..." in term else 0
        if span < 0 or len(letters) + span != n:
            raise ValueError(
                f"einsum: the subscripts {subscripts!r} do not fit operands of {list(ndims)} dims"
            )
        spans.append(span)
    ellipsis = "".join([c for c in LETTERS if c not in text][: max(spans, default=0)])
    terms = [
        t.replace("...", ellipsis[len(ellipsis) - s :]) for t, s in zip(terms, spans, strict=True)
    ]
    if arrow:
        output = output.replace("...", ellipsis)
    else:  # numpy's implicit output: the broadcast axes, then the indices used once, sorted
        used = "".join(named)
        output = ellipsis + "".join(sorted(c for c in set(used) if used.count(c) == 1))
    return ",".join(terms) + "->" + output


def _from_interleaved(args: Sequence[Any]) -> tuple[str, Sequence[Any]]:
    """einsum's interleaved form ``(a, [0, 1], b, [1, 2], [0, 2])`` as subscripts and
    operands; the integers become letters in the same order, so implicit outputs agree."""
    order = string.ascii_uppercase + string.ascii_lowercase

    def term(sublist: Any) -> str:
        return "".join("..." if s is Ellipsis else order[s] for s in sublist)

    output = ""
    if len(args) % 2:  # an odd count: the last list is the output
        output, args = "->" + term(args[-1]), args[:-1]
    return ",".join(term(s) for s in args[1::2]) + output, args[0::2]


def _letters(n: int, start: int = 0) -> str:
    return LETTERS[start : start + n]


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """``np.tensordot``: sums a's ``axes[0]`` against b's ``axes[1]`` (or a's last ``axes``
    axes against b's first), as an einsum."""
    na, nb = np.ndim(a), np.ndim(b)
    if isinstance(axes, (int, np.integer)):
        axes_a, axes_b = list(range(na - int(axes), na)), list(range(int(axes)))
    else:
        axes_a, axes_b = (np.atleast_1d(ax).tolist() for ax in axes)
    axes_a = [normalize_axis_index(i, na) for i in axes_a]
    axes_b = [normalize_axis_index(i, nb) for i in axes_b]
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: axes {axes} pair {len(axes_a)} axes with {len(axes_b)}")
    sa, sb = list(_letters(na)), list(_letters(nb, na))
    for i, j in zip(axes_a, axes_b, strict=True):
        sb[j] = sa[i]
    kept = [c for i, c in enumerate(sa) if i not in axes_a] + [
        c for j, c in enumerate(sb) if j not in axes_b
    ]
    return einsum(a, b, subscripts=f"{''.join(sa)},{''.join(sb)}->{''.join(kept)}")


def dot(a: Any, b: Any) -> Any:
    """``np.dot``: a product for a 0-d operand, else a's last axis against b's second to last
    (its only one for 1-d b)."""
    na, nb = np.ndim(a), np.ndim(b)
    if na == 0 or nb == 0:  # a Python number is a float64 array here, as numpy's dot reads it
        return multiply(*(np.asarray(v) if type(v) in (int, float, bool) else v for v in (a, b)))
    return tensordot(a, b, axes=([-1], [max(nb - 2, 0)]))


def inner(a: Any, b: Any) -> Any:
    """``np.inner``: a's last axis against b's last axis (a product for a 0-d operand)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return dot(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


def outer(a: Any, b: Any) -> Any:
    """``np.outer``: every element of flattened a times every element of flattened b."""
    return einsum(reshape(a, shape=(-1,)), reshape(b, shape=(-1,)), subscripts="i,j->ij")


def vdot(a: Any, b: Any) -> Any:
    """``np.vdot`` for real arrays: the sum of the products of flattened a and b."""
    return einsum(reshape(a, shape=(-1,)), reshape(b, shape=(-1,)), subscripts="i,i->")


def kron(a: Any, b: Any) -> Any:
    """``np.kron``: block (i, j, ...) of the result is ``a[i, j, ...] * b``; an outer product
    whose axes are interleaved, then merged pairwise."""
    n = max(np.ndim(a), np.ndim(b))
    shape_a = (1,) * (n - np.ndim(a)) + np.shape(a)
    shape_b = (1,) * (n - np.ndim(b)) + np.shape(b)
    sa, sb = _letters(n), _letters(n, n)
    pairs = "".join(x + y for x, y in zip(sa, sb, strict=True))
    blocks = einsum(
        reshape(a, shape=shape_a), reshape(b, shape=shape_b), subscripts=f"{sa},{sb}->{pairs}"
    )
    return reshape(blocks, shape=tuple(x * y for x, y in zip(shape_a, shape_b, strict=True)))


@register("cross")
def cross(a, b, axis=-1):
    if np.shape(a)[axis] != 3 or np.shape(b)[axis] != 3:
        raise ValueError(
            "cross: vectors must have 3 components along the axis (numpy 2 deprecates "
            "2-component ones; pad them with a zero third component)"
        )
    return np.cross(a, b, axis=axis)


@cross.vjp(argnum=0)
def _cross_a(g, out, a, b, axis=-1):
    """d(a x b)/da applied to g: b x g."""
    return cross.in_rule(b, g, axis=axis)


@cross.vjp(argnum=1)
def _cross_b(g, out, a, b, axis=-1):
    """d(a x b)/db applied to g: g x a."""
    return cross.in_rule(g, a, axis=axis)


def numpy_cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None
) -> Any:
    """``np.cross`` of 3-component vectors; vectors along different axes of a, b and the
    result are moved to the last axis and back."""
    if axis is not None:
        axisa = axisb = axisc = axis
    if axisa == axisb == axisc:
        return cross(a, b, axis=axisa)
    moved: Any = cross(np.moveaxis(a, axisa, -1), np.moveaxis(b, axisb, -1))
    return np.moveaxis(moved, -1, axisc)


CONTRACTIONS: dict[Any, Callable[..., Any]] = {
    np.einsum: numpy_einsum,
    np.tensordot: tensordot,
    np.dot: dot,
    np.inner: inner,
    np.outer: outer,
    np.vdot: vdot,
    np.kron: kron,
    np.cross: numpy_cross,
}
