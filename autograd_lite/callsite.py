"""Where the user's code called into autograd_lite: for warnings and anomaly messages."""

from __future__ import annotations

import os
import sys
from types import FrameType

import numpy as np

_SKIPPED_DIRS = (os.path.dirname(__file__), os.path.dirname(np.__file__))


def user_frame() -> tuple[FrameType | None, int]:
    """The innermost frame outside autograd_lite and numpy, and its depth above the
    caller of this function (the ``stacklevel`` that ``warnings.warn`` wants there)."""
    frame: FrameType | None = sys._getframe(2)
    depth = 1
    while frame is not None and frame.f_code.co_filename.startswith(_SKIPPED_DIRS):
        frame = frame.f_back
        depth += 1
    return frame, depth


def user_site() -> str:
    """``file:line`` of the innermost frame outside autograd_lite and numpy."""
    frame, _ = user_frame()
    return "an unknown place" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"
