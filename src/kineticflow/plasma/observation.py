"""A user's OCP velocities: LAMMPS text dumps and H5MD files read into one velocity series.

Your own data
-------------

Velocities of N ions of a one-component plasma (OCP or Yukawa OCP), sampled at equal intervals
by any MD code, replace or complement our LAMMPS runs. Γ and κ are given (the config), and the
unit scales: ``omega_p`` (the plasma frequency per time unit of the file; √3 for LAMMPS
``units lj`` with a = m = q = 1, as our runs), ``length_unit`` (the Wigner–Seitz radius a in
length units of the file; 1 in our runs) and, for a dump without ``ITEM: TIME``, ``timestep``
(time units per MD step). Velocities become a ω_p, times 1/ω_p, positions a.

* **LAMMPS** ``dump custom`` text files (``.gz`` read through gzip): :func:`read_lammps_dump`.
  The columns are taken from each ``ITEM: ATOMS`` header, in any order: ``id``, ``vx``, ``vy``,
  ``vz`` required, unwrapped ``xu yu zu`` optional (then the MSD cross-check uses them), any
  other column ignored. Rows are sorted by id in every frame (the same ids each frame); frame
  times come from ``ITEM: TIMESTEP`` (× ``timestep``) or ``ITEM: TIME`` and must be equally
  spaced. (LAMMPS: ``dump 1 all custom 10 vel.dump id vx vy vz`` with
  ``dump_modify 1 format float %.17g`` to keep every digit.)
* **H5MD** (de Buyl, Colberg & Höfling, Comput. Phys. Commun. 185, 1546 (2014); h5py):
  :func:`read_h5md`. ``/particles/<group>/velocity/{value, step, time}`` with ``value`` of shape
  (n_frames, N, 3); ``step``/``time`` as arrays or as scalars (the interval, with an ``offset``
  attribute); ``/particles/<group>/id/value`` (or a fixed ``id`` dataset) orders the particles;
  ``position`` (unwrapped, with ``image`` if present) is optional.

Both give a :class:`VelocitySeries`; :func:`kineticflow.plasma.observation_diffusion.d_star_from_velocities`
turns it into D* with its block error by the functions of the ``green_kubo`` rule
(:func:`kineticflow.plasma.instrument.correlate` per particle group,
:func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`). A user's D* table (CSV ``kappa, gamma,
d_star, d_star_stderr``) goes straight to the fits:
:func:`kineticflow.plasma.observation_diffusion.read_d_star_table`. A file that cannot be read
(a missing column or dataset, a dump without velocities, frames not equally spaced, ids that
change, a negative D*) raises :class:`ObservationError` with one line: the file, the variable
and what was expected.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.io import ObservationError, file_sha256, observation_error
from kineticflow.plasma.md.schedule import OMEGA_P

__all__ = ["ObservationError", "VelocitySeries", "read_lammps_dump", "write_lammps_dump"]


@dataclass(frozen=True)
class VelocitySeries:
    """Velocities of N ions at equally spaced times, in plasma units.

    Attributes
    ----------
    velocities : ndarray, shape (n_frames, N, 3)
        Velocities in a ω_p, rows in increasing particle id.
    ids : ndarray of int, shape (N,)
        Particle ids.
    steps : ndarray, shape (n_frames,)
        MD step (or time, for files without steps) of each frame.
    timestep : float
        Time units of the file per step (per ``steps`` unit).
    step_interval : float
        Steps between two frames.
    omega_p : float
        Plasma frequency per time unit of the file.
    positions : ndarray, shape (n_frames, N, 3), optional
        Unwrapped positions in a (for the Einstein cross-check).
    attrs : dict
        Provenance: ``source_file``, ``source_file_sha256``, ``reader``, ``length_unit``.
    """

    velocities: NDArray[np.float64]
    ids: NDArray[np.int64]
    steps: NDArray[np.float64]
    timestep: float
    step_interval: float
    omega_p: float
    positions: NDArray[np.float64] | None = None
    attrs: dict[str, Any] | None = None

    def lags(self, n_lags: int) -> NDArray[np.float64]:
        """The first ``n_lags`` lags t ω_p = k · timestep · step_interval · ω_p, shape (n_lags,)."""
        return np.asarray(np.arange(n_lags) * self.timestep * self.step_interval * self.omega_p, dtype=float)


def _interval(path: str | os.PathLike[str], label: str, values: NDArray[np.float64]) -> float:
    """The common spacing of strictly increasing, equally spaced values."""
    if values.size < 2:
        raise observation_error(path, label, f"{values.size} frame(s)", "at least 2 frames")
    d = np.diff(values)
    if not np.all(d > 0) or np.ptp(d) > 1e-9 * abs(d[0]):
        i = int(np.argmax(np.abs(d - d[0]) > 1e-9 * abs(d[0])) if np.all(d > 0) else np.argmax(d <= 0))
        raise observation_error(path, label, f"frames not equally spaced (at frame {i + 1}: {values[i]:g} then {values[i + 1]:g})",
                   "equally spaced, increasing frame times")  # fmt: skip
    return float(d[0])


def _open_text(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        return str(fh.read())


def _dump_frames(path: Path, lines: list[str]) -> list[dict[str, Any]]:
    """Each frame's items: ``step``, ``time`` (optional), ``columns``, ``rows`` (n, n_cols)."""
    frames: list[dict[str, Any]] = []
    frame: dict[str, Any] = {}
    n, i = 0, 0
    try:
        while i < len(lines):
            item = lines[i].strip()
            if not item:
                i += 1
                continue
            if not item.startswith("ITEM:"):
                raise observation_error(path, f"line {i + 1}", f"{item[:40]!r}", "an ITEM: line of a LAMMPS text dump")
            key = item[5:].strip()
            if key.startswith("TIMESTEP"):
                frame = {"step": float(lines[i + 1].split()[0])}
                frames.append(frame)
            elif key.startswith("TIME"):
                frame["time"] = float(lines[i + 1].split()[0])
            elif key.startswith("NUMBER OF ATOMS"):
                n = int(lines[i + 1].split()[0])
            elif key.startswith("ATOMS"):
                frame["columns"] = key.split()[1:]
                block = " ".join(lines[i + 1 : i + 1 + n]).split()
                frame["rows"] = np.array(block, dtype=float).reshape(n, len(frame["columns"]))
                i += n + 1
                continue
            i += 2 if not key.startswith("BOX BOUNDS") else 4
    except (ValueError, IndexError) as exc:
        raise observation_error(
            path, f"frame {len(frames)}", f"truncated or malformed ({exc})", "complete frames"
        ) from None
    if not frames:
        raise observation_error(path, "ITEM: TIMESTEP", "no frames", "a LAMMPS text dump (dump custom ... id vx vy vz)")
    return frames


def _columns(path: Path, frames: list[dict[str, Any]]) -> tuple[list[str], dict[str, int]]:
    """Column names (the same in every frame) and the index of id, vx, vy, vz (xu, yu, zu)."""
    cols = frames[0].get("columns")
    if cols is None or any(f.get("columns") != cols for f in frames):
        raise observation_error(
            path, "ITEM: ATOMS", "missing or different between frames", "the same columns in every frame"
        )
    for need in ("id", "vx", "vy", "vz"):
        if need not in cols:
            what = "no velocities" if need != "id" else "no atom ids"
            raise observation_error(path, need, f"{what}: not in the ITEM: ATOMS header ({' '.join(cols)})",
                       "columns id vx vy vz (any order; dump custom ... id vx vy vz)")  # fmt: skip
    keys = ["id", "vx", "vy", "vz"] + (["xu", "yu", "zu"] if {"xu", "yu", "zu"} <= set(cols) else [])
    return cols, {k: cols.index(k) for k in keys}


def _sorted_rows(path: Path, frames: list[dict[str, Any]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Ids (N,) and the rows of every frame sorted by id, shape (n_frames, N, n_cols)."""
    sizes = {f["rows"].shape[0] for f in frames}
    if len(sizes) > 1:
        raise observation_error(
            path, "ITEM: NUMBER OF ATOMS", f"changes between frames ({sorted(sizes)})", "the same atoms"
        )
    rows = np.stack([f["rows"][np.argsort(f["rows"][:, index["id"]], kind="stable")] for f in frames])
    ids = rows[0, :, index["id"]]
    if np.unique(ids).size != ids.size or not np.all(rows[:, :, index["id"]] == ids):
        raise observation_error(
            path, "id", "repeated ids or ids that change between frames", "the same unique ids in every frame"
        )
    if not np.all(np.isfinite(rows)):
        raise observation_error(path, "vx, vy, vz", "non-finite values", "finite numbers")
    return ids.astype(np.int64), rows


def read_lammps_dump(
    path: str | os.PathLike[str],
    *,
    timestep: float | None = None,
    omega_p: float = OMEGA_P,
    length_unit: float = 1.0,
) -> VelocitySeries:
    """Read a LAMMPS ``dump custom`` text file of velocities (``id vx vy vz``, any column order).

    Parameters
    ----------
    path : str or path
        The dump (``.gz``: gzip-compressed).
    timestep : float, optional
        Time units per MD step (LAMMPS ``timestep``); needed unless the dump has ``ITEM: TIME``.
    omega_p : float
        Plasma frequency per time unit of the dump (√3 for ``units lj`` with a = m = q = 1).
    length_unit : float
        The Wigner–Seitz radius a in length units of the dump.

    Returns
    -------
    VelocitySeries
        Velocities v / (a ω_p), shape (n_frames, N, 3); positions xu/a where present.

    Raises
    ------
    ObservationError
        No frames, a malformed frame, no ``id`` or no ``vx vy vz`` column, atoms that change,
        frames not equally spaced, or neither ``ITEM: TIME`` nor ``timestep``.
    """
    path = Path(path)
    frames = _dump_frames(path, _open_text(path).splitlines())
    _, index = _columns(path, frames)
    ids, rows = _sorted_rows(path, frames, index)
    steps = np.array([f["step"] for f in frames])
    d_step = _interval(path, "ITEM: TIMESTEP", steps)
    if timestep is None:
        if not all("time" in f for f in frames):
            raise observation_error(
                path, "ITEM: TIMESTEP", "no ITEM: TIME and no timestep given", "the reader option timestep"
            )
        timestep = _interval(path, "ITEM: TIME", np.array([f["time"] for f in frames])) / d_step
    scale = length_unit * omega_p
    vel = rows[:, :, [index["vx"], index["vy"], index["vz"]]] / scale
    pos = rows[:, :, [index["xu"], index["yu"], index["zu"]]] / length_unit if "xu" in index else None
    attrs = {"source_file": str(path), "source_file_sha256": file_sha256(path), "reader": "lammps_dump",
             "length_unit": float(length_unit)}  # fmt: skip
    return VelocitySeries(vel, ids, steps, float(timestep), d_step, float(omega_p), pos, attrs)


def write_lammps_dump(
    path: str | os.PathLike[str],
    velocities: NDArray[np.float64],
    steps: NDArray[np.int64],
    *,
    columns: tuple[str, ...] = ("id", "vx", "vy", "vz"),
    box_length: float = 1.0,
    positions: NDArray[np.float64] | None = None,
) -> Path:
    """Write a LAMMPS ``dump custom`` text file (17 significant digits; for tests and examples).

    Parameters
    ----------
    path : str or path
        Target file (``.gz``: gzip-compressed).
    velocities : ndarray, shape (n_frames, N, 3)
        Velocities in the dump's units, atom ids 1 … N in row order.
    steps : ndarray of int, shape (n_frames,)
        ``ITEM: TIMESTEP`` of each frame.
    columns : tuple of str
        Column order, from ``id``, ``type``, ``vx``, ``vy``, ``vz`` (and ``xu yu zu`` with
        ``positions``).
    box_length : float
        Edge of the cubic box written in ``ITEM: BOX BOUNDS``.
    positions : ndarray, shape (n_frames, N, 3), optional
        Unwrapped positions for ``xu yu zu``.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    n = velocities.shape[1]
    data = {"id": np.arange(1, n + 1), "type": np.ones(n, dtype=int)}
    out = []
    for k, step in enumerate(steps):
        per = {**data, "vx": velocities[k, :, 0], "vy": velocities[k, :, 1], "vz": velocities[k, :, 2]}
        if positions is not None:
            per.update(xu=positions[k, :, 0], yu=positions[k, :, 1], zu=positions[k, :, 2])
        out += ["ITEM: TIMESTEP", str(int(step)), "ITEM: NUMBER OF ATOMS", str(n), "ITEM: BOX BOUNDS pp pp pp"]
        out += [f"0 {box_length:.17g}"] * 3 + ["ITEM: ATOMS " + " ".join(columns)]
        fmt = [("{:d}" if c in ("id", "type") else "{:.17g}") for c in columns]
        out += [" ".join(f.format(per[c][i]) for f, c in zip(fmt, columns, strict=True)) for i in range(n)]
    text = "\n".join(out) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return path
