"""H5MD files of OCP velocities (de Buyl, Colberg & Höfling, Comput. Phys. Commun. 185, 1546 (2014)).

The layout read and written: ``/particles/<group>/velocity/{value, step, time}`` with ``value``
of shape (n_frames, N, 3), ``step`` and ``time`` as 1-D datasets or as scalars (the interval,
with an optional ``offset`` attribute: frame i at offset + i · interval); optional
``/particles/<group>/id`` (``value`` (n_frames, N) or a fixed (N,) dataset) and ``position``
(unwrapped; with ``image`` and the box edges if present). The ``/h5md`` group (``version``,
``author``, ``creator``) is written, not required when reading.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.io import file_sha256, observation_error
from kineticflow.plasma.md.schedule import OMEGA_P
from kineticflow.plasma.observation import VelocitySeries, _interval


def _series(h5: Any, path: Path, element: str, name: str, n_frames: int) -> NDArray[np.float64] | None:
    """``step`` or ``time`` of a time-dependent element as (n_frames,), or None if absent."""
    import h5py  # noqa: PLC0415 - h5py only for H5MD

    obj = h5.get(f"{element}/{name}")
    if obj is None:
        return None
    if not isinstance(obj, h5py.Dataset):
        raise observation_error(path, f"{element}/{name}", "a group", "a dataset (array or scalar interval)")
    if obj.shape == ():
        offset = float(obj.attrs.get("offset", 0.0))
        return np.asarray(offset + np.arange(n_frames) * float(obj[()]), dtype=float)
    values = np.asarray(obj[()], dtype=float)
    if values.shape != (n_frames,):
        raise observation_error(
            path, f"{element}/{name}", f"shape {values.shape}", f"({n_frames},), one per frame of value"
        )
    return values


def _value(h5: Any, path: Path, element: str, shape: tuple[int, ...] | None = None) -> NDArray[np.float64]:
    """The ``value`` dataset of a time-dependent element (or the element itself if a dataset)."""
    import h5py  # noqa: PLC0415 - h5py only for H5MD

    obj = h5.get(element)
    if obj is None:
        found = ", ".join(sorted(h5[element.rsplit("/", 1)[0]].keys()))
        raise observation_error(
            path, element, f"missing (found: {found})", "an H5MD time-dependent element with value, step"
        )
    data = obj[()] if isinstance(obj, h5py.Dataset) else obj.get("value", np.empty(0))[()]
    arr = np.asarray(data, dtype=float)
    if shape is not None and arr.shape != shape:
        raise observation_error(path, f"{element}/value", f"shape {arr.shape}", f"{shape}")
    return arr


def _group(h5: Any, path: Path, group: str | None) -> str:
    parts = sorted(h5.get("particles", {}).keys())
    if group is None and len(parts) == 1:
        group = parts[0]
    if group not in parts:
        raise observation_error(
            path, "/particles", f"group {group!r} not among {parts}", "the particle group (reader option group)"
        )
    return f"particles/{group}"


def _order(h5: Any, path: Path, base: str, n_frames: int, n: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Ids (N,) and, per frame, the order that sorts the particles by id, shape (n_frames, N)."""
    if f"{base}/id" not in h5:
        return np.arange(n, dtype=np.int64), np.broadcast_to(np.arange(n), (n_frames, n))
    ids = _value(h5, path, f"{base}/id")
    ids = np.broadcast_to(ids, (n_frames, n)) if ids.shape == (n,) else ids
    if ids.shape != (n_frames, n):
        raise observation_error(path, f"{base}/id", f"shape {ids.shape}", f"({n},) or ({n_frames}, {n})")
    order = np.argsort(ids, axis=1, kind="stable")
    srt = np.take_along_axis(ids, order, axis=1)
    if np.unique(srt[0]).size != n or not np.all(srt == srt[0]):
        raise observation_error(
            path, f"{base}/id", "repeated ids or ids that change between frames", "the same unique ids"
        )
    return srt[0].astype(np.int64), order


def read_h5md(
    path: str | os.PathLike[str],
    *,
    group: str | None = None,
    timestep: float | None = None,
    omega_p: float = OMEGA_P,
    length_unit: float = 1.0,
) -> VelocitySeries:
    """Read the velocities of an H5MD file (h5py) into a :class:`VelocitySeries`.

    Parameters
    ----------
    path : str or path
        The file.
    group : str, optional
        Particle group under ``/particles`` (default: the only one).
    timestep : float, optional
        Time units per step, used when ``velocity/time`` is absent.
    omega_p : float
        Plasma frequency per time unit of the file.
    length_unit : float
        The Wigner–Seitz radius a in length units of the file.

    Returns
    -------
    VelocitySeries
        Velocities v / (a ω_p), shape (n_frames, N, 3), particles in increasing id.

    Raises
    ------
    ObservationError
        Not HDF5, no ``/particles/<group>/velocity/value`` of shape (n_frames, N, 3), frames not
        equally spaced, ids that change, or neither ``time`` nor ``step`` with ``timestep``.
    """
    import h5py  # noqa: PLC0415 - h5py only for H5MD

    path = Path(path)
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise observation_error(path, "file", f"not a readable HDF5 file ({exc})", "an H5MD (HDF5) file") from exc
    with h5:
        base = _group(h5, path, group)
        vel = _value(h5, path, f"{base}/velocity")
        if vel.ndim != 3 or vel.shape[2] != 3:
            raise observation_error(path, f"{base}/velocity/value", f"shape {vel.shape}", "(n_frames, N, 3)")
        n_frames, n = vel.shape[:2]
        steps = _series(h5, path, f"{base}/velocity", "step", n_frames)
        times = _series(h5, path, f"{base}/velocity", "time", n_frames)
        ids, order = _order(h5, path, base, n_frames, n)
        pos = _value(h5, path, f"{base}/position", vel.shape) if f"{base}/position" in h5 else None
        if pos is not None and f"{base}/image" in h5:
            edges = np.asarray(h5[f"{base}/box/edges"][()], dtype=float)
            pos = pos + _value(h5, path, f"{base}/image", vel.shape) * edges
    if times is not None:
        frame_steps, interval, dt = times, _interval(path, f"{base}/velocity/time", times), 1.0
    elif steps is not None and timestep is not None:
        frame_steps, interval, dt = steps, _interval(path, f"{base}/velocity/step", steps), float(timestep)
    else:
        raise observation_error(
            path, f"{base}/velocity/time", "missing (and no step with the option timestep)", "frame times"
        )
    take = order[:, :, None]
    vel = np.take_along_axis(vel, take, axis=1) / (length_unit * omega_p)
    pos = np.take_along_axis(pos, take, axis=1) / length_unit if pos is not None else None
    attrs = {"source_file": str(path), "source_file_sha256": file_sha256(path), "reader": "h5md",
             "length_unit": float(length_unit)}  # fmt: skip
    return VelocitySeries(vel, ids, frame_steps, dt, interval, float(omega_p), pos, attrs)


def write_h5md(
    path: str | os.PathLike[str],
    velocities: NDArray[np.float64],
    steps: NDArray[np.int64],
    timestep: float,
    *,
    ids: NDArray[np.int64] | None = None,
    box_length: float = 1.0,
    positions: NDArray[np.float64] | None = None,
) -> Path:
    """Write velocities as an H5MD 1.1 file (group ``all``; for tests and examples).

    Parameters
    ----------
    path : str or path
        Target file.
    velocities : ndarray, shape (n_frames, N, 3)
        Velocities in the file's units.
    steps : ndarray of int, shape (n_frames,)
        MD step of each frame; ``time`` = step · ``timestep``.
    timestep : float
        Time units per step.
    ids : ndarray of int, shape (N,), optional
        Particle ids of the rows (a fixed ``id`` dataset); default none written.
    box_length : float
        Edge of the cubic periodic box.
    positions : ndarray, shape (n_frames, N, 3), optional
        Unwrapped positions.

    Returns
    -------
    pathlib.Path
    """
    import h5py  # noqa: PLC0415 - h5py only for H5MD

    path = Path(path)
    with h5py.File(path, "w") as h5:
        h5md = h5.create_group("h5md")
        h5md.attrs["version"] = np.array([1, 1])
        h5md.create_group("author").attrs["name"] = "kineticflow"
        h5md.create_group("creator").attrs.update(name="kineticflow", version="0.1")
        part = h5.create_group("particles/all")
        box = part.create_group("box")
        box.attrs.update(dimension=3, boundary=np.array([b"periodic"] * 3))
        box.create_dataset("edges", data=np.full(3, box_length))
        elements = {"velocity": velocities} | ({"position": positions} if positions is not None else {})
        for name, data in elements.items():
            g = part.create_group(name)
            g.create_dataset("value", data=data)
            g.create_dataset("step", data=np.asarray(steps, dtype=np.int64))
            g.create_dataset("time", data=np.asarray(steps, dtype=float) * timestep)
        if ids is not None:
            part.create_dataset("id", data=np.asarray(ids, dtype=np.int64))
    return path
