"""Text triplets of a measured XFH hologram, and scattered directions interpolated onto a grid.

One row per measured direction: ``theta_deg, phi_deg, counts[, sigma]`` (or ``chi[, sigma]``),
cells separated by commas, blanks or tabs, ``#`` starting a comment. The column names come from a
header row (``theta_deg, phi_deg, counts, sigma``) or a comment ``# columns: ...``; without
either, the columns are polar, azimuth, counts and (a fourth) its σ. A name ending ``_rad``
gives the angles in radians. Comments ``# crystal: V``, ``# emitter: V``, ``# energy_kev: 6.3``,
``# geometry: inside_detector``, ``# surface_normal: 1 1 1``, ``# azimuth_offset_deg: 0`` hold
the contract's attributes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.io import observation_error
from kineticflow.xfh.observation_formats import FILE_ATTRS, RawHologram

#: Column name (lower case, unit suffix removed) → contract name (``stderr``: σ of the quantity).
COLUMNS = {
    "theta": "polar", "polar": "polar", "phi": "azimuth", "azimuth": "azimuth",
    "counts": "counts", "count": "counts", "n": "counts", "chi": "chi",
    "sigma": "stderr", "stderr": "stderr", "counts_stderr": "stderr", "chi_stderr": "stderr", "err": "stderr",
}  # fmt: skip
#: Interpolation methods of scattered directions (``none``: the points are kept and binned).
INTERPOLATIONS = ("none", "linear", "nearest")
_SPLIT = re.compile(r"[,\s]+")


def _column(path: Path, name: str) -> tuple[str, str]:
    """(contract name, angle unit) of a header cell such as ``theta_deg`` or ``sigma``."""
    key = name.strip().lower()
    unit = ""
    for suffix, u in (("_deg", "degree"), ("_rad", "rad")):
        if key.endswith(suffix):
            key, unit = key[: -len(suffix)], u
    if key not in COLUMNS:
        raise observation_error(
            path, f"column '{name}'", "unknown column name", f"one of {sorted(COLUMNS)} (angles: _deg or _rad)"
        )
    return COLUMNS[key], unit


def _header(path: Path, lines: list[str]) -> tuple[list[str], dict[str, Any], int]:
    """Column names, attributes from ``# key: value`` comments, index of the first data row."""
    cols: list[str] = []
    attrs: dict[str, Any] = {}
    for i, line in enumerate(lines):
        text = line.strip()
        if text.startswith("#"):
            key, _, value = text.lstrip("#").partition(":")
            key = key.strip().lower()
            if key == "columns":
                cols = [c for c in _SPLIT.split(value.strip()) if c]
            elif key in FILE_ATTRS and value.strip():
                attrs[key] = value.strip()
            continue
        if not text:
            continue
        cells = [c for c in _SPLIT.split(text) if c]
        try:
            [float(c) for c in cells]
        except ValueError:
            return cells, attrs, i + 1
        return cols, attrs, i
    raise observation_error(path, "rows", "no data rows", "rows of theta_deg, phi_deg, counts[, sigma]")


def _rows(path: Path, lines: list[str], start: int) -> NDArray[np.float64]:
    """The numeric rows after the header, shape (n, n_cols); comments and blank lines skipped."""
    rows: list[list[float]] = []
    for i, line in enumerate(lines[start:], start=start + 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        cells = [c for c in _SPLIT.split(text) if c]
        try:
            values = [float(c) for c in cells]
        except ValueError:
            raise observation_error(path, f"line {i}", f"non-numeric cell in {text!r}", "numbers") from None
        if rows and len(values) != len(rows[0]):
            raise observation_error(
                path, f"line {i}", f"{len(values)} columns", f"{len(rows[0])} columns, as the first row"
            )
        rows.append(values)
    if not rows:
        raise observation_error(path, "rows", "no data rows", "rows of theta_deg, phi_deg, counts[, sigma]")
    return np.array(rows)


def read_text(path: str | os.PathLike[str], quantity: str = "counts") -> RawHologram:
    """Read text triplets (or quadruplets with σ) into a :class:`RawHologram`.

    Parameters
    ----------
    path : str or path
        The file (UTF-8 or Latin-1).
    quantity : {"counts", "chi"}
        What the third column holds when no header names it.

    Returns
    -------
    RawHologram
        ``layout`` is ``"regular grid n_polar x n_azimuth"`` when the directions are every
        (θ, φ) pair of a set of polar and azimuth values, each once; ``"scattered"`` otherwise.

    Raises
    ------
    ObservationError
        An unknown column name, a missing polar/azimuth/quantity column, a non-numeric cell or a
        ragged row (one line naming the file and the line).
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    lines = text.splitlines()
    names, attrs, start = _header(path, lines)
    table = _rows(path, lines, start)
    if not names:
        names = ["theta_deg", "phi_deg", quantity, "sigma"][: table.shape[1]]
    if len(names) != table.shape[1]:
        raise observation_error(path, "columns", f"{len(names)} names ({', '.join(names)}) for {table.shape[1]} columns",
                   "one name per column")  # fmt: skip
    cols = [_column(path, n) for n in names]
    keys = [k for k, _ in cols]
    q = next((k for k in keys if k in ("counts", "chi")), "counts or chi")
    for need in ("polar", "azimuth", q):
        if need not in keys:
            raise observation_error(path, f"column {need}", f"missing (columns: {', '.join(names)})",
                       "columns theta_deg, phi_deg, counts[, sigma]")  # fmt: skip
    units = {u for k, u in cols if k in ("polar", "azimuth") and u}
    if len(units) > 1:
        raise observation_error(
            path, "columns", f"polar and azimuth in different units {sorted(units)}", "one angle unit"
        )
    values: dict[str, NDArray[np.float64]] = {q: table[:, keys.index(q)]}
    if "stderr" in keys:
        values[f"{q}_stderr"] = table[:, keys.index("stderr")]
    polar, azimuth = table[:, keys.index("polar")], table[:, keys.index("azimuth")]
    cmap = {"polar": names[keys.index("polar")], "azimuth": names[keys.index("azimuth")], q: names[keys.index(q)]}
    if "stderr" in keys:
        cmap[f"{q}_stderr"] = names[keys.index("stderr")]
    layout = regular_layout(polar, azimuth)
    return RawHologram(polar, azimuth, values, units.pop() if units else "", layout, cmap, attrs)


def regular_layout(polar: NDArray[np.float64], azimuth: NDArray[np.float64]) -> str:
    """``"regular grid n_polar x n_azimuth"`` if the directions are a full (θ, φ) product, else ``"scattered"``.

    Parameters
    ----------
    polar, azimuth : ndarray, shape (n,)
        Directions as read (any order).

    Returns
    -------
    str

    Examples
    --------
    >>> t, p = np.meshgrid([10.0, 20.0], [0.0, 90.0, 180.0], indexing="ij")
    >>> regular_layout(t.ravel(), p.ravel())
    'regular grid 2 x 3'
    >>> regular_layout(np.array([10.0, 20.0, 30.0]), np.array([0.0, 5.0, 9.0]))
    'scattered'
    """
    up, ua = np.unique(polar), np.unique(azimuth)
    if up.size * ua.size != polar.size or up.size < 2 or ua.size < 2:
        return "scattered"
    pairs = np.unique(np.stack([polar, azimuth], axis=1), axis=0)
    return f"regular grid {up.size} x {ua.size}" if len(pairs) == polar.size else "scattered"


def _attr_text(value: Any) -> str:
    return " ".join(f"{v:g}" for v in np.ravel(value)) if np.ndim(value) else str(value)


def write_text(obs: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write a hologram contract as text: attribute comments, a header row, one row per direction.

    Values are written with 17 significant digits, so that they read back exactly.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract (:func:`kineticflow.xfh.observation.make_hologram`).
    path : str or path
        Target file.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    q = "counts" if "counts" in obs else "chi"
    cols = ["polar", "azimuth", q] + ([f"{q}_stderr"] if f"{q}_stderr" in obs else [])
    header = ["theta_deg", "phi_deg", q] + (["sigma"] if len(cols) == 4 else [])
    lines = [f"# {k}: {_attr_text(obs.attrs[k])}" for k in FILE_ATTRS if k in obs.attrs]
    lines.append(", ".join(header))
    table = np.stack([obs[c].values for c in cols], axis=1)
    lines += [", ".join(f"{v:.17g}" for v in row) for row in table]
    path.write_text("\n".join(lines) + "\n")
    return path


def interpolate_to_grid(
    polar_deg: NDArray[np.float64],
    azimuth_deg: NDArray[np.float64],
    values: dict[str, NDArray[np.float64]],
    step_deg: float,
    method: str = "linear",
) -> tuple[NDArray[np.float64], NDArray[np.float64], dict[str, NDArray[np.float64]], str]:
    """Scattered directions interpolated onto the cell centres of an equal-angle (θ, φ) grid.

    The interpolation (``scipy.interpolate``, on a ``scipy.spatial.Delaunay`` triangulation) works in the azimuthal equidistant
    projection about the surface normal, (x, y) = θ (cos φ, sin φ), which has no seam at
    φ = 0/360° and is regular at θ = 0. Grid cells outside the convex hull of the measured
    directions in that projection are left out (not measured).

    Parameters
    ----------
    polar_deg, azimuth_deg : ndarray, shape (n,)
        Measured directions, degrees.
    values : dict of str to ndarray, shape (n,)
        Quantities to interpolate (counts, χ, their σ).
    step_deg : float
        Grid step (cell centres at (i + ½) step), degrees: the step of the symmetrised grid.
    method : {"linear", "nearest"}
        Barycentric linear interpolation on the Delaunay triangulation, or the nearest
        measured direction (both keep counts ≥ 0 and σ > 0).

    Returns
    -------
    polar, azimuth : ndarray, shape (m,)
        Grid cell centres inside the hull, degrees.
    values : dict of str to ndarray, shape (m,)
    description : str
        The method, for the ``regridding`` attribute.

    Raises
    ------
    ValueError
        For an unknown method, or fewer than three directions.
    """
    from scipy.interpolate import LinearNDInterpolator  # noqa: PLC0415 - only here
    from scipy.spatial import Delaunay, cKDTree  # noqa: PLC0415

    if method not in INTERPOLATIONS[1:]:
        raise ValueError(f"interpolation = {method!r}; expected one of {INTERPOLATIONS}")
    if polar_deg.size < 3:
        raise ValueError(f"{polar_deg.size} directions; interpolation needs >= 3")
    t, p = np.radians(polar_deg), np.radians(azimuth_deg)
    src = np.stack([t * np.cos(p), t * np.sin(p)], axis=1)
    gt = (np.arange(round(180 / step_deg)) + 0.5) * step_deg
    gt = gt[gt <= polar_deg.max() + step_deg]  # the hull lies within the largest measured θ
    gp = (np.arange(round(360 / step_deg)) + 0.5) * step_deg
    tt, pp = (np.radians(x).ravel() for x in np.meshgrid(gt, gp, indexing="ij"))
    dst = np.stack([tt * np.cos(pp), tt * np.sin(pp)], axis=1)
    tri = Delaunay(src)
    inside = tri.find_simplex(dst) >= 0
    if method == "linear":
        out = {k: np.asarray(LinearNDInterpolator(tri, v)(dst[inside]), dtype=float) for k, v in values.items()}
        what = "interpolate.LinearNDInterpolator (barycentric on the Delaunay triangulation)"
    else:
        nearest = cKDTree(src).query(dst[inside])[1]
        out = {k: np.asarray(v, dtype=float)[nearest] for k, v in values.items()}
        what = "spatial.cKDTree (value of the nearest measured direction)"
    description = (
        f"scipy.{what} of {polar_deg.size} scattered directions in the azimuthal equidistant "
        f"projection (x, y) = theta (cos phi, sin phi), onto the centres of a {step_deg:g}-degree (theta, phi) "
        f"grid inside their convex hull ({int(inside.sum())} cells)"
    )
    return np.degrees(tt[inside]), np.degrees(pp[inside]), out, description
