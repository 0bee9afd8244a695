"""The ``autograd-lite`` command itself: its version, and what it says without a command."""

from __future__ import annotations

import contextlib
import io
import re
from importlib import metadata
from pathlib import Path

import pytest

import autograd_lite as al
from autograd_lite import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``autograd-lite ARGV`` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit_:  # argparse's --version and --help exit
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_the_version_is_the_package_metadata_and_pyproject_s():
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert declared is not None
    assert al.__version__ == metadata.version("autograd-lite") == declared.group(1)


def test_version_option_prints_the_version():
    assert run("--version") == (0, f"autograd-lite {al.__version__}\n", "")


def test_without_a_command_it_prints_the_help_not_an_argparse_error():
    code, out, err = run()
    assert (code, err) == (2, "")
    assert out.startswith("usage: autograd-lite")
    assert "train" in out and "graph" in out and "required" not in out


@pytest.mark.parametrize("command", ["train", "graph"])
def test_each_command_has_help(command):
    code, out, _ = run(command, "--help")
    assert code == 0 and out.startswith(f"usage: autograd-lite {command}")
