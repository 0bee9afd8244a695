"""An optimizer's state (and its scheduler's) saved to and loaded from a file, pickle-free.

The file is a module checkpoint's format (see :mod:`autograd_lite.nn.checkpoint`): a ``.npz``
of named ``.npy`` arrays, one per buffer and count of each parameter (``state.0.m``,
``state.0.t``, ``state.0.v``, ``state.1.m``, ...; a count is a 0-d int64 array), and a
``training.json`` entry with the rest of ``state_dict()`` (type, hyperparameters, counters,
the parameters' shapes), the scheduler's state and the format's version. It is written
whole or not at all through :func:`~autograd_lite.atomic_files.write_atomically` and read
through :func:`~autograd_lite.archives.read_npz` (pickle refused, sizes checked first).

Version 2 keeps Adam's step count ``t`` per parameter (``state.<i>.t``); version 1 kept one
``t`` for all among the counters. A version 1 file still loads: each parameter gets that
``t``, which is its own count when every parameter had a gradient at every step (as in
:func:`~autograd_lite.training.fit`), and which version 1's Adam used for all in any case.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..archives import ArchiveError, read_npz
from ..atomic_files import write_atomically
from ..nn.checkpoint import RECORD, CheckpointError, archive_bytes, read_record
from .base import STATE_KEYS, Optimizer
from .schedulers import LRScheduler

FORMAT = "autograd_lite optimizer state"
VERSION = 2
READS = (1, 2)  # the versions load_state reads; 1 is upgraded by _from_version_1


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
    ['state.0.m', 'state.0.t', 'state.0.v', 'training.json']
    >>> resumed = Adam([al.tensor([0.0, 0.0], requires_grad=True)])
    >>> load_state(resumed, path)
    >>> resumed.t, resumed.lr, bool((resumed.m[0] == opt.m[0]).all())
    ([1], 0.1, True)
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
    shapes), or of a version this does not read; a hyperparameter the optimizer's constructor
    refuses (checked by the same function: lr <= 0, NaN or inf, betas outside [0, 1), eps <= 0,
    ...); a buffer (``state.<i>.m``, ...) not of its parameter's dtype and shape, NaN or
    infinite, or negative where it is a mean of squares (Adam's ``v``, RMSprop's
    ``square_avg``); a ``training.json`` that is not JSON or nested too deeply. The optimizer
    and the scheduler are unchanged when it raises. A version 1 file's one step count ``t`` is
    given to every parameter.
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
    version = record.get("version")
    if isinstance(version, bool) or version not in READS:
        raise CheckpointError(
            f"optimizer state {path}: version {version!r}, this reads "
            + " and ".join(map(str, READS))
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
    if version == 1:
        _from_version_1(state)
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


def _from_version_1(state: dict[str, Any]) -> None:
    """Upgrade a version 1 state in place: its one step count ``t`` (Adam's, among the
    counters) moves into every parameter's entry, beside its ``m`` and ``v``. Anything
    malformed is left for ``load_state_dict`` to refuse."""
    counters = state.get("counters")
    if isinstance(counters, dict) and "t" in counters:
        counters = dict(counters)
        t = counters.pop("t")
        state["counters"] = counters
        for entry in state["state"]:
            entry["t"] = np.asarray(t)
