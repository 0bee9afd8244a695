"""The command line of ``autograd-lite graph EXPR``: its help text, its arguments, and the
checks that refuse a bad value as one line before anything runs (``--shape NAME=DIMS`` within
the size limits, the suffix of ``-o FILE``, the numbers of ``--seed``, ``--max-nodes`` and
``--timeout``), with the hint for an EXPR that starts with - and the text ``--list-ops``
prints for each op. :mod:`autograd_lite.commands.graph` runs the command.
"""

from __future__ import annotations

import argparse
import inspect
import math
import shlex
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from .. import expr
from ..cli import UsageError
from ..viz import DEFAULT_MAX_NODES, FORMATS

HELP = "draw the graph of an expression, with its value and gradients"

EXAMPLE = """example:
  autograd-lite graph "sum(softmax(W @ x + b))" --shape W=3x4 --shape x=4 --shape b=3 -o g.svg

EXPR may use numbers, input names, + - * / ** @, unary minus, indexing with constant
indices (x[0, 1:]) and the registered ops by name with constant attributes (sum(x, axis=1));
autograd-lite graph --list-ops lists the ops and their attributes.
Anything else is refused before anything runs. Limits, priced from the shapes before
anything runs: {limit:,} elements for an input, any result or any gradient, {total:,} for
all the arrays of the expression together, {work:.0e} floating-point operations with the
gradients, {dims} dimensions for an input, exponents up to {exponent}, {length:,} characters.
An EXPR that starts with - needs -- before it when it has no space: autograd-lite graph -- -x
"""

DEFAULT_TIMEOUT = 30.0  # seconds of wall-clock time for one run
# numpy 2 allows 64 dimensions, but some of its functions (np.broadcast, iterating over
# a.flat) still stop at 32
MAX_DIMS = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = HELP
    parser.epilog = EXAMPLE.format(
        limit=expr.MAX_ELEMENTS,
        total=expr.MAX_TOTAL_ELEMENTS,
        work=expr.MAX_WORK,
        dims=MAX_DIMS,
        exponent=expr.MAX_EXPONENT,
        length=expr.MAX_LENGTH,
    )
    parser.add_argument(
        "expr", metavar="EXPR", nargs="?", help="the expression, e.g. 'sum(exp(x) * y)'"
    )
    parser.add_argument(
        "--list-ops", action="store_true", help="list the ops EXPR may call, and exit"
    )
    parser.add_argument(
        "--shape",
        action="append",
        default=[],
        metavar="NAME=DIMS",
        help="the shape of input NAME, e.g. W=3x4 (inputs without one are scalars)",
    )
    parser.add_argument("--seed", type=_natural, default=0, help="seed of the random inputs")
    parser.add_argument("--no-grad", action="store_true", help="do not run backward")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=(
            "write the picture to FILE (.svg .png .pdf .dot .json), or the step-by-step page "
            "(.html); default: DOT to stdout"
        ),
    )
    parser.add_argument(
        "--max-nodes",
        type=_positive,
        metavar="N",
        default=DEFAULT_MAX_NODES,
        help=f"draw at most N nodes, nearest the output first (default {DEFAULT_MAX_NODES})",
    )
    parser.add_argument("--legend", action="store_true", help="draw the legend of the styles")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        default=DEFAULT_TIMEOUT,
        help="stop evaluating and drawing after SECONDS of wall-clock time (default "
        f"{DEFAULT_TIMEOUT:g}); a picture Graphviz cannot lay out in half of it is drawn "
        "with fewer nodes",
    )


def unknown_arguments_hint(args: argparse.Namespace, unknown: list[str]) -> str:
    """A hint for arguments argparse did not know: without an EXPR, one that starts with -
    was most likely the expression (``-x``), which needs ``--`` before it."""
    dashed = [a for a in unknown if a.startswith("-")]
    if args.expr is None and dashed:
        return (
            f"; an EXPR that starts with - needs -- before it: autograd-lite graph -- "
            f"{shlex.quote(dashed[0])}"
        )
    return ""


def call_text(name: str, op: Any) -> str:
    """How EXPR calls the op: ``sum(x, axis=None, keepdims=False)``."""
    try:
        params = list(inspect.signature(op.forward).parameters.values())
    except (TypeError, ValueError):
        return f"{name}(...)"
    parts = []
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
        elif p.default is p.empty:
            parts.append(p.name)
        elif isinstance(p.default, type):  # a dtype such as np.float64
            parts.append(f"{p.name}={np.dtype(p.default).name}")
        else:
            parts.append(f"{p.name}={p.default!r}")
    return f"{name}({', '.join(parts)})"


def parse_shapes(
    specs: list[str], names: list[str]
) -> tuple[dict[str, tuple[int, ...]], list[str]]:
    """``["W=3x4", "x=4"]`` as ``{"W": (3, 4), "x": (4,)}``, each within the size limit, and
    the specs naming no input of the expression (the caller warns of them).

    Names are normalised as Python's parser normalises the expression's (NFKC: a full-width
    ``ｘ`` is ``x``)."""
    shapes: dict[str, tuple[int, ...]] = {}
    unused: list[str] = []
    for spec in specs:
        name, equals, dims = spec.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())
        if not equals or not name.isidentifier():
            raise UsageError(f"--shape {_short(spec)}: give NAME=DIMS, for example W=3x4")
        if name not in names:
            unused.append(spec)
            continue
        if name in shapes:
            raise UsageError(f"--shape {_short(spec)}: {name} was given a shape twice")
        parts = [p.strip() for p in dims.replace(",", "x").split("x")] if dims.strip() else []
        if not all(p.isascii() and p.isdigit() for p in parts):
            raise UsageError(f"--shape {_short(spec)}: DIMS are sizes joined by x, for example 3x4")
        if len(parts) > MAX_DIMS:
            raise UsageError(
                f"--shape {_short(spec)}: {len(parts)} dimensions, more than the limit of "
                f"{MAX_DIMS}"
            )
        too_long = [p for p in parts if len(p.lstrip("0")) > len(str(expr.MAX_ELEMENTS))]
        if too_long or any(int(p) > expr.MAX_ELEMENTS for p in parts):
            raise UsageError(
                f"--shape {_short(spec)}: a dimension of {_short(max(too_long or parts, key=len))}"
                f" is more than the limit of {expr.MAX_ELEMENTS:,} elements"
            )
        shape = tuple(int(p) for p in parts)
        size = math.prod(shape)
        if size > expr.MAX_ELEMENTS:
            raise UsageError(
                f"--shape {spec}: {size:,} elements, more than the limit of {expr.MAX_ELEMENTS:,}"
            )
        shapes[name] = shape
    total = sum(math.prod(shape) for shape in shapes.values())
    if total > expr.MAX_TOTAL_ELEMENTS:
        raise UsageError(
            f"the inputs have {total:,} elements together, more than the limit of "
            f"{expr.MAX_TOTAL_ELEMENTS:,}"
        )
    return shapes, unused


def _short(text: str) -> str:
    """``text`` as it can be quoted in a one-line message: at most 40 characters."""
    return text if len(text) <= 40 else f"{text[:20]}...({len(text):,} characters)"


def output_format(output: str | None) -> str:
    """The format of the picture, from the suffix of ``-o FILE`` (DOT to stdout without one)."""
    if output is None:
        return "dot"
    fmt = Path(output).suffix.removeprefix(".").lower()
    fmt = "dot" if fmt == "gv" else fmt
    if fmt not in (*FORMATS, "json", "html"):
        raise UsageError(f"-o {output}: the suffix must be one of .svg .png .pdf .dot .json .html")
    return fmt


def _natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value
