"""The one atomic writer: whole files or none, symlinks replaced, leftovers of a kill removed."""

from __future__ import annotations

import ast
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import autograd_lite
from autograd_lite import atomic_files

PACKAGE = Path(autograd_lite.__file__).parent


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_symlink_under_the_name_is_replaced_and_its_target_kept(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    atomic_files.write_atomically(link, b"{}")
    assert not link.is_symlink() and link.read_bytes() == b"{}"
    assert victim.read_bytes() == b"precious"


def test_a_failed_write_keeps_the_previous_file_whole_and_leaves_no_temporary(
    tmp_path, monkeypatch
):
    path = tmp_path / "model.npz"
    path.write_bytes(b"the previous checkpoint")
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OSError, match="No space left"):
        atomic_files.write_atomically(path, b"half of the new one")
    assert path.read_bytes() == b"the previous checkpoint"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_leftovers_of_a_killed_process_are_removed_and_those_of_a_live_one_kept(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / f".model.npz.{dead}-7.tmp").write_bytes(b"half")
    (tmp_path / f".model.npz.{os.getpid()}-7.tmp").write_bytes(b"being written")
    (tmp_path / f".other.txt.{dead}-7.tmp").write_bytes(b"not ours to remove")
    removed = atomic_files.remove_leftovers(tmp_path, ["model.npz", "metrics.csv"])
    assert [p.name for p in removed] == [f".model.npz.{dead}-7.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".model.npz.{os.getpid()}-7.tmp",
        f".other.txt.{dead}-7.tmp",
    ]


def _writes_outside_the_writer(source: str) -> list[str]:
    """Calls in ``source`` that write a file without the atomic writer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("write_text", "write_bytes", "replace", "rename", "savez", "save"):
            owner = func.value if isinstance(func, ast.Attribute) else None
            if name in ("replace", "rename") and not (
                isinstance(owner, ast.Name) and owner.id in ("os", "shutil")
            ):
                continue  # str.replace and friends
            if name in ("savez", "save") and not (isinstance(owner, ast.Name) and owner.id == "np"):
                continue
            found.append(f"{name} at line {node.lineno}")
        if name == "open" and isinstance(func, ast.Name):
            modes = node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
            for mode in modes:
                if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wxa+"):
                    found.append(f"open(..., {mode.value!r}) at line {node.lineno}")
    return found


def test_no_module_but_the_writer_opens_a_file_for_writing():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "atomic_files.py" and path.parent == PACKAGE:
            continue
        found = _writes_outside_the_writer(path.read_text())
        if found:
            offenders[str(path.relative_to(PACKAGE))] = found
    assert offenders == {}


def test_the_scan_finds_the_writes_it_looks_for():
    source = "open(p, 'w')\nPath(p).write_text('x')\nos.replace(a, b)\nnp.savez(p, x=1)\n"
    assert len(_writes_outside_the_writer(source)) == 4
    assert _writes_outside_the_writer("open(p)\n'a'.replace('a', 'b')\n") == []


@pytest.mark.parametrize("suffix", ["json", "dot"])
def test_graph_output_replaces_a_symlink_and_a_full_disk_keeps_the_old_picture(
    tmp_path, monkeypatch, suffix
):
    import contextlib
    import io

    from autograd_lite import cli

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / f"link.{suffix}"
    link.symlink_to(victim)
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["graph", "sum(x)", "--shape", "x=3", "-o", str(link)]) == 0
    assert victim.read_bytes() == b"precious" and not link.is_symlink()
    before = link.read_bytes()
    monkeypatch.setattr(os, "fsync", _disk_full)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["graph", "sum(x * x)", "--shape", "x=3", "-o", str(link)])
    assert code == 2
    assert err.getvalue() == (
        f"autograd-lite graph: error: cannot write {link}: No space left on device\n"
    )
    assert link.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [link.name, "victim.txt"]


# --- a set of files committed in one rename (the train command's model.npz and metrics.csv)
def test_a_version_of_several_files_replaces_the_last_in_one_step(tmp_path):
    atomic_files.write_version(tmp_path, [("a.txt", b"1"), ("b.txt", b"one")])
    atomic_files.write_version(tmp_path, [("a.txt", b"2"), ("b.txt", b"two")])
    assert (tmp_path / "a.txt").read_bytes() == b"2" and (tmp_path / "b.txt").read_bytes() == b"two"
    assert os.readlink(tmp_path / "a.txt") == ".current/a.txt"
    versions = [p.name for p in tmp_path.glob(".version-*")]
    assert versions == [os.readlink(tmp_path / ".current")]  # the one before was removed


def test_a_failed_version_changes_nothing(tmp_path, monkeypatch):
    atomic_files.write_version(tmp_path, [("a.txt", b"1"), ("b.txt", b"one")])
    before = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OSError, match="No space left") as info:
        atomic_files.write_version(tmp_path, [("a.txt", b"2"), ("b.txt", b"two")])
    assert info.value.filename == str(tmp_path / "a.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "a.txt").read_bytes() == b"1" and (tmp_path / "b.txt").read_bytes() == b"one"


def test_before_the_first_version_the_names_lead_nowhere_together(tmp_path, monkeypatch):
    real_replace = atomic_files._replace_with_link

    def killed_at_the_commit(path, target):
        if path.name == ".current":
            raise KeyboardInterrupt  # stands in for a kill just before the one rename
        real_replace(path, target)

    monkeypatch.setattr(atomic_files, "_replace_with_link", killed_at_the_commit)
    with pytest.raises(KeyboardInterrupt):
        atomic_files.write_version(tmp_path, [("a.txt", b"1"), ("b.txt", b"one")])
    assert not (tmp_path / "a.txt").exists() and not (tmp_path / "b.txt").exists()


def test_stale_versions_of_a_dead_writer_are_removed_and_the_current_kept(tmp_path):
    atomic_files.write_version(tmp_path, [("a.txt", b"1")])
    stale = tmp_path / ".version-999999999-1"
    stale.mkdir()
    (stale / "a.txt").write_bytes(b"half")
    assert atomic_files.remove_stale_versions(tmp_path) == [stale]
    assert (tmp_path / "a.txt").read_bytes() == b"1"
