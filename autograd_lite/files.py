"""Writing a file so that an interrupted write never leaves half a file under its name.

The bytes go to a temporary file in the same directory, which is flushed to disk and then
renamed over the final name with ``os.replace`` (atomic on POSIX and Windows). If anything
fails or the user presses Ctrl-C, the temporary file is removed and whatever was under the
final name before is still there, whole.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def replaced_atomically(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write; it takes ``path``'s place only if the block ends normally.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with replaced_atomically(target) as f:
    ...     _ = f.write(b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open(temporary, "xb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
