"""An optimizer's state (and its scheduler's) saved to and loaded from a file, pickle-free.

The file is a module checkpoint's format (see :mod:`autograd_lite.nn.checkpoint`): a ``.npz``
of named ``.npy`` arrays, one per buffer of each parameter (``state.0.m``, ``state.0.v``,
``state.1.m``, ...), and a ``training.json`` entry with the rest of ``state_dict()`` (type,
hyperparameters, counters, the parameters' shapes) and the scheduler's state. It is written
whole or not at all through :func:`~autograd_lite.atomic_files.write_atomically` and read
through :func:`~autograd_lite.archives.read_npz` (pickle refused, sizes checked first).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..archives import ArchiveError, read_npz
from ..atomic_files import write_atomically
from ..nn.checkpoint import RECORD, CheckpointError, archive_bytes, read_record
from .base import STATE_KEYS, Optimizer
from .schedulers import LRScheduler

FORMAT = "autograd_lite optimizer state"
VERSION = 1


def save_state(
    optimizer: Optimizer, path: str | os.PathLike[str], scheduler: LRScheduler | None = None
) -> None:
    """Write ``optimizer.state_dict()`` (and ``scheduler``'s, if given) to ``path``,
    replacing any earlier file whole.

    >>> import tempfile
    >>> import autograd_lite as al
    >>> from autograd_lite.optim import Adam
    >>> w = al.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> path = Path(tempfile.mkdtemp()) / "adam.npz"
    >>> save_state(opt, path)
    >>> sorted(np.load(path, allow_pickle=False).files)
    ['state.0.m', 'state.0.v', 'training.json']
    >>> resumed = Adam([al.tensor([0.0, 0.0], requires_grad=True)])
    >>> load_state(resumed, path)
    >>> resumed.t, resumed.lr, bool((resumed.m[0] == opt.m[0]).all())
    (1, 0.1, True)
    """
    write_atomically(path, state_bytes(optimizer, scheduler))


def state_bytes(optimizer: Optimizer, scheduler: LRScheduler | None = None) -> bytes:
    """The bytes :func:`save_state` writes, for a caller that commits them with other files."""
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError(f"save_state: the {type(scheduler).__name__} sets another optimizer's lr")
    state = optimizer.state_dict()
    record = {"format": FORMAT, "version": VERSION}
    record.update((key, state[key]) for key in STATE_KEYS if key != "state")
    record["scheduler"] = None if scheduler is None else scheduler.state_dict()
    arrays = {
        f"state.{i}.{name}": array
        for i, buffers in enumerate(state["state"])
        for name, array in buffers.items()
    }
    return archive_bytes(arrays, record)


def load_state(
    optimizer: Optimizer, path: str | os.PathLike[str], scheduler: LRScheduler | None = None
) -> None:
    """Load the state :func:`save_state` wrote into ``optimizer`` (and ``scheduler``), in place.

    Raises :class:`~autograd_lite.nn.CheckpointError` naming the path and the problem: no
    such file, not a readable ``.npz``, not an optimizer's state (a module checkpoint), the
    state of another kind of optimizer or scheduler, or for other parameters (their number or
    shapes). The optimizer and the scheduler are unchanged when it raises.
    """
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError(f"load_state: the {type(scheduler).__name__} sets another optimizer's lr")
    path = Path(path)
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "does not exist"
        raise CheckpointError(f"optimizer state {path} {problem}")
    try:
        arrays = read_npz(path)
    except ArchiveError as exc:
        raise CheckpointError(f"optimizer state {path}: {exc}") from None
    record = read_record(path)
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise CheckpointError(
            f"optimizer state {path}: its {RECORD} is not an optimizer's state (a module "
            "checkpoint? those load with nn.load)"
        )
    if record.get("version") != VERSION:
        raise CheckpointError(
            f"optimizer state {path}: version {record.get('version')!r}, this reads {VERSION}"
        )
    shapes = record.get("shapes")
    count = len(shapes) if isinstance(shapes, list) else 0
    entries: list[dict[str, np.ndarray]] = [{} for _ in range(count)]
    for member, array in arrays.items():
        prefix, _, rest = member.partition(".")
        index, _, buffer = rest.partition(".")
        if prefix != "state" or not index.isdigit() or int(index) >= count or not buffer:
            raise CheckpointError(
                f"optimizer state {path}: unexpected entry {member}.npy (the state is for "
                f"{count} parameters, its entries are named state.<parameter>.<buffer>)"
            )
        entries[int(index)][buffer] = array
    state = {key: record[key] for key in STATE_KEYS if key in record}
    state["state"] = entries
    if scheduler is not None and record.get("scheduler") is None:
        raise CheckpointError(
            f"optimizer state {path} holds no scheduler state (it was saved without one)"
        )
    before = optimizer.state_dict()
    try:
        optimizer.load_state_dict(state)
        if scheduler is not None:
            try:
                scheduler.load_state_dict(record["scheduler"])
            except ValueError:
                optimizer.load_state_dict(before)
                raise
    except ValueError as exc:
        raise CheckpointError(f"optimizer state {path}: {exc}") from None
