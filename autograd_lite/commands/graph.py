"""``autograd-lite graph EXPR``: evaluate an expression on random inputs, print its value and
gradients, and draw the graph the engine recorded.

The expression is checked against the whitelist of :mod:`autograd_lite.expr` before anything
runs; each name in it is an input, filled with seeded standard-normal values of the shape
given by ``--shape NAME=DIMS`` (a scalar without one). Backward runs when the value has one
element. The picture goes to ``-o FILE`` (svg, png, pdf, dot or json, from the suffix; html
writes the step-by-step page of :func:`autograd_lite.explore`), or as DOT to stdout, the
values then going to stderr so that stdout can be piped to ``dot``. Its command line (help,
arguments and their checks) is :mod:`autograd_lite.commands.graph_arguments`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import warnings
from typing import Any, TextIO

import numpy as np

from .. import expr
from ..atomic_files import write_atomically
from ..cli import UsageError
from ..deadline import Deadline, TimedOut, deadline
from ..explorer import explore
from ..graph_records import read_graph
from ..registry import get_op, list_ops
from ..tensor import Tensor, tensor
from ..viz import DotNotFoundError, draw_graph, graph_to_json, render
from .graph_arguments import (
    HELP,
    add_arguments,
    call_text,
    output_format,
    parse_shapes,
    unknown_arguments_hint,
)

# what the command line (autograd_lite.cli) reads of a command: its help, arguments and run
__all__ = ["HELP", "add_arguments", "run", "unknown_arguments_hint"]

# Errors the engine raises for a well-formed expression it cannot compute (a shape mismatch,
# an axis out of range, a missing gradient rule): reported as one line.
ENGINE_ERRORS = (ValueError, TypeError, IndexError, ArithmeticError, RuntimeError, MemoryError)


def run(args: argparse.Namespace) -> int:
    ops = {name: get_op(name) for name in list_ops()}
    if args.list_ops:
        for name, op in ops.items():
            print(call_text(name, op))
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
    fmt = output_format(args.output)
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
                _write_picture(value, args, fmt, clock, note)
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
            if note is None:  # the picture shows every gradient; the page runs its own pass
                value.backward(retain_grads=True, retain_graph=output_format(args.output) == "html")
        except expr.ExpressionError as exc:
            raise UsageError(str(exc)) from None
        except ENGINE_ERRORS as exc:
            raise UsageError(_one_line(exc)) from None
    return value, inputs, note, caught


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
    """The values, 4 significant digits each (small ones in e-notation, never shown as 0)."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        a = np.asarray(a + 0.0)  # -0.0 prints as 0 (a 0-d sum is a scalar: made an array)
    return np.array2string(a, precision=4, separator=", ")


def _write_picture(
    value: Tensor, args: argparse.Namespace, fmt: str, clock: Deadline, note: str | None
) -> None:
    shown = {"max_nodes": args.max_nodes, "show_grad": not args.no_grad}
    if args.output is None:
        sys.stdout.write(draw_graph(value, legend=args.legend, **shown).source)
        return
    try:
        if fmt == "json":
            write_atomically(args.output, (graph_to_json(value, **shown) + "\n").encode())
        elif fmt == "html":
            _write_page(value, args, clock, note)
        else:
            _render_in_time(value, args, fmt, clock)
    except DotNotFoundError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    except subprocess.CalledProcessError as exc:
        detail = _one_line(exc.stderr or exc)
        raise UsageError(f"Graphviz failed to draw {args.output}: {detail}") from None


def _write_page(value: Tensor, args: argparse.Namespace, clock: Deadline, note: str | None) -> None:
    """The step-by-step page (al.explore), which steps through the reverse pass; ``note``
    says why there is none (see _gradient_note)."""
    if note is not None:
        raise UsageError(f"-o {args.output}: the page steps through the reverse pass, but {note}")
    try:
        page = explore(value, max_nodes=args.max_nodes, title=args.expr)
        page.save(args.output, timeout=clock.remaining())
    except subprocess.TimeoutExpired:
        raise TimedOut from None


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
