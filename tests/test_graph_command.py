"""``autograd-lite graph``: values, gradients and pictures, and refusals as one line, exit 2."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_lite as al
from autograd_lite import cli, expr

EXAMPLE = ["sum(softmax(W @ x + b))", "--shape", "W=3x4", "--shape", "x=4", "--shape", "b=3"]
HOSTILE = [
    ['__import__("os").system("true")'],
    ["().__class__"],
    ["[x for x in y]"],
    ["lambda: 0"],
    ["x.data"],
    ["9**9**9"],
    ["sum(W)", "--shape", "W=100000x100000"],
]


def graph(*argv):
    """Run the command in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["graph", *argv])
        except SystemExit as exit_:  # argparse's own errors
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_example_prints_value_and_gradients_and_writes_the_svg(tmp_path, op_calls):
    code, out, err = graph(*EXAMPLE, "-o", str(tmp_path / "graph.svg"))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["value: shape () float64", "1."]
    for name, shape in [("W", "(3, 4)"), ("x", "(4,)"), ("b", "(3,)")]:
        assert f"gradient of {name}: shape {shape}" in lines
    root = ET.parse(tmp_path / "graph.svg").getroot()
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"W", "x", "b", "softmax", "matmul", "add", "sum"} <= texts
    assert op_calls == ["matmul", "add", "softmax", "sum"]


def test_without_output_the_dot_goes_to_stdout_and_the_values_to_stderr():
    code, out, err = graph("x * y", "--shape", "x=2", "--legend")
    assert code == 0
    assert out.startswith("digraph autograd_lite {") and "cluster_legend" in out
    assert err.splitlines()[0] == "value: shape (2,) float64"
    assert "no gradients: the value has shape (2,)" in err


@pytest.mark.parametrize("suffix", ["svg", "png", "pdf", "dot", "json"])
def test_the_format_comes_from_the_suffix(tmp_path, suffix):
    path = tmp_path / f"g.{suffix}"
    assert graph("tanh(x) * 3", "-o", str(path))[0] == 0
    head = path.read_bytes()[:8]
    expected = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph", "json": b"{"}
    assert head.startswith(expected[suffix])
    if suffix == "json":
        assert json.loads(path.read_text())["outputs"] == ["n0"]


def test_seed_and_no_grad():
    first, second = graph("x", "--seed", "3")[2], graph("x", "--seed", "3")[2]
    assert first == second != graph("x", "--seed", "4")[2]
    code, out, err = graph("x * x", "--no-grad")
    assert code == 0 and "no gradients: --no-grad" in err and "grad " not in out


def test_a_shape_mismatch_is_the_engines_error_on_one_line(op_calls):
    code, out, err = graph("W @ x", "--shape", "W=3x4", "--shape", "x=3")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("autograd-lite graph: error: matmul: inputs of shape (3, 4) and (3,)")


@pytest.mark.parametrize("argv", HOSTILE, ids=lambda argv: " ".join(argv))
def test_hostile_inputs_are_refused_before_anything_runs(argv, op_calls, monkeypatch):
    evaluated = []
    monkeypatch.setattr(expr, "evaluate", lambda *a: evaluated.append(a))
    with mock.patch("os.system") as system:
        code, out, err = graph(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("autograd-lite graph: error: ") and err.count("\n") == 1
    assert (evaluated, op_calls, system.called) == ([], [], False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x", "--shape", "x=3x"], "DIMS are sizes joined by x"),
        (["a+b+c+d+e+f", *(f"--shape={n}=3000x3000" for n in "abcdef")], "54,000,000 elements"),
        (["x", "--shape", "x=3", "--shape", "x=4"], "x was given a shape twice"),
        (["a @ b", "--shape", "a=4000x1", "--shape", "b=1x4000"], "matmul would make 16,000,000"),
        (["x", "-o", "g.jpeg"], "the suffix must be one of"),
        (["x", "-o", "/no/such/dir/g.svg"], "cannot write /no/such/dir/g.svg"),
        (["sum(x, axis=1)"], "sum: inputs of shape (): axis 1 is out of bounds"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(argv, message):
    code, out, err = graph(*argv)
    assert code == 2 and err.count("\n") == 1 and message in err


def test_with_output_it_says_which_file_it_wrote(tmp_path):
    path = tmp_path / "g.svg"
    code, out, err = graph("x * 2", "-o", str(path))
    assert (code, err) == (0, "") and out.splitlines()[-1] == f"wrote {path}" and path.exists()
    assert "wrote" not in graph("x * 2")[2]  # DOT to stdout: no file written, none named


def test_list_ops_lists_every_registered_op_as_expr_calls_it():
    code, out, err = graph("--list-ops")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split("(")[0] for line in lines] == al.list_ops()
    assert "sum(x, axis=None, keepdims=False)" in lines
    assert "softmax(x, axis=-1)" in lines and "astype(x, dtype=float64)" in lines
    assert "stack(*xs, axis=0)" in lines
    assert "--list-ops" in cli_help("graph")


def cli_help(command):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main([command, "--help"])
    return out.getvalue()


def test_an_unknown_op_suggests_close_names_and_list_ops():
    code, _, err = graph("softmaz(x)")
    assert code == 2 and "did you mean softmax" in err and "--list-ops lists them" in err
    code, _, err = graph("frobnicate(x)")
    assert code == 2 and "frobnicate is not a registered op (--list-ops lists them)" in err


def test_an_expression_that_looks_like_an_option_gets_the_hint_about_dashes():
    code, out, err = graph("-x")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "autograd-lite graph: error: unrecognized arguments: -x; an EXPR that starts with - "
        "needs -- before it: autograd-lite graph -- -x"
    )
    code, _, err = graph("--", "-x")
    assert code == 0 and "gradient of x" in err


def test_without_an_expression_it_says_what_to_give():
    code, _, err = graph()
    assert code == 2 and err.count("\n") == 1
    assert "give an expression, for example" in err and "--list-ops" in err


def test_an_unused_shape_is_a_warning_not_an_error():
    code, out, err = graph("x * 2", "--shape", "y=3", "--shape", "x=2")
    assert code == 0 and out.startswith("digraph")
    assert err.splitlines()[0] == "warning: --shape y=3: not an input of the expression, ignored"
    assert "value: shape (2,) float64" in err


def test_without_dot_the_command_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    code, _, err = graph("x", "-o", str(tmp_path / "g.png"))
    assert code == 2 and "needs the Graphviz program 'dot'" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_warnings_of_the_engine_are_printed_with_the_values_one_line_each():
    @al.register("warns_for_test")
    def warns(x):
        warnings.warn("careful:\nthis op warns", UserWarning, stacklevel=1)
        return x * 1

    @warns.vjp
    def _(g, out, x):
        return g

    try:
        code, out, err = graph("warns_for_test(x) + warns_for_test(x)")
    finally:
        al.unregister("warns_for_test")
    assert code == 0 and out.startswith("digraph")
    assert err.splitlines()[0] == "warning: UserWarning: careful: this op warns"
    assert err.count("warning:") == 1


def test_a_syntax_warning_is_not_printed():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, _, err = graph("9in")  # "invalid decimal literal" is a SyntaxWarning
    assert (code, err.count("\n"), caught) == (2, 1, [])


def test_the_installed_entry_point_runs_the_example(tmp_path):
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    argv = [sys.executable, "-m", "autograd_lite", "graph", *EXAMPLE, "-o", "g.svg"]
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert "gradient of W: shape (3, 4)" in done.stdout
    assert (tmp_path / "g.svg").read_bytes().startswith(b"<?xml")


README_PICTURE = [
    "-log(softmax(W @ x + b)[0])", "--shape", "W=3x4", "--shape", "x=4", "--shape", "b=3",
    "--legend", "-o",
]  # fmt: skip


def test_the_readme_picture_is_what_the_command_makes(tmp_path):
    def texts(path):
        root = ET.parse(path).getroot()
        return sorted(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))

    checked_in = Path(__file__).resolve().parents[1] / "docs" / "images" / "softmax_graph.svg"
    assert graph(*README_PICTURE, str(tmp_path / "new.svg"))[0] == 0
    assert texts(checked_in) == texts(tmp_path / "new.svg"), (
        "docs/images/softmax_graph.svg is out of date; make it again with: autograd-lite graph "
        + " ".join(repr(a) for a in README_PICTURE)
        + " docs/images/softmax_graph.svg"
    )


# --- random text --------------------------------------------------------------------------
ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.USub,
    ast.UAdd, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult, ast.Subscript,
    ast.Slice, ast.Tuple, ast.Call, ast.keyword,
)  # fmt: skip
TOKENS = [
    "x", "y", "W", "2", "9", "0.5", "-1", "-", "+", "*", "/", "**", "@", "//", "(", ")", "[",
    "]", ",", ":", ".", " ", "...", "None", "True", "=", "axis=", "sum", "softmax", "exp",
    "log", "matmul", "reshape", "shape=", "__class__", "__import__", "'os'", "lambda", "for",
    "in", "if", "open", "eval", "import", "os", "system", "[0]", "\n", "\\", "#", "\0", "é",
]  # fmt: skip
TEXT = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(TOKENS), max_size=14).map("".join))


@pytest.fixture(scope="module")
def imported():
    """Run the command once, so that its imports (which exec module code) happen before
    exec and open are forbidden below."""
    assert graph("exp(x) @ x", "--shape", "x=2", "--legend")[0] == 0


@given(TEXT)
def test_random_text_never_prints_a_traceback_nor_runs_outside_the_whitelist(imported, text):
    forbidden = mock.Mock(side_effect=AssertionError("ran outside the whitelist"))
    with (
        mock.patch("builtins.eval", forbidden),
        mock.patch("builtins.exec", forbidden),
        mock.patch("builtins.open", forbidden),
        mock.patch("os.system", forbidden),
        mock.patch("subprocess.Popen", forbidden),
    ):
        code, out, err = graph("--", text)
    assert "Traceback" not in out + err
    assert not forbidden.called
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("autograd-lite graph: error: ")
        return
    assert code == 0
    for node in ast.walk(ast.parse(text.strip(), mode="eval")):  # accepted: check it ourselves
        assert isinstance(node, ALLOWED_NODES), ast.dump(node)
        if isinstance(node, ast.Name):
            assert not node.id.startswith("__")
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in al.list_ops()
        if isinstance(node, ast.Constant):
            assert not isinstance(node.value, (str, bytes, complex))


def test_small_values_and_gradients_are_printed_not_rounded_to_0(tmp_path):
    # suppress_small printed a gradient of 1.8e-9 as 0. and a value of -6.4e-12 as -0.
    code, out, _ = graph("sum(x * 1e-9)", "--shape", "x=2", "-o", str(tmp_path / "f.json"))
    assert code == 0 and "[1.e-09, 1.e-09]" in out and "-0." not in out
