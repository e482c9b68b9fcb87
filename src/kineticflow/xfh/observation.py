"""A measured XFH hologram: counts (or χ) on measured directions, read into one contract.

Your own data
-------------

A measured hologram of one crystal, emitter and energy enters the analysis as one dataset, the
*hologram contract*, one entry per measured direction (``pixel``, in the order of the file):

| name | dims | units | meaning |
|---|---|---|---|
| `polar` | (`pixel`) | `degree` | polar angle θ of k̂ from the surface normal, 0 ≤ θ ≤ 180 (sample frame) |
| `azimuth` | (`pixel`) | `degree` | azimuth φ about the normal, 0 ≤ φ < 360 (−180 ≤ φ < 0 is normalised) |
| `counts` | (`pixel`) | `count` | fluorescence counts N ≥ 0 (summed over the patterns) |
| `counts_stderr` | (`pixel`) | `count` | optional standard error σ > 0 of N |
| `chi` | (`pixel`) | `1` | or, instead of counts, the hologram χ = I/I_ref − 1 ≥ −1 |
| `chi_stderr` | (`pixel`) | `1` | optional standard error σ > 0 of χ |

Global attributes: `crystal` (a crystal of the ``xfh.crystals`` config, e.g. `V`), `emitter`
(element symbol of the emitting/detecting atom), `energy_kev` (energy of the scattered wave:
the incident energy inside detector, the fluorescence line inside source), `geometry`
(`inside_source` or `inside_detector`), `surface_normal` ([h, k, l] of the surface, the polar
axis), `azimuth_offset_deg` (φ of the data minus φ of the sample frame of
:func:`kineticflow.xfh.instrument.sample_rotation`, 0 by default), `layout` (`scattered`,
`regular grid n_polar x n_azimuth`), `regridding` (how scattered directions reach the grid),
`source_file`, `source_file_sha256`, `reader` (`netcdf`, `hdf5`, `text` or `simulated`).

Read a file with ``read_hologram(path, format=None, *, variables=None, angle_unit=None,
quantity="counts", interpolation="none", grid_step_deg=1.0, **attrs)``; ``attrs`` give or
override the global attributes (the config's crystal, energy, geometry, surface normal):

* **netCDF** (`format="netcdf"`): the contract itself, or a 2-D grid `counts(polar, azimuth)`
  with 1-D coordinate variables; the `units` attribute of `polar` gives the angle unit.
* **HDF5** (`format="hdf5"`, h5py): named datasets, by default the contract names; others
  through ``variables``, e.g. ``{"polar": "theta", "counts": "I"}``. A list of directions
  (1-D angles and values) or a 2-D grid: 1-D polar and azimuth axes with a matrix in either
  orientation (a square one is read with the polar angle along axis 0), or 2-D angle arrays.
* **text** (`format="text"`): triplets ``theta_deg, phi_deg, counts[, sigma]`` (or ``chi``),
  comma or blank separated, ``#`` comments, ``# crystal: V``-style attribute comments
  (:mod:`kineticflow.xfh.observation_text`). A full (θ, φ) product is detected as a regular grid.

Angles in degrees unless the file states radians (`units: rad`, a `_rad` column). Scattered
directions are, by default (``interpolation="none"``), binned into the cells of the symmetrised
grid as the simulated spiral scan is (cell mean over the m-3m images, exact and free of invented
values for a dense scan); ``interpolation="linear"`` or ``"nearest"`` first interpolates them
(``scipy.interpolate`` in the azimuthal equidistant projection about the normal) onto
a ``grid_step_deg`` (θ, φ) grid inside their convex hull, for sparse scans; the attribute
`regridding` states which. Then ``measured_from_observation`` subtracts the smooth reference
(counts only) and symmetrises onto the grid exactly as the ``measure_hologram`` rule, and
:func:`kineticflow.xfh.steps.reconstruct_hologram` and :func:`kineticflow.xfh.steps.fit_phases` give
G(h′), U(r′) and the signs of Re F_h. Any cubic crystal whose space group is Pm-3m, Im-3m or
Fm-3m (:data:`kineticflow.xfh.cif.SUPPORTED_SPACE_GROUPS`), from a CIF or built in.

A file that cannot be read as a hologram (a missing axis or dataset, an unknown unit, angles
outside their range, counts < 0, σ ≤ 0, a missing attribute) raises `ObservationError` with one
line: the file, the variable and what was expected. ``write_hologram(obs, path, format)`` writes
each format (the same arrays read back). `resources/xfh_hologram_example.txt` is a simulated
example (:mod:`kineticflow.xfh.observation_example`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import variable
from kineticflow.core.io import ObservationError, file_sha256, observation_error, write_dataset
from kineticflow.xfh.observation_formats import (
    ANGLE_UNITS,
    RawHologram,
    label,
    read_hdf5,
    read_netcdf,
    resolve_format,
    write_hdf5,
)
from kineticflow.xfh.observation_text import INTERPOLATIONS, interpolate_to_grid, read_text, write_text

__all__ = [
    "GEOMETRIES",
    "ObservationError",
    "make_hologram",
    "read_hologram",
    "write_hologram",
]

#: Scan geometries (Marchesini et al.; the ``mode`` of an ``xfh.crystals`` entry).
GEOMETRIES = ("inside_source", "inside_detector")
_LONG = {
    "counts": ("count", "fluorescence counts per direction, summed over the patterns"),
    "counts_stderr": ("count", "standard error of the counts"),
    "chi": ("1", "hologram chi = I/I_ref - 1"),
    "chi_stderr": ("1", "standard error of chi"),
}


def _first_bad(where: str, lab: str, values: NDArray[np.float64], bad: NDArray[np.bool_], expected: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise observation_error(
            where, lab, f"{int(bad.sum())} bad value(s), first {float(values[i])!r} at pixel {i}", expected
        )


def _check_values(where: str, names: dict[str, str], values: dict[str, NDArray[np.float64]]) -> None:
    """Finite counts ≥ 0 or χ ≥ −1, finite σ > 0."""
    rules = {"counts": (0.0, ">="), "chi": (-1.0, ">="), "counts_stderr": (0.0, ">"), "chi_stderr": (0.0, ">")}
    for key, v in values.items():
        low, op = rules[key]
        ok = np.isfinite(v) & ((v >= low) if op == ">=" else (v > low))
        _first_bad(where, label(names, key), v, ~ok, f"finite values {op} {low:g}")


def _angles(
    where: str, names: dict[str, str], polar: NDArray[np.float64], azimuth: NDArray[np.float64], unit: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Angles in degrees: 0 ≤ θ ≤ 180 and −180 ≤ φ < 360, φ < 0 normalised to [0, 360)."""
    if unit not in ANGLE_UNITS:
        raise observation_error(
            where, label(names, "polar"), f"unknown unit {unit!r}", f"one of {', '.join(ANGLE_UNITS)}"
        )
    f = ANGLE_UNITS[unit]
    t, p = (np.asarray(x, dtype=float) * f if f != 1.0 else np.asarray(x, dtype=float) for x in (polar, azimuth))
    _first_bad(where, label(names, "polar"), t, ~(np.isfinite(t) & (t >= 0) & (t <= 180)), "0 <= theta <= 180 degrees")
    _first_bad(
        where,
        label(names, "azimuth"),
        p,
        ~(np.isfinite(p) & (p >= -180) & (p < 360)),
        "0 <= phi < 360 or -180 <= phi < 180 degrees",
    )
    return t, np.where(p < 0, p + 360.0, p)


def _contract_attrs(where: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The required global attributes, checked and typed."""
    for key in ("crystal", "emitter", "energy_kev", "geometry", "surface_normal"):
        if attrs.get(key) in (None, ""):
            raise observation_error(
                where, f"attribute '{key}'", "missing", "it in the file or as a reader option (the config's)"
            )
    energy = float(attrs["energy_kev"])
    if not (np.isfinite(energy) and energy > 0):
        raise observation_error(where, "attribute 'energy_kev'", f"{attrs['energy_kev']!r}", "a photon energy > 0 keV")
    if attrs["geometry"] not in GEOMETRIES:
        raise observation_error(
            where, "attribute 'geometry'", f"{attrs['geometry']!r}", f"one of {', '.join(GEOMETRIES)}"
        )
    normal = attrs["surface_normal"]
    normal = [float(x) for x in (normal.replace(",", " ").split() if isinstance(normal, str) else np.ravel(normal))]
    if len(normal) != 3 or not any(normal):
        raise observation_error(
            where, "attribute 'surface_normal'", f"{attrs['surface_normal']!r}", "three Miller indices, not all 0"
        )
    return {
        "crystal": str(attrs["crystal"]),
        "emitter": str(attrs["emitter"]),
        "energy_kev": energy,
        "geometry": str(attrs["geometry"]),
        "surface_normal": normal,
        "azimuth_offset_deg": float(attrs.get("azimuth_offset_deg", 0.0)),
    }


def make_hologram(
    polar: ArrayLike,
    azimuth: ArrayLike,
    values: Mapping[str, ArrayLike],
    *,
    angle_unit: str = "degree",
    names: dict[str, str] | None = None,
    source_file: str = "",
    reader: str = "simulated",
    layout: str = "scattered",
    regridding: str = "none",
    **attrs: Any,
) -> xr.Dataset:
    """The hologram contract from arrays, checked.

    Parameters
    ----------
    polar, azimuth : array_like, shape (n,)
        Directions in the sample frame, unit ``angle_unit``.
    values : mapping of str to array_like, shape (n,)
        ``counts`` (N ≥ 0) or ``chi`` (≥ −1), with ``counts_stderr`` / ``chi_stderr`` (> 0).
    angle_unit : str
        A key of :data:`kineticflow.xfh.observation_formats.ANGLE_UNITS`.
    names : dict, optional
        Contract name → name in the file, for the error messages.
    source_file, reader, layout, regridding : str
        Provenance attributes (``source_file_sha256`` is computed when the file exists).
    **attrs
        ``crystal``, ``emitter``, ``energy_kev``, ``geometry``, ``surface_normal`` (required),
        ``azimuth_offset_deg`` (default 0).

    Returns
    -------
    xarray.Dataset
        The contract (module docstring).

    Raises
    ------
    ObservationError
        One line naming ``source_file``, the variable and what was expected.
    """
    where = source_file or "hologram"
    names = names or {}
    keys = set(values)
    if len(keys & {"counts", "chi"}) != 1 or keys - {"counts", "counts_stderr", "chi", "chi_stderr"}:
        raise observation_error(
            where, "values", f"{sorted(keys)}", "counts or chi, with an optional _stderr of the same"
        )
    t, p = _angles(where, names, np.ravel(polar), np.ravel(azimuth), angle_unit)
    vals = {k: np.ravel(np.asarray(v, dtype=float)) for k, v in values.items()}
    for k, v in vals.items():
        if v.size != t.size:
            raise observation_error(
                where, label(names, k), f"{v.size} values for {t.size} directions", "one per direction"
            )
    _check_values(where, names, vals)
    data = {"polar": variable(t, "pixel", units="degree", long_name="polar angle from the surface normal")}
    data["azimuth"] = variable(p, "pixel", units="degree", long_name="azimuth about the surface normal")
    data.update({k: variable(v, "pixel", units=_LONG[k][0], long_name=_LONG[k][1]) for k, v in vals.items()})
    sha = file_sha256(source_file) if source_file and Path(source_file).is_file() else ""
    meta = {"source_file": source_file, "source_file_sha256": sha, "reader": reader, "layout": layout}
    return xr.Dataset(data, attrs={**_contract_attrs(where, attrs), **meta, "regridding": regridding})


def read_hologram(
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002 - the brief's name
    *,
    variables: dict[str, str] | None = None,
    angle_unit: str | None = None,
    quantity: str = "counts",
    interpolation: str = "none",
    grid_step_deg: float = 1.0,
    **attrs: Any,
) -> xr.Dataset:
    """Read a measured hologram (netCDF, HDF5 or text) into the contract.

    Parameters
    ----------
    path : str or path
        The file.
    format : {"netcdf", "hdf5", "text"}, optional
        Default: from the suffix (``.nc``, ``.h5``/``.hdf5``, ``.txt``/``.csv``/``.dat``).
    variables : dict, optional
        Contract name → name in an HDF5/netCDF file.
    angle_unit : str, optional
        Unit of the angles when the file does not state it (default degrees); a unit stated in
        the file wins.
    quantity : {"counts", "chi"}
        What the third text column holds when no header names it.
    interpolation : {"none", "linear", "nearest"}
        For scattered directions: keep them (binned later, as the spiral scan) or interpolate
        onto a ``grid_step_deg`` grid (:func:`kineticflow.xfh.observation_text.interpolate_to_grid`).
    grid_step_deg : float
        Step of that grid, degrees (the symmetrised grid's ``xfh.measurement.grid_step_deg``).
    **attrs
        Global attributes given or overridden (``crystal``, ``emitter``, ``energy_kev``,
        ``geometry``, ``surface_normal``, ``azimuth_offset_deg``).

    Returns
    -------
    xarray.Dataset
        The contract (module docstring).

    Raises
    ------
    ObservationError
        One line naming the file, the variable and what was expected.
    """
    kind = resolve_format(path, format)
    if interpolation not in INTERPOLATIONS:
        raise observation_error(path, "interpolation", f"{interpolation!r}", f"one of {', '.join(INTERPOLATIONS)}")
    if not Path(path).is_file():
        raise observation_error(path, "file", "does not exist", "a readable file")
    raw: RawHologram = {"netcdf": read_netcdf, "hdf5": read_hdf5}[kind](path, variables) if kind != "text" else (
        read_text(path, quantity))  # fmt: skip
    unit = raw.angle_unit or angle_unit or "degree"
    regrid = "none: directions binned into the cells of the symmetrised grid (cell mean over the m-3m images)"
    polar, azimuth, values = raw.polar, raw.azimuth, raw.values
    if interpolation != "none" and raw.layout == "scattered":
        t, p = _angles(str(path), raw.names, polar, azimuth, unit)
        _check_values(str(path), raw.names, values)
        try:
            polar, azimuth, values, regrid = interpolate_to_grid(t, p, values, grid_step_deg, interpolation)
        except ValueError as exc:
            raise observation_error(
                path, "polar, azimuth", str(exc), "enough scattered directions to interpolate"
            ) from None
        unit = "degree"
    return make_hologram(
        polar,
        azimuth,
        values,
        angle_unit=unit,
        names=raw.names,
        source_file=str(path),
        reader=kind,
        layout=raw.layout,
        regridding=regrid,
        **{**raw.attrs, **attrs},
    )


def write_hologram(
    obs: xr.Dataset,
    path: str | os.PathLike[str],
    format: str | None = None,
    grid: tuple[int, int] | None = None,  # noqa: A002
) -> Path:
    """Write the contract as netCDF (itself), HDF5 (named datasets) or text (rows of θ, φ, values).

    Parameters
    ----------
    obs : xarray.Dataset
        The contract.
    path : str or path
        Target file.
    format : {"netcdf", "hdf5", "text"}, optional
        Default: from the suffix.
    grid : (n_polar, n_azimuth), optional
        HDF5 only: store a regular grid as 1-D axes and a matrix (pixels in C order of the grid).

    Returns
    -------
    pathlib.Path
    """
    kind = resolve_format(path, format)
    if kind == "netcdf":
        return write_dataset(obs, path, source="measured XFH hologram (kineticflow.xfh.observation contract)")
    if kind == "hdf5":
        return write_hdf5(obs, path, grid)
    return write_text(obs, path)
