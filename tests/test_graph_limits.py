"""``autograd-lite graph`` against hostile input: limits on memory (forward and backward) and
work priced from shapes before anything runs, a wall-clock limit that really stops, a slow
Graphviz layout drawn smaller, and one line with exit 2 for every refusal."""

from __future__ import annotations

import contextlib
import io
import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import cli, expr
from autograd_lite.expr import checker, cost, language, shapes

MIB = 2**20


def graph(*argv):
    """Run the command in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["graph", *argv])
    return code, out.getvalue(), err.getvalue()


def refusal(code: int, out: str, err: str) -> str:
    assert (code, out) == (2, ""), err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("autograd-lite graph: error: "), err
    return lines[0].removeprefix("autograd-lite graph: error: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (  # an empty input reduced over its empty axis: the result is priced, not the input
            ["sum(reshape(x, shape=(0, 250000000)), axis=0)", "--shape", "x=0"],
            "sum would make 250,000,000 elements (more than the limit of 10,000,000)",
        ),
        (  # inputs and result of 360,000 elements; the gradients of matmul are 216,000,000
            ["sum(a @ b)", "--shape", "a=600x1x1x600", "--shape", "b=1x600x600x1"],
            "the backward pass of matmul would make a gradient of 216,000,000 elements",
        ),
        (
            ["+".join(["sum(a@b)"] * 222), "--shape", "a=316x31623", "--shape", "b=31623x316"],
            "matmul would take the work of the expression to about 4e+10 floating-point "
            "operations with its gradients (more than the limit of 2e+10",
        ),
        (
            ["sum(x)", "--shape", "x=0x250000000"],
            "--shape x=0x250000000: a dimension of 250000000 is more than the limit of "
            "10,000,000 elements",
        ),
        (
            ["sum(x)", "--shape", "x=0x99999999999999999999"],
            "--shape x=0x99999999999999999999: a dimension of 99999999999999999999 is more "
            "than the limit of 10,000,000 elements",
        ),
        (
            ["sum(x)", "--shape", "x=" + "9" * 5000],
            "--shape x=999999999999999999...(5,002 characters): a dimension of "
            "99999999999999999999...(5,000 characters) is more than the limit",
        ),
        (["sum(x)", "--shape", "x=\u00b2"], "--shape x=\u00b2: DIMS are sizes joined by x"),
        (  # was "DIMS are sizes joined by x", which they are
            ["sum(x)", "--shape", "x=" + "x".join(["1"] * 34)],
            "--shape x=1x1x1x1x1x1x1x1x1x...(69 characters): 34 dimensions, more than the "
            "limit of 32",
        ),
        (["x ** 100.0000001"], "the exponent 100.0000001 is too large (at most 100)"),
        (
            ["9 ** 9 ** 2"],
            "the number 196627050475... (78 digits) is too large for an integer array (at "
            "most 2**63 - 1); write it as a float, such as 1.97e+77, at column 1: 9 ** 9 ** 2",
        ),
    ],
)
def test_refused_before_anything_runs_with_one_line(argv, message, op_calls):
    assert message in refusal(*graph(*argv))
    assert op_calls == []


def test_no_grad_prices_the_forward_only(tmp_path):
    # The forward makes 360,000 elements; only the backward would be over the limits.
    argv = ["sum(a @ b)", "--shape", "a=600x1x1x600", "--shape", "b=1x600x600x1", "--no-grad"]
    code, out, err = graph(*argv, "-o", str(tmp_path / "g.json"))
    assert (code, err) == (0, "")
    assert "no gradients: --no-grad" in out and (tmp_path / "g.json").exists()


def test_shape_names_are_normalised_as_the_parser_normalises_the_expression():
    code, out, err = graph("sum(\uff58)", "--shape", "\uff58=3")  # a full-width x
    assert code == 0, err
    assert "gradient of x: shape (3,)" in err


def test_every_op_has_a_shape_rule_that_agrees_with_the_op():
    examples = {
        "concatenate": ([(2, 3), (4, 3)], {"axis": 0}),
        "stack": ([(2, 3), (2, 3)], {"axis": 1}),
        "cross_entropy": ([(2, 3, 4), (2, 4)], {"axis": 1, "reduction": "none"}),
        "matmul": ([(5, 1, 2, 3), (4, 3, 2)], {}),
        "linear": ([(2, 3), (3, 4), (4,)], {}),
        "reshape": ([(2, 6)], {"shape": (3, -1)}),
        "transpose": ([(2, 3, 4)], {"axes": (2, 0, 1)}),
        "squeeze": ([(2, 1, 3)], {"axis": 1}),
        "expand_dims": ([(2, 3)], {"axis": 1}),
        "broadcast_to": ([(3,)], {"shape": (2, 3)}),
        "getitem": ([(4, 5)], {"index": (slice(1, None, 2), None, 0)}),
        "add_at": ([(2,)], {"index": (slice(0, 2),), "shape": (5,)}),
        "where": ([(2, 1), (1, 3), ()], {}),
        "clip": ([(2, 3)], {"a_min": 0.0}),
        "sum": ([(2, 3, 4)], {"axis": (0, 2), "keepdims": True}),
        "logsumexp": ([(2, 3)], {"axis": -1}),
        "max": ([(2, 3)], {}),
        "softmax": ([(2, 3)], {"axis": 0}),
        "average": ([(2, 3), (3,)], {"axis": 1}),
        "einsum": ([(2, 3), (1, 3, 4)], {"subscripts": "ij,bjk->bik"}),
        "cross": ([(2, 1, 3), (4, 3)], {}),
        "norm": ([(2, 3, 4)], {"ord": 1, "axis": (0, 2), "keepdims": True}),
        "solve": ([(2, 1, 3, 3), (4, 3, 2)], {}),
        "put_along_axis": ([(2, 3), (1, 2)], {"indices": np.array([[2, 0]]), "axis": 1}),
    }
    square = {"inv", "det", "logabsdet", "solve", "cholesky", "eigh"}  # positive definite
    rng = np.random.default_rng(0)
    for name in al.list_ops():
        in_shapes, attrs = examples.get(name, ([(2, 1), (3,)][: al.get_op(name).n_inputs], {}))
        if name in square and name not in examples:
            in_shapes = [(2, 3, 3)]
        if name == "cross_entropy":
            args = [rng.standard_normal(in_shapes[0]), rng.integers(0, 3, in_shapes[1])]
        else:
            args = [np.abs(rng.standard_normal(s)) + 0.5 for s in in_shapes]
        if name in square:
            args[0] = args[0] @ np.swapaxes(args[0], -1, -2) + np.eye(3)
        with np.errstate(invalid="ignore"):  # arcsin(1.7) is nan: only the shape counts here
            expected = np.shape(al.get_op(name)(*args, **attrs))
        assert shapes.result_shape(name, in_shapes, attrs) == expected, name


def test_a_wall_clock_limit_really_stops_the_evaluation(tmp_path):
    # Within every limit, about a second of matrix products; stopped after 0.2 s.
    argv = ["sum(a @ b)", "--shape", "a=316x31623", "--shape", "b=31623x316", "--timeout", "0.2"]
    done = subprocess.run(
        [sys.executable, "-m", "autograd_lite", "graph", *argv, "-o", "g.svg"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "autograd-lite graph: error: stopped after --timeout 0.2 s; nothing was written (use "
        "smaller shapes, fewer ops, or a larger --timeout)\n"
    )
    assert list(tmp_path.iterdir()) == []


def fake_dot(folder: Path, slow_above: int) -> dict[str, str]:
    """A ``dot`` on PATH that hangs on input longer than ``slow_above`` bytes, and otherwise
    runs the real one; the environment that puts it first."""
    real = subprocess.run(["which", "dot"], capture_output=True, text=True).stdout.strip()
    script = folder / "dot"
    script.write_text(
        "#!/bin/sh\ninput=$(cat)\n"
        f"if [ ${{#input}} -gt {slow_above} ]; then exec sleep 600; fi\n"
        f'printf "%s" "$input" | exec {real} "$@"\n'
    )
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_a_slow_layout_is_killed_and_drawn_with_fewer_nodes(tmp_path, monkeypatch):
    if subprocess.run(["which", "dot"], capture_output=True).returncode:
        pytest.skip("needs Graphviz's dot (installed in CI by .ci/run)")
    env = fake_dot(tmp_path, slow_above=4000)
    monkeypatch.setenv("PATH", env["PATH"])
    text = "+".join(["exp(x)"] * 30)
    code, out, err = graph(text, "--timeout", "1", "-o", str(tmp_path / "g.svg"))
    assert (code, err) == (0, "")
    assert (
        "warning: Graphviz did not lay out the picture in 0.5 s; drawing the 29 nodes nearest "
        "the output instead (--max-nodes)"
    ) in out  # a quarter of the 119 nodes of the whole graph
    svg = (tmp_path / "g.svg").read_text()
    assert "90 more nodes not drawn" in svg and svg.count('class="node"') == 30  # 29, a note


def test_a_layout_that_never_ends_is_stopped_and_writes_nothing(tmp_path, monkeypatch):
    if subprocess.run(["which", "dot"], capture_output=True).returncode:
        pytest.skip("needs Graphviz's dot (installed in CI by .ci/run)")
    monkeypatch.setenv("PATH", fake_dot(tmp_path, slow_above=0)["PATH"])
    code, out, err = graph("exp(x)", "--timeout", "0.4", "-o", str(tmp_path / "g.svg"))
    assert code == 2
    assert err.startswith("autograd-lite graph: error: stopped after --timeout 0.4 s;")
    assert not (tmp_path / "g.svg").exists()


def test_under_a_memory_limit_a_huge_backward_is_refused_not_attempted(tmp_path):
    # The backward of this product would ask for 7.45 GiB; the subprocess may have 1 GiB.
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024 * MIB, 1024 * MIB))

    argv = ["sum(a @ b)", "--shape", "a=1000x1x1x1000", "--shape", "b=1x1000x1000x1"]
    done = subprocess.run(
        [sys.executable, "-m", "autograd_lite", "graph", *argv, "-o", "g.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        preexec_fn=limit,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert done.returncode == 2
    assert done.stderr == (
        "autograd-lite graph: error: the backward pass of matmul would make a gradient of "
        "1,000,000,000 elements (more than the limit of 10,000,000), at column 5: a @ b\n"
    )


# Random text and random --shape values, in this process, with the limits made small so that
# every example is fast: exit 0, or exit 2 with one line; never a traceback; and never more
# memory than the limits allow (numpy reports its allocations to tracemalloc).
SMALL = {"MAX_ELEMENTS": 2_000, "MAX_TOTAL_ELEMENTS": 10_000, "MAX_WORK": 2_000_000}
LEAVES = st.sampled_from(["x", "y", "W", "2", "0.5", "1e308", "\uff58"])
UNARY = ["sum", "exp", "softmax", "logsumexp", "tanh", "log", "sqrt", "mean", "max", "relu"]
ATTRS = st.sampled_from(
    ["", ", axis=0", ", axis=-1", ", axis=1", ", axis=(0, 1)", ", keepdims=True", ", axis=5"]
)
SHAPES = st.sampled_from(["(0, 3000)", "(40, 50)", "(3000,)", "(2, 0)", "-1", "(1, 1, 2000)"])


def _compose(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(UNARY[:5]), inner, ATTRS).map(lambda t: f"{t[0]}({t[1]}{t[2]})"),
        st.tuples(st.sampled_from(UNARY), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, st.sampled_from([" + ", " * ", " @ ", " / ", " ** "]), inner).map(
            lambda t: f"({t[0]}{t[1]}{t[2]})"
        ),
        st.tuples(st.sampled_from(["reshape", "broadcast_to"]), inner, SHAPES).map(
            lambda t: f"{t[0]}({t[1]}, shape={t[2]})"
        ),
        st.tuples(st.sampled_from(["concatenate", "stack"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(inner, st.sampled_from(["[0]", "[:, None]", "[::2]", "[1:, 0]"])).map("".join),
        st.tuples(inner, inner).map(lambda t: f"cross_entropy({t[0]}, {t[1]} * 0)"),
    )


WELL_FORMED = st.recursive(LEAVES, _compose, max_leaves=8)
EXPRESSIONS = st.one_of(WELL_FORMED, WELL_FORMED, WELL_FORMED, st.text(max_size=30))
dims = st.lists(
    st.integers(0, 9) | st.integers(0, 60) | st.sampled_from([0, 1, 2000, 10**6, 10**30]),
    max_size=3,
)
shape_specs = st.lists(
    st.tuples(st.sampled_from(["x", "x", "y", "W", "z", "\uff58"]), dims).map(
        lambda p: f"{p[0]}={'x'.join(map(str, p[1]))}"
    ),
    max_size=3,
    unique_by=lambda spec: spec.split("=")[0],
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=EXPRESSIONS,
    specs=shape_specs,
)
def test_random_input_is_one_line_or_success_and_stays_within_the_limits(text, specs):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            for module in (language, checker, cost, expr):
                if hasattr(module, name):
                    patch.setattr(module, name, value)
        argv = [a for spec in specs for a in ("--shape", spec)]
        tracemalloc.start()
        try:
            code, out, err = (
                graph("--", text, *argv) if text.startswith("-") else graph(text, *argv)
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "Traceback" not in err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("autograd-lite graph: error: ")
    else:
        assert code == 0, err
    # Arrays of 8 bytes: the forward's and the gradients' together, plus the rules' own
    # temporaries; what the printing and the picture take on top is small.
    assert peak < 8 * 6 * SMALL["MAX_TOTAL_ELEMENTS"] + 4 * MIB
