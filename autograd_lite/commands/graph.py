"""``autograd-lite graph EXPR``: evaluate an expression on random inputs, print its value and
gradients, and draw the graph the engine recorded.

The expression is checked against the whitelist of :mod:`autograd_lite.expr` before anything
runs; each name in it is an input, filled with seeded standard-normal values of the shape
given by ``--shape NAME=DIMS`` (a scalar without one). Backward runs when the value has one
element. The picture goes to ``-o FILE`` (svg, png, pdf, dot or json, from the suffix), or as
DOT to stdout, the values then going to stderr so that stdout can be piped to ``dot``.
"""

from __future__ import annotations

import argparse
import inspect
import math
import shlex
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .. import expr
from ..atomic_files import write_atomically
from ..cli import UsageError
from ..deadline import Deadline, TimedOut, deadline
from ..graph_records import read_graph
from ..registry import get_op, list_ops
from ..tensor import Tensor, tensor
from ..viz import DEFAULT_MAX_NODES, FORMATS, DotNotFoundError, draw_graph, graph_to_json, render

HELP = "draw the graph of an expression, with its value and gradients"

EXAMPLE = """example:
  autograd-lite graph "sum(softmax(W @ x + b))" --shape W=3x4 --shape x=4 --shape b=3 -o g.svg

EXPR may use numbers, input names, + - * / ** @, unary minus, indexing with constant
indices (x[0, 1:]) and the registered ops by name with constant attributes (sum(x, axis=1));
autograd-lite graph --list-ops lists the ops and their attributes.
Anything else is refused before anything runs. Limits, priced from the shapes before
anything runs: {limit:,} elements for an input, any result or any gradient, {total:,} for
all the arrays of the expression together, {work:.0e} floating-point operations with the
gradients, exponents up to {exponent}, {length:,} characters. An EXPR that starts with -
needs -- before it when it has no space: autograd-lite graph -- -x
"""

# Errors the engine raises for a well-formed expression it cannot compute (a shape mismatch,
# an axis out of range, a missing gradient rule): reported as one line.
ENGINE_ERRORS = (ValueError, TypeError, IndexError, ArithmeticError, RuntimeError, MemoryError)
DEFAULT_TIMEOUT = 30.0  # seconds of wall-clock time for one run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = HELP
    parser.epilog = EXAMPLE.format(
        limit=expr.MAX_ELEMENTS,
        total=expr.MAX_TOTAL_ELEMENTS,
        work=expr.MAX_WORK,
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
        help="write the picture to FILE (.svg .png .pdf .dot .json); default: DOT to stdout",
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


def run(args: argparse.Namespace) -> int:
    ops = {name: get_op(name) for name in list_ops()}
    if args.list_ops:
        for name, op in ops.items():
            print(_call_text(name, op))
        return 0
    if args.expr is None:
        raise UsageError(
            "give an expression, for example: autograd-lite graph 'sum(exp(x))' "
            "(--list-ops lists the ops it may call)"
        )
    try:
        program = expr.check(args.expr, ops)
        shapes, unused = parse_shapes(args.shape, program.names)
        expr.estimate(program, shapes, grad=not args.no_grad)  # before anything is allocated
    except expr.ExpressionError as exc:
        raise UsageError(str(exc)) from None
    fmt = _output_format(args.output)
    try:
        with deadline(args.timeout) as clock:
            value, inputs, note, caught = _evaluate(program, shapes, args)
            out = sys.stdout if args.output else sys.stderr
            for spec in unused:
                print(f"warning: --shape {spec}: not an input of the expression, ignored", file=out)
            for text in dict.fromkeys(
                f"{w.category.__name__}: {_one_line(w.message)}" for w in caught
            ):
                print(f"warning: {text}", file=out)
            _report(value, inputs, note, out)
            with np.errstate(all="ignore"):
                _write_picture(value, args, fmt, clock)
    except TimedOut:
        raise UsageError(
            f"stopped after --timeout {args.timeout:g} s; nothing was written (use smaller "
            "shapes, fewer ops, or a larger --timeout)"
        ) from None
    if args.output:
        print(f"wrote {args.output}", file=out)
    return 0


def _evaluate(
    program: expr.Program, shapes: dict[str, tuple[int, ...]], args: argparse.Namespace
) -> tuple[Tensor, dict[str, Tensor], str | None, list[warnings.WarningMessage]]:
    """The value, the inputs, why backward did not run (None if it did), and the warnings."""
    rng = np.random.default_rng(args.seed)
    inputs = {
        name: tensor(rng.standard_normal(shapes.get(name, ())), requires_grad=True, name=name)
        for name in program.names
    }
    # NaN and Inf are shown in the picture, not warned of; other warnings (the engine's
    # advice, say) are collected and printed with the values, one line each.
    with np.errstate(all="ignore"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = expr.evaluate(program, inputs, grad=not args.no_grad)
            if not isinstance(value, Tensor):
                value = tensor(value)
            note = _gradient_note(value, args.no_grad)
            if note is None:
                value.backward(retain_grads=True)  # the picture shows every gradient
        except expr.ExpressionError as exc:
            raise UsageError(str(exc)) from None
        except ENGINE_ERRORS as exc:
            raise UsageError(_one_line(exc)) from None
    return value, inputs, note, caught


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


def _call_text(name: str, op: Any) -> str:
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
        if not all(p.isascii() and p.isdigit() for p in parts) or len(parts) > 32:
            raise UsageError(f"--shape {_short(spec)}: DIMS are sizes joined by x, for example 3x4")
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


def _output_format(output: str | None) -> str:
    if output is None:
        return "dot"
    fmt = Path(output).suffix.removeprefix(".").lower()
    fmt = "dot" if fmt == "gv" else fmt
    if fmt not in (*FORMATS, "json"):
        raise UsageError(f"-o {output}: the suffix must be one of .svg .png .pdf .dot .json")
    return fmt


def _gradient_note(value: Tensor, no_grad: bool) -> str | None:
    """Why backward is not run, or None when it is."""
    if no_grad:
        return "no gradients: --no-grad"
    if not value.requires_grad:
        return "no gradients: the expression has no inputs"
    if value.size != 1:
        return (
            f"no gradients: the value has shape {value.shape}, and backward needs one element "
            "(reduce it first, for example sum(...))"
        )
    return None


def _report(value: Tensor, inputs: dict[str, Tensor], note: str | None, out: TextIO) -> None:
    print(f"value: shape {value.shape} {value.dtype}", file=out)
    print(_array_text(value.data), file=out)
    if note is not None:
        print(note, file=out)
        return
    for name, x in inputs.items():
        print(f"gradient of {name}: shape {x.shape}", file=out)
        print(_array_text(x.grad), file=out)


def _array_text(a: Any) -> str:
    a = np.asarray(a)
    if a.dtype.kind == "f":
        a = a + 0.0  # -0.0 prints as 0
    return np.array2string(a, precision=4, suppress_small=True, separator=", ")


def _write_picture(value: Tensor, args: argparse.Namespace, fmt: str, clock: Deadline) -> None:
    shown = {"max_nodes": args.max_nodes, "show_grad": not args.no_grad}
    if args.output is None:
        sys.stdout.write(draw_graph(value, legend=args.legend, **shown).source)
        return
    try:
        if fmt == "json":
            write_atomically(args.output, (graph_to_json(value, **shown) + "\n").encode())
        else:
            _render_in_time(value, args, fmt, clock)
    except DotNotFoundError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    except subprocess.CalledProcessError as exc:
        detail = _one_line(exc.stderr or exc)
        raise UsageError(f"Graphviz failed to draw {args.output}: {detail}") from None


def _render_in_time(value: Tensor, args: argparse.Namespace, fmt: str, clock: Deadline) -> None:
    """Draw with Graphviz in half the time left; if its layout is not done by then, draw the
    nodes nearest the output only (the picture notes how many were left out) in the rest."""
    shown = {"max_nodes": args.max_nodes, "show_grad": not args.no_grad}
    try:
        render(
            draw_graph(value, legend=args.legend, **shown),
            args.output,
            fmt,
            timeout=clock.remaining() / 2,
        )
        return
    except subprocess.TimeoutExpired:
        pass
    drawn = len(read_graph([value], show_data=False, max_nodes=args.max_nodes).nodes)
    fewer = max(min(args.max_nodes, drawn) // 4, 1)
    print(
        f"warning: Graphviz did not lay out the picture in {clock.seconds / 2:.3g} s; drawing "
        f"the {fewer} nodes nearest the output instead (--max-nodes)",
        file=sys.stdout,
    )
    try:
        render(
            draw_graph(value, legend=args.legend, **{**shown, "max_nodes": fewer}),
            args.output,
            fmt,
            timeout=clock.remaining(),
        )
    except subprocess.TimeoutExpired:
        raise TimedOut from None


def _one_line(exc: BaseException | Warning | str) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


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
