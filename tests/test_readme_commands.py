"""README's set-up commands, as CI runs them (``.ci/readme_command.py`` reads their text).

Command 1 is run here against stand-ins for ``id``, ``sudo``, ``apt-get`` and ``python3``
that only log their calls, so its logic is checked as root and as a user in a fraction of a
second; CI (``.ci/run``) runs it for real, as root with no working sudo.
"""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
command = runpy.run_path(str(ROOT / ".ci" / "readme_command.py"))["command"]
README = (ROOT / "README.md").read_text()
BASH = shutil.which("bash")


def test_the_three_commands_are_found_with_their_text():
    assert command("2.", README) == ".venv/bin/python -m pytest"
    assert "sphinx-build -W" in command("docs:", README)
    first = command("1.", README)
    assert "apt-get update" in first and "autograd-lite train" in first
    assert not first.startswith("#") and "# 2." not in first


def test_a_missing_label_is_an_error():
    with pytest.raises(SystemExit, match="no ```bash command labelled '# 9. '"):
        command("9.", README)


def _stand_in(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def run_command_1(tmp_path: Path, uid: int) -> list[str]:
    """Run README command 1 with logging stand-ins, as user ``uid``: the calls it made."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "calls.log"
    logged = f'echo "$(basename "$0") $* [frontend=$DEBIAN_FRONTEND]" >> {log}'
    _stand_in(bin_, "id", f"echo {uid}")
    _stand_in(bin_, "sudo", f'{logged}\nexec "$@"')
    _stand_in(bin_, "apt-get", logged)
    venv_tool = f"#!/bin/sh\\n{logged}\\n"  # what the stand-in python3 puts in .venv/bin
    _stand_in(
        bin_,
        "python3",
        f"{logged}\nmkdir -p .venv/bin\n"
        f"for tool in pip autograd-lite; do printf '{venv_tool}' > .venv/bin/$tool; "
        "chmod +x .venv/bin/$tool; done",
    )
    env = {"PATH": f"{bin_}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [BASH, "-euo", "pipefail", "-c", command("1.", README)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return log.read_text().splitlines()


@pytest.mark.skipif(BASH is None, reason="README's commands are bash")
def test_command_1_as_root_calls_no_sudo(tmp_path):
    calls = run_command_1(tmp_path, uid=0)
    assert [c.split()[0] for c in calls] == [
        "apt-get", "apt-get", "python3", "pip", "autograd-lite",
    ]  # fmt: skip
    assert calls[0].startswith("apt-get update")
    assert calls[1].startswith(
        "apt-get install -y -q graphviz chromium chromium-driver [frontend=noninteractive]"
    )
    assert calls[3].startswith("pip install -e .[dev]")
    assert calls[4].startswith("autograd-lite train")


@pytest.mark.skipif(BASH is None, reason="README's commands are bash")
def test_command_1_as_a_user_runs_apt_get_through_sudo(tmp_path):
    calls = run_command_1(tmp_path, uid=1000)
    assert [c.split()[0] for c in calls[:4]] == ["sudo", "apt-get", "sudo", "apt-get"]
    assert calls[0].startswith("sudo apt-get update")
    assert calls[2].startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install")
    assert calls[3].endswith("[frontend=noninteractive]")
    assert "sudo" not in " ".join(c.split()[0] for c in calls[4:])
