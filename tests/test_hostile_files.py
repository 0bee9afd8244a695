"""Hostile ``.npz`` files for ``train --data`` and ``nn.load``: lying headers, zip bombs, labels
and values that look fine but are not usable, non-finite weights. Each is refused with one line
before anything large is allocated; the memory cases run in a subprocess under a memory limit."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from autograd_lite import archives, data, nn

MIB = 2**20
LIMIT = 1024 * MIB  # address space of the subprocesses below


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    out = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue()


def zip_of(path: Path, members: dict[str, tuple[bytes, int]]) -> None:
    """A zip written by hand: ``members`` maps a name to (head bytes, MiB of zeros after it),
    deflated in byte-aligned blocks, so a member of hundreds of MiB costs milliseconds."""
    zeros = zlib.compressobj(1, zlib.DEFLATED, -15)
    zero_block = zeros.compress(bytes(MIB)) + zeros.flush(zlib.Z_FULL_FLUSH)
    local, central = io.BytesIO(), io.BytesIO()
    for name, (head, mib) in members.items():
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        payload = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        payload += zero_block * mib + zlib.compressobj(1, zlib.DEFLATED, -15).flush()
        crc = zlib.crc32(head)
        for _ in range(mib):
            crc = zlib.crc32(bytes(MIB), crc)
        size = len(head) + mib * MIB
        offset = local.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(payload), size, len(name), 0)
        local.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + name.encode())
        local.write(payload)
        central.write(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset)
            + name.encode()
        )
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        len(members),
        len(members),
        central.tell(),
        local.tell(),
        0,
    )
    path.write_bytes(local.getvalue() + central.getvalue() + end)


def small_y() -> tuple[bytes, int]:
    labels = np.array([0, 1] * 8, dtype="<i8")
    return npy_header(labels.shape, "<i8") + labels.tobytes(), 0


def run_limited(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess whose address space is limited to LIMIT bytes."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "autograd_lite", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        timeout=60,
    )


def test_a_zip_bomb_is_refused_from_its_declared_size_under_a_memory_limit(tmp_path):
    # 640 MiB of float64 in a file of about 3 MB: inflating it, then converting it, would pass
    # the limit of this subprocess; refused from the zip directory before anything inflates.
    rows = 640 * MIB // 64
    zip_of(tmp_path / "bomb.npz", {"X.npy": (npy_header((rows, 8)), 640), "y.npy": small_y()})
    assert (tmp_path / "bomb.npz").stat().st_size < 4 * MIB
    result = run_limited("train", "--data", "bomb.npz", "--out", "run", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "autograd-lite train: error: --data bomb.npz: entry X holds 671,088,768 bytes "
        f"uncompressed, more than the limit of {archives.MAX_BYTES:,} bytes for the whole file"
    ]
    assert not (tmp_path / "run").exists()


def test_a_lying_header_is_refused_before_allocating(tmp_path):
    # The header claims 10**12 x 3 float64 (24 TB); the entry holds 24 bytes.
    head = npy_header((10**12, 3)) + bytes(24)
    zip_of(tmp_path / "lies.npz", {"X.npy": (head, 0), "y.npy": small_y()})
    message = "header claims shape (1000000000000, 3) of float64 (24,000,000,000,000 bytes)"
    with pytest.raises(data.DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        data.load_npz(tmp_path / "lies.npz")
    net = nn.ThreeLayerNet(3, 2, 2, rng=0)
    zip_of(tmp_path / "model.npz", {"W1.npy": (head, 0)})
    with pytest.raises(nn.CheckpointError, match="W1: its header claims"):
        nn.load(net, tmp_path / "model.npz")


def test_a_truncated_or_corrupt_entry_is_one_error(tmp_path):
    head = npy_header((3,)) + bytes(24)
    zip_of(tmp_path / "ok.npz", {"X.npy": (head, 0)})
    raw = bytearray((tmp_path / "ok.npz").read_bytes())
    raw[40] ^= 0xFF  # inside the deflated data
    (tmp_path / "bad.npz").write_bytes(bytes(raw))
    with pytest.raises(archives.ArchiveError) as info:
        archives.read_npz(tmp_path / "bad.npz")
    assert info.value.kind in ("bad entry", "unreadable")


def save_data(path: Path, X: np.ndarray, y: np.ndarray) -> Path:
    np.savez(path, X=X, y=y)
    return path


def test_features_too_large_to_standardise_are_refused(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 2))
    X[3, 1] = -1.2e308  # its distance from the mean would overflow
    y = (X[:, 0] > 0).astype(int)
    path = save_data(tmp_path / "huge.npz", X, y)
    with pytest.raises(data.DataError, match="too large to standardise") as info:
        data.load_npz(path)
    assert "(-1.2e+308 in row 3; at most 9.0e+307 in absolute value)" in str(info.value)
    # features of scale 1e300 are standardised (they were refused over 1e150)
    X = rng.standard_normal((100, 2)) * 1e300
    X_loaded, _ = data.load_npz(save_data(tmp_path / "large.npz", X, y))
    standardised = data.Standardizer().fit(X_loaded).transform(X_loaded)
    np.testing.assert_allclose(standardised, (X / 1e300 - (X / 1e300).mean(0)) / (X / 1e300).std(0))


@pytest.mark.parametrize(
    ("labels", "found"),
    [
        (np.array([0, 1, 10**9]), "found 1000000000"),
        (np.array([0, 1, 2**63 - 1]), f"found {2**63 - 1}"),
        (np.array([0, 1, 2**64 - 1], dtype=np.uint64), f"found {2**64 - 1}"),
    ],
)
def test_labels_that_imply_too_many_classes_are_refused_with_the_value(tmp_path, labels, found):
    path = save_data(tmp_path / "labels.npz", np.ones((3, 2)), labels)
    with pytest.raises(data.DataError) as info:
        data.load_npz(path)
    assert str(info.value) == (
        f"{path}: labels must lie in 0..K-1 with at most {data.user.MAX_CLASSES:,} classes, {found}"
    )


def test_nonfinite_weights_are_refused_unless_allowed(tmp_path):
    path = tmp_path / "model.npz"
    source = nn.ThreeLayerNet(3, 4, 2, rng=0)
    source.W2.data[1, 0] = np.nan
    source.b1.data[2] = np.inf
    nn.save(source, path)
    target = nn.ThreeLayerNet(3, 4, 2, rng=1)
    before = target.state_dict()
    with pytest.raises(nn.CheckpointError) as info:
        nn.load(target, path)
    assert str(info.value) == (
        f"checkpoint {path}: b1 holds 1 NaN or infinite value(s) of 4 (a diverged run?); "
        "pass allow_nonfinite=True to load them anyway"
    )
    for name, p in target.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])
    nn.load(target, path, allow_nonfinite=True)
    assert np.isnan(target.W2.data[1, 0]) and np.isinf(target.b1.data[2])


def test_standardizer_refuses_a_spread_that_overflows():
    # -1.5e308 is 2e308 from the mean 5e307: more than float64 holds
    with pytest.raises(ValueError, match="cannot standardise feature 1"):
        data.Standardizer().fit(np.array([[0.0, -1.5e308], [1.0, 1.5e308], [2.0, 1.5e308]]))
    # a spread of 1e300 is finite, though its square is not: it is standardised
    scaler = data.Standardizer().fit(np.array([[0.0, -1e300], [1.0, 1e300]]))
    np.testing.assert_array_equal(scaler.scale, [0.5, 1e300])


def test_train_refuses_features_too_large_to_standardise_and_writes_nothing(tmp_path, capsys):
    from autograd_lite.cli import main

    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 2))
    X[3, 1] = 1.2e308
    path = save_data(tmp_path / "huge.npz", X, (X[:, 0] > 0).astype(int))
    assert main(["train", "--data", str(path), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "X holds values too large to standardise" in err[0]
    assert not (tmp_path / "run").exists()


def test_a_checkpoint_bomb_is_refused_by_nn_load_under_a_memory_limit(tmp_path):
    zip_of(tmp_path / "model.npz", {"W1.npy": (npy_header((640 * MIB // 8,)), 640)})
    code = (
        "from autograd_lite import nn\n"
        "try:\n"
        "    nn.load(nn.ThreeLayerNet(3, 2, 2), 'model.npz')\n"
        "except nn.CheckpointError as exc:\n"
        "    print(exc)\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=limit,
        timeout=60,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "checkpoint model.npz: entry W1 holds 671,088,768 bytes uncompressed, more than the "
        f"limit of {archives.MAX_BYTES:,} bytes for the whole file\n"
    )


def test_a_checkpoint_saved_without_a_record_has_none(tmp_path):
    nn.save(nn.Linear(2, 3, rng=0), tmp_path / "layer.npz")
    assert nn.checkpoint.read_record(tmp_path / "layer.npz") is None
    nn.save(nn.Linear(2, 3, rng=0), tmp_path / "layer.npz", record={"epoch": 4})
    assert nn.checkpoint.read_record(tmp_path / "layer.npz") == {"epoch": 4}
