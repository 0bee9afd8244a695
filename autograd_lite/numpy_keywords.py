"""The keywords numpy's functions take that their Tensor versions do not, and the errors that
name them as the user wrote them, with what to write instead."""

from __future__ import annotations

# a ufunc's keywords: given any, a Tensor's ufunc call leaves the op (and its gradient) out
UFUNC_KEYWORDS = frozenset(
    "out where dtype casting order subok signature axes axis keepdims".split()
)
INSTEAD = {
    "out": "call it without out= and assign the result: y = np.{name}(...)",
    "dtype": "cast the result with .astype(dtype) instead of dtype=",
    "where": "choose the elements with al.where(mask, x, fill) instead of where=",
    "initial": "combine the result with the initial value afterwards (+ for a sum, "
    "al.maximum for a max) instead of initial=",
}


def keywords_lose_gradient(name: str, keywords: list[str]) -> TypeError:
    """The refusal of a ufunc call on a Tensor that requires grad with ``keywords``:
    only the plain call runs the registered op."""
    given = ", ".join(f"{k}=" for k in keywords)
    unwritten = " (nothing was written)" if "out" in keywords else ""
    return TypeError(
        f"numpy.{name} with {given} on a Tensor that requires grad: only the plain call "
        f"records the op, so the gradient would be lost{unwritten}; "
        + "; ".join(_instead(name, k) for k in keywords)
        + "; or call it under al.no_grad() for the values without a gradient"
    )


def _instead(name: str, keyword: str) -> str:
    if keyword in INSTEAD:
        return INSTEAD[keyword].format(name=name)
    return f"call it without {keyword}="
