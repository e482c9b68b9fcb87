"""File formats of a measured XFH hologram: HDF5 (named datasets) and netCDF.

Readers return a :class:`RawHologram`: the angles and values as stored (angle unit as read),
flattened to one entry per measured direction (pixel). :mod:`kineticflow.xfh.observation`
converts the units, checks the values and builds the contract; the text triplets are in
:mod:`kineticflow.xfh.observation_text`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.io import observation_error

#: Contract names, the default names of the datasets in an HDF5/netCDF file.
CONTRACT_NAMES = {
    "polar": "polar",
    "azimuth": "azimuth",
    "counts": "counts",
    "counts_stderr": "counts_stderr",
    "chi": "chi",
    "chi_stderr": "chi_stderr",
}
#: The measured quantities (one of them per hologram) and their optional standard errors.
VALUES = ("counts", "counts_stderr", "chi", "chi_stderr")
#: Global attributes of the contract read from a file (and overridden by reader options).
FILE_ATTRS = ("crystal", "emitter", "energy_kev", "geometry", "surface_normal", "azimuth_offset_deg")
#: Angle unit → factor to degrees.
ANGLE_UNITS: dict[str, float] = {
    "degree": 1.0, "degrees": 1.0, "deg": 1.0, "°": 1.0,
    "rad": 180.0 / np.pi, "radian": 180.0 / np.pi, "radians": 180.0 / np.pi,
}  # fmt: skip
#: Format names (and aliases, file suffixes) → reader.
FORMATS = {"text": "text", "txt": "text", "csv": "text", "dat": "text", "hdf5": "hdf5", "h5": "hdf5",
           "hdf": "hdf5", "netcdf": "netcdf", "nc": "netcdf"}  # fmt: skip


def resolve_format(path: str | os.PathLike[str], format: str | None) -> str:  # noqa: A002 - the brief's name
    """``text``, ``hdf5`` or ``netcdf`` from a format name or alias, or from the file suffix.

    Raises
    ------
    ObservationError
        For an unknown name or suffix.
    """
    key = (format or Path(path).suffix.lstrip(".")).lower()
    if key not in FORMATS:
        raise observation_error(path, "format", f"unknown format {key!r}", f"one of {sorted(set(FORMATS.values()))}")
    return FORMATS[key]


def resolve_names(variables: dict[str, str] | None) -> dict[str, str]:
    """Contract name → name in the file: the defaults updated by ``variables``.

    Raises
    ------
    ValueError
        For a key that is not a contract name.
    """
    names = dict(CONTRACT_NAMES)
    unknown = set(variables or {}) - set(names)
    if unknown:
        raise ValueError(f"variables: unknown key(s) {sorted(unknown)}; expected a subset of {sorted(names)}")
    names.update(variables or {})
    return names


@dataclass
class RawHologram:
    """A hologram as read: one entry per measured direction, angles in the unit of the file.

    Attributes
    ----------
    polar, azimuth : ndarray, shape (n,)
        Angles of the directions in the sample frame, unit ``angle_unit``.
    values : dict of str to ndarray, shape (n,)
        ``counts`` or ``chi``, with ``counts_stderr`` / ``chi_stderr`` where the file has them.
    angle_unit : str
        Unit of the angles as read (``""``: not stated in the file).
    layout : str
        ``"scattered"`` (a list of directions) or ``"regular grid n_polar x n_azimuth"``.
    names : dict
        Contract name → name in the file (for error messages).
    attrs : dict
        Contract attributes found in the file.
    """

    polar: NDArray[np.float64]
    azimuth: NDArray[np.float64]
    values: dict[str, NDArray[np.float64]]
    angle_unit: str = ""
    layout: str = "scattered"
    names: dict[str, str] = field(default_factory=lambda: dict(CONTRACT_NAMES))
    attrs: dict[str, Any] = field(default_factory=dict)


def label(names: dict[str, str], key: str) -> str:
    """How a variable is named in messages: ``'name' (key)`` when the file name differs."""
    return key if names.get(key, key) == key else f"'{names[key]}' ({key})"


def _orient(path: Path, lab: str, values: NDArray[np.float64], n_p: int, n_a: int) -> NDArray[np.float64]:
    """A stored 2-D hologram as (n_polar, n_azimuth): either orientation (square: polar first)."""
    arr = np.squeeze(values)
    if arr.shape == (n_p, n_a):
        return arr
    if arr.ndim == 2 and arr.shape == (n_a, n_p):
        return arr.T
    raise observation_error(
        path, lab, f"shape {values.shape}", f"(n_polar, n_azimuth) = ({n_p}, {n_a}) or its transpose"
    )


def flatten(
    path: Path, polar: NDArray[np.float64], azimuth: NDArray[np.float64], values: dict[str, Any], names: dict[str, str]
) -> tuple[NDArray[np.float64], NDArray[np.float64], dict[str, NDArray[np.float64]], str]:
    """Angles and values as one entry per direction, from a list of directions or a 2-D grid.

    A list: angles and values of one length n. A grid: 1-D polar (n_p) and azimuth (n_a) axes
    with values (n_p, n_a) or (n_a, n_p), or 2-D angles of the values' shape; flattened in C
    order of (polar, azimuth).

    Raises
    ------
    ObservationError
        If the shapes fit neither layout.
    """
    p, a = np.squeeze(polar).astype(float), np.squeeze(azimuth).astype(float)
    vals = {k: np.squeeze(np.asarray(v, dtype=float)) for k, v in values.items()}
    first = next(iter(vals))
    if p.ndim <= 1 and a.ndim <= 1 and all(v.ndim <= 1 for v in vals.values()):
        p, a = np.atleast_1d(p), np.atleast_1d(a)
        for key, v in vals.items():
            if not p.size == a.size == np.atleast_1d(v).size:
                raise observation_error(path, label(names, key), f"{np.size(v)} values for {p.size} polar and {a.size} azimuth "
                           "angles", "one value per direction (or a 2-D grid)")  # fmt: skip
        return p, a, {k: np.atleast_1d(v) for k, v in vals.items()}, "scattered"
    if p.ndim == 1 and a.ndim == 1:
        grid = {k: _orient(path, label(names, k), v, p.size, a.size) for k, v in vals.items()}
        pp, aa = np.meshgrid(p, a, indexing="ij")
        return pp.ravel(), aa.ravel(), {k: v.ravel() for k, v in grid.items()}, f"regular grid {p.size} x {a.size}"
    if p.shape == a.shape and all(v.shape == p.shape for v in vals.values()):
        return p.ravel(), a.ravel(), {k: v.ravel() for k, v in vals.items()}, f"grid {p.shape[0]} x {p.shape[1]}"
    raise observation_error(path, label(names, first), f"shape {vals[first].shape} with polar {np.shape(polar)} and azimuth "
               f"{np.shape(azimuth)}", "a list of directions or a 2-D (polar, azimuth) grid")  # fmt: skip


def _attr_value(value: Any) -> Any:
    """An HDF5/netCDF attribute as a plain Python value (bytes decoded, arrays as lists)."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value.item() if isinstance(value, np.generic) else value


def _h5_array(h5: Any, path: Path, key: str, name: str, required: bool) -> NDArray[np.float64] | None:
    """A numeric HDF5 dataset as a float array (None if optional and absent)."""
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 reader

    obj = h5.get(name)
    if obj is None and not required:
        return None
    if not isinstance(obj, h5py.Dataset):
        found = ", ".join(sorted(h5.keys()))
        what = "missing" if obj is None else "a group, not a dataset"
        raise observation_error(
            path, f"'{name}' ({key})", f"HDF5 dataset {what} (found: {found})", "a numeric dataset of that name"
        )
    if obj.dtype.kind not in "iuf":
        raise observation_error(
            path, f"'{name}' ({key})", f"dtype {obj.dtype} is not numeric", "a numeric (real) array"
        )
    return np.asarray(obj[()], dtype=float)


def _quantity(path: Path, names: dict[str, str], present: set[str], variables: dict[str, str] | None) -> str:
    """``counts`` or ``chi``: the one the file holds (or the one named in ``variables``)."""
    for key in ("counts", "chi"):
        if key in (variables or {}):
            return key
    have = [k for k in ("counts", "chi") if names[k] in present]
    if len(have) != 1:
        what = "both" if have else "neither"
        raise observation_error(
            path, f"'{names['counts']}' or '{names['chi']}'", f"{what} found", "exactly one of counts or chi"
        )
    return have[0]


def read_hdf5(path: str | os.PathLike[str], variables: dict[str, str] | None = None) -> RawHologram:
    """Read a hologram from named datasets of an HDF5 file.

    Parameters
    ----------
    path : str or path
        The file.
    variables : dict, optional
        Contract name → dataset name (paths such as ``"scan/theta"`` allowed); defaults
        ``polar, azimuth, counts, counts_stderr, chi, chi_stderr``. The angles' unit is the
        ``units`` (or ``unit``) attribute of the polar dataset.

    Returns
    -------
    RawHologram

    Raises
    ------
    ObservationError
        Not HDF5, a missing or non-numeric dataset, neither or both of counts and chi, or shapes
        that fit neither a list of directions nor a 2-D grid.
    """
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 reader

    path = Path(path)
    names = resolve_names(variables)
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise observation_error(path, "file", f"not a readable HDF5 file ({exc})", "an HDF5 file") from exc
    with h5:
        present = {n for n in names.values() if n in h5}
        q = _quantity(path, names, present, variables)
        angles = [_h5_array(h5, path, k, names[k], True) for k in ("polar", "azimuth")]
        raw = {k: _h5_array(h5, path, k, names[k], k == q) for k in (q, f"{q}_stderr")}
        unit_attrs = h5[names["polar"]].attrs
        unit = _attr_value(unit_attrs.get("units", unit_attrs.get("unit", "")))
        attrs = {k: _attr_value(h5.attrs[k]) for k in FILE_ATTRS if k in h5.attrs}
    polar, azimuth = (np.asarray(x, dtype=float) for x in angles)  # required: never None
    p, a, vals, layout = flatten(path, polar, azimuth, {k: v for k, v in raw.items() if v is not None}, names)
    return RawHologram(p, a, vals, str(unit), layout, names, attrs)


def write_hdf5(obs: xr.Dataset, path: str | os.PathLike[str], grid: tuple[int, int] | None = None) -> Path:
    """Write a hologram contract as HDF5 datasets with the contract names and the attributes.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract (:func:`kineticflow.xfh.observation.make_hologram`).
    path : str or path
        Target file.
    grid : (n_polar, n_azimuth), optional
        Store a regular grid as 1-D axes and (n_azimuth, n_polar) matrices (the transposed
        orientation, which the reader accepts); the pixels must be in C order of the grid.

    Returns
    -------
    pathlib.Path
    """
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 writer

    path = Path(path)
    with h5py.File(path, "w") as h5:
        for key in ("polar", "azimuth", *VALUES):
            if key not in obs:
                continue
            data = obs[key].values
            if grid is not None:
                data = data.reshape(grid)
                data = {"polar": data[:, 0], "azimuth": data[0, :]}.get(key, data.T)
            h5.create_dataset(key, data=data).attrs["units"] = obs[key].attrs["units"]
        for key in FILE_ATTRS:
            if key in obs.attrs:
                h5.attrs[key] = obs.attrs[key]
    return path


def read_netcdf(path: str | os.PathLike[str], variables: dict[str, str] | None = None) -> RawHologram:
    """Read a hologram stored as the contract itself (netCDF), or a netCDF (polar, azimuth) grid.

    Parameters
    ----------
    path : str or path
        The file.
    variables : dict, optional
        Contract name → variable name in the file (defaults: the contract names).

    Returns
    -------
    RawHologram
        The angle unit from the ``units`` attribute of the polar variable.

    Raises
    ------
    ObservationError
        Not netCDF, a missing variable, neither or both of counts and chi, or shapes that fit
        neither layout.
    """
    path = Path(path)
    names = resolve_names(variables)
    try:
        with xr.open_dataset(path, engine="netcdf4") as handle:
            ds = handle.load()
    except Exception as exc:  # netCDF4 raises OSError/RuntimeError/ValueError variously
        raise observation_error(path, "file", f"not a readable netCDF file ({exc})", "a netCDF file") from exc
    q = _quantity(path, names, {str(v) for v in ds.variables}, variables)
    for key in ("polar", "azimuth", q):
        if names[key] not in ds.variables:
            found = ", ".join(sorted(map(str, ds.variables)))
            raise observation_error(path, label(names, key), f"missing (found: {found})", "a variable of that name")
    polar, azimuth = ds[names["polar"]], ds[names["azimuth"]]
    vals = {}
    for key in (q, f"{q}_stderr"):
        if names[key] in ds.variables:
            da = ds[names[key]]
            if polar.ndim == azimuth.ndim == 1 and da.ndim == 2 and set(da.dims) == {polar.dims[0], azimuth.dims[0]}:
                da = da.transpose(polar.dims[0], azimuth.dims[0])
            vals[key] = da.values
    p, a, flat, layout = flatten(path, polar.values, azimuth.values, vals, names)
    attrs = {k: _attr_value(ds.attrs[k]) for k in FILE_ATTRS if k in ds.attrs}
    return RawHologram(p, a, flat, str(polar.attrs.get("units", "")), layout, names, attrs)
