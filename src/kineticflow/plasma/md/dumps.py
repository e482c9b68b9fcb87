"""Reading LAMMPS ``dump custom ... id c1 c2 c3`` files (binary or text), rows ordered by atom id."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kineticflow.plasma.md.errors import MDError


def _read_dump_binary(path: str | os.PathLike[str]) -> np.ndarray:
    """Frames of a binary ``dump custom`` (LAMMPS ≥ 2021 layout, src/dump_custom.cpp), shape (F, N, cols).

    Per frame: [int64 −len, magic, int32 endian, int32 revision] (when the first int64 < 0),
    int64 step, int64 natoms, int32 triclinic, int32 boundary[6], float64 box[6], int32 size_one,
    int32 len + unit style, char time flag [+ float64 time], int32 len + column names,
    int32 nchunks, then per chunk int32 n and float64[n].
    """
    buf = Path(path).read_bytes()
    frames: list[np.ndarray] = []
    pos = 0

    def take(dtype: type, count: int = 1) -> np.ndarray:
        nonlocal pos
        out: np.ndarray = np.frombuffer(buf, dtype, count, pos)
        pos += out.nbytes
        return out

    try:
        while pos < len(buf):
            first = int(take(np.int64)[0])
            if first < 0:  # magic string, endian flag and revision, then the time step
                pos += -first + 8
                take(np.int64)
            natoms = int(take(np.int64)[0])
            pos += 4 + 6 * 4 + 6 * 8  # triclinic, boundary, box
            size_one = int(take(np.int32)[0])
            skip = int(take(np.int32)[0])  # unit style (not `pos += take(...)`: take moves pos)
            pos += skip
            has_time = buf[pos]
            pos += 1 + (8 if has_time else 0)
            skip = int(take(np.int32)[0])  # column names
            pos += skip
            parts = [take(np.float64, int(take(np.int32)[0])) for _ in range(int(take(np.int32)[0]))]
            frames.append(np.concatenate(parts).reshape(natoms, size_one))
    except (ValueError, IndexError) as exc:
        raise MDError(f"{path}: truncated binary dump after {len(frames)} frames ({exc})") from None
    if not frames:
        raise MDError(f"{path}: empty dump")
    counts = {f.shape[0] for f in frames}
    if len(counts) > 1:
        raise MDError(f"{path}: the number of atoms changes between frames ({sorted(counts)}): atoms were lost")
    return np.stack(frames)


def _order_by_id(rows: np.ndarray, path: str | os.PathLike[str]) -> np.ndarray:
    """Rows (frame, atom, [id, c1, c2, c3]) placed at index id − 1; returns (frame, atom, 3)."""
    n_frames, n = rows.shape[:2]
    ids = rows[:, :, 0].astype(np.int64) - 1
    if ids.min() < 0 or ids.max() >= n:
        raise MDError(f"{path}: atom ids are not 1..N in every frame")
    out = np.full_like(rows, np.nan)
    out[np.arange(n_frames)[:, None], ids] = rows
    if not np.array_equal(out[:, :, 0], np.broadcast_to(np.arange(1.0, n + 1), (n_frames, n))):
        raise MDError(f"{path}: atom ids are not 1..N in every frame")
    return out[:, :, 1:4]


def read_dump(path: str | os.PathLike[str], n_particles: int) -> np.ndarray:
    """Read a ``dump custom ... id c1 c2 c3`` dump, rows ordered by atom id per frame.

    A file name ending in ``.bin`` is read as LAMMPS's binary dump format, anything else as text.

    Returns
    -------
    ndarray, shape (n_frames, n_particles, 3)
        The three columns after ``id`` (velocities in LAMMPS units, or unwrapped positions
        in units of a).

    Raises
    ------
    MDError
        If the file is empty, a frame is incomplete or the ids are not 1..N.
    """
    if str(path).endswith(".bin"):
        rows = _read_dump_binary(path)
        if rows.shape[1] != n_particles or rows.shape[2] != 4:
            raise MDError(
                f"{path}: frames of {rows.shape[1]} atoms x {rows.shape[2]} columns, expected {n_particles} x 4"
            )
        return _order_by_id(rows, path)
    import pandas as pd

    per = n_particles + 9
    with open(path, "rb") as fh:
        n_lines = fh.read().count(b"\n")
    n_frames = n_lines // per
    if n_frames == 0 or n_lines % per != 0:
        raise MDError(f"{path}: {n_lines} lines is not a whole number of frames of {n_particles} atoms")
    idx = np.arange(n_lines)
    header = idx[idx % per < 9]
    data = pd.read_csv(
        path, sep=" ", header=None, usecols=range(4), skiprows=header, engine="c", dtype=float
    ).to_numpy()
    if data.shape[0] != n_frames * n_particles:
        raise MDError(f"{path}: {data.shape[0]} atom rows, expected {n_frames * n_particles}")
    return _order_by_id(data.reshape(n_frames, n_particles, 4), path)
