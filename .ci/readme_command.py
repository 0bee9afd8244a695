"""Print one command of the README's ```bash blocks, so CI runs the README's own text.

A command starts at a comment line ``# LABEL ...`` (``# 1.``, ``# 2.``, ``# docs:``) and runs
to the next such line or the block's end; its own comment lines are left out.

    python3 .ci/readme_command.py 1.      # README command 1, as one shell text
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.DOTALL | re.MULTILINE)
LABEL = re.compile(r"^# (\d+\.|[a-z]+:) ")


def command(label: str, text: str) -> str:
    """The shell text of the command labelled ``label`` in the markdown ``text``."""
    for block in BLOCK.findall(text):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"# {label} "):
                body = []
                for later in lines[i + 1 :]:
                    if LABEL.match(later):
                        break
                    if not later.lstrip().startswith("#"):
                        body.append(later)
                return "\n".join(body).strip()
    raise SystemExit(f"README.md has no ```bash command labelled '# {label} '")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 .ci/readme_command.py LABEL   (e.g. 1.)")
    print(command(sys.argv[1], README.read_text()))
