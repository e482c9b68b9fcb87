"""File formats of a measured TRXS observation: HDF5 (incl. MATLAB v7.3 ``.mat``) and netCDF.

Readers return a :class:`RawObservation`, the arrays as stored in the file (units as read, ΔS
oriented (q, τ)); :mod:`kineticflow.trxs.observation` converts the units and checks the contract.
The text/CSV matrix is in :mod:`kineticflow.trxs.observation_text`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.io import observation_error as fail

#: Contract names, the default names of the datasets in an HDF5/netCDF file.
CONTRACT_NAMES = {"q": "q", "tau": "tau", "delta_s": "delta_s", "sigma": "sigma"}

#: The 116-byte text header of a MATLAB v7.3 MAT-file (an HDF5 file with a 512-byte user block).
MATLAB_HEADER = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created by: kineticflow HDF5 schema 1.00 ."


#: Delay unit → factor to ps.
DELAY_UNITS: dict[str, float] = {
    "fs": 1e-3,
    "ps": 1.0,
    "ns": 1e3,
    "us": 1e6,
    "µs": 1e6,
    "μs": 1e6,
    "ms": 1e9,
    "s": 1e12,
}
#: q unit → factor to 1/angstrom.
Q_UNITS: dict[str, float] = {
    "1/angstrom": 1.0, "angstrom^-1": 1.0, "1/A": 1.0, "A^-1": 1.0, "1/Å": 1.0, "Å^-1": 1.0,
    "1/nm": 0.1, "nm^-1": 0.1,
}  # fmt: skip
#: Format names (and aliases, and file suffixes) → reader/writer.
FORMATS = {"text": "text", "txt": "text", "csv": "text", "dat": "text", "hdf5": "hdf5", "h5": "hdf5", "hdf": "hdf5",
           "mat": "mat", "netcdf": "netcdf", "nc": "netcdf"}  # fmt: skip


def resolve_format(path: str | os.PathLike[str], format: str | None) -> str:  # noqa: A002 - the brief's name
    """``text``, ``hdf5``, ``mat`` or ``netcdf`` from a format name or alias, or from the suffix.

    Raises
    ------
    ObservationError
        For an unknown name or suffix.
    """
    key = (format or Path(path).suffix.lstrip(".")).lower()
    if key not in FORMATS:
        raise fail(
            path,
            "format",
            f"unknown format {key!r}",
            f"one of {sorted(set(FORMATS.values()))} (or aliases {sorted(FORMATS)})",
        )
    return FORMATS[key]


def unit_factor(path: str | os.PathLike[str], label: str, unit: str, table: dict[str, float]) -> float:
    """Factor from ``unit`` to the contract's unit (``table``: :data:`DELAY_UNITS` or :data:`Q_UNITS`).

    Raises
    ------
    ObservationError
        For a unit not in ``table``, naming the file and the variable.
    """
    if unit not in table:
        raise fail(path, label, f"unknown unit {unit!r}", f"one of {', '.join(table)}")
    return table[unit]


@dataclass
class RawObservation:
    """An observation as read: values in the units of the file, ΔS and σ of shape (n_q, n_tau).

    Attributes
    ----------
    q, tau : ndarray, shapes (n_q,), (n_tau,)
        Axes as stored.
    delta_s, sigma : ndarray, shape (n_q, n_tau)
        Difference signal and its standard errors.
    q_unit : str
        Unit of ``q`` as read.
    delay_units : tuple of str
        Unit of every delay as read (a text header may label each delay).
    names : dict
        Contract name → name in the file (for error messages).
    attrs : dict
        Attributes found in the file (``sample``, ``signal_unit``, ``sigma_file``, …).
    """

    q: NDArray[np.float64]
    tau: NDArray[np.float64]
    delta_s: NDArray[np.float64]
    sigma: NDArray[np.float64]
    q_unit: str
    delay_units: tuple[str, ...]
    names: dict[str, str] = field(default_factory=lambda: dict(CONTRACT_NAMES))
    attrs: dict[str, Any] = field(default_factory=dict)


def resolve_names(variables: dict[str, str] | None) -> dict[str, str]:
    """Contract name → file name, the defaults updated by ``variables``.

    Raises
    ------
    ValueError
        For a key that is not one of ``q, tau, delta_s, sigma``.
    """
    names = dict(CONTRACT_NAMES)
    unknown = set(variables or {}) - set(names)
    if unknown:
        raise ValueError(f"variables: unknown key(s) {sorted(unknown)}; expected a subset of {sorted(names)}")
    names.update(variables or {})
    return names


def _is_matlab(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(19) == b"MATLAB 7.3 MAT-file"


def _h5_array(h5: Any, path: Path, key: str, name: str) -> NDArray[np.float64]:
    """A numeric HDF5 dataset as a float array."""
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 readers

    obj = h5.get(name)
    if not isinstance(obj, h5py.Dataset):
        found = ", ".join(sorted(h5.keys()))
        what = "missing" if obj is None else "a group, not a dataset"
        raise fail(path, f"'{name}' ({key})", f"HDF5 dataset {what} (found: {found})", "a numeric dataset of that name")
    matlab_class = obj.attrs.get("MATLAB_class", b"double")
    if obj.dtype.kind not in "iuf" or (isinstance(matlab_class, bytes) and matlab_class == b"char"):
        raise fail(path, f"'{name}' ({key})", f"dtype {obj.dtype} is not numeric", "a numeric (real) array")
    return np.asarray(obj[()], dtype=float)


def _vector(path: Path, label: str, values: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.squeeze(values)
    if out.ndim > 1:
        raise fail(path, label, f"shape {values.shape}", "a vector (singleton dimensions are squeezed)")
    return np.atleast_1d(out)


def orient(
    path: Path, label: str, values: NDArray[np.float64], n_q: int, n_tau: int, *, tau_first_if_square: bool = False
) -> NDArray[np.float64]:
    """A stored matrix as (n_q, n_tau): either orientation, singleton dimensions squeezed.

    Parameters
    ----------
    path : pathlib.Path
        File (for the error message).
    label : str
        Variable as named in the message.
    values : ndarray
        The stored array.
    n_q, n_tau : int
        Lengths of the q and delay vectors.
    tau_first_if_square : bool
        For n_q = n_tau, whether the stored axis 0 is τ (MATLAB files: the stored array is the
        transpose of the MATLAB matrix, whose rows are q).

    Returns
    -------
    ndarray, shape (n_q, n_tau)

    Raises
    ------
    ObservationError
        If the shape is neither (n_q, n_tau) nor its transpose.
    """
    arr = np.squeeze(values)
    if arr.ndim <= 1 and arr.size == n_q * n_tau and 1 in (n_q, n_tau):
        return arr.reshape(n_q, n_tau)
    if arr.ndim == 2:
        if arr.shape == (n_q, n_tau) and not (n_q == n_tau and tau_first_if_square):
            return arr
        if arr.shape == (n_tau, n_q):
            return arr.T
    raise fail(path, label, f"shape {values.shape}", f"(n_q, n_tau) = ({n_q}, {n_tau}) or its transpose")


def read_hdf5(path: str | os.PathLike[str], variables: dict[str, str] | None = None) -> RawObservation:
    """Read q, delays, ΔS and σ from named datasets of an HDF5 file (also a MATLAB v7.3 ``.mat``).

    Parameters
    ----------
    path : str or path
        The file.
    variables : dict, optional
        Contract name → dataset name (paths such as ``"data/I"`` allowed), e.g.
        ``{"tau": "delay_ns", "delta_s": "I"}``; defaults ``q, tau, delta_s, sigma``.

    Returns
    -------
    RawObservation
        Units are not stored in the file: the caller supplies them.

    Raises
    ------
    ObservationError
        If the file is not HDF5, a dataset is missing or not numeric, or a shape does not match.
    """
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 readers

    path = Path(path)
    names = resolve_names(variables)
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise fail(path, "file", f"not a readable HDF5 file ({exc})", "HDF5 or a MATLAB v7.3 MAT-file") from exc
    with h5:
        arrays = {key: _h5_array(h5, path, key, name) for key, name in names.items()}
        sample = h5.attrs.get("sample")
    matlab = _is_matlab(path)
    q = _vector(path, f"'{names['q']}' (q)", arrays["q"])
    tau = _vector(path, f"'{names['tau']}' (tau)", arrays["tau"])
    mats = {
        key: orient(path, f"'{names[key]}' ({key})", arrays[key], q.size, tau.size, tau_first_if_square=matlab)
        for key in ("delta_s", "sigma")
    }
    attrs: dict[str, Any] = {"matlab": matlab}
    if sample is not None:
        attrs["sample"] = sample.decode() if isinstance(sample, bytes) else str(sample)
    return RawObservation(q, tau, mats["delta_s"], mats["sigma"], "", (), names, attrs)


def write_hdf5(raw: RawObservation, path: str | os.PathLike[str], *, matlab: bool = False) -> Path:
    """Write a :class:`RawObservation` as HDF5 datasets named by ``raw.names``.

    Parameters
    ----------
    raw : RawObservation
        Arrays in the units to store.
    path : str or path
        Target file.
    matlab : bool
        Write the MATLAB v7.3 layout: a 512-byte user block with the MAT-file header, every array
        stored as the transpose of the MATLAB matrix (ΔS is n_q × n_tau in MATLAB, q and τ are
        column vectors) with the ``MATLAB_class`` attribute.

    Returns
    -------
    pathlib.Path
    """
    import h5py  # noqa: PLC0415 - h5py only for the HDF5 writers

    path = Path(path)
    arrays = {"q": raw.q[:, None], "tau": raw.tau[:, None], "delta_s": raw.delta_s, "sigma": raw.sigma}
    with h5py.File(path, "w", userblock_size=512 if matlab else 0) as h5:
        for key, values in arrays.items():
            dset = h5.create_dataset(raw.names[key], data=values.T if matlab else np.squeeze(values))
            if matlab:
                dset.attrs["MATLAB_class"] = np.bytes_("double")
        if "sample" in raw.attrs and not matlab:
            h5.attrs["sample"] = str(raw.attrs["sample"])
    if matlab:
        header = MATLAB_HEADER.ljust(116) + b" " * 8 + b"\x00\x02" + b"IM"
        with open(path, "r+b") as fh:
            fh.write(header)
    return path


def read_netcdf(path: str | os.PathLike[str], variables: dict[str, str] | None = None) -> RawObservation:
    """Read an observation stored in the contract itself (netCDF), or with renamed variables.

    The ``units`` attributes of q and τ (if present) are the units as read; ``sample`` and the
    units of ΔS come from the file's attributes.

    Parameters
    ----------
    path : str or path
        The file.
    variables : dict, optional
        Contract name → variable name in the file (defaults: the contract names).

    Returns
    -------
    RawObservation
        ``q_unit`` and ``delay_units`` empty where the file has no ``units`` attribute.

    Raises
    ------
    ObservationError
        If the file is not netCDF, a variable is missing or its dimensions do not match.
    """
    path = Path(path)
    names = resolve_names(variables)
    try:
        with xr.open_dataset(path, engine="netcdf4") as handle:
            ds = handle.load()
    except Exception as exc:  # netCDF4 raises OSError/RuntimeError/ValueError variously
        raise fail(path, "file", f"not a readable netCDF file ({exc})", "a netCDF file") from exc
    for key, name in names.items():
        if name not in ds.variables:
            found = ", ".join(sorted(map(str, ds.variables)))
            raise fail(path, f"'{name}' ({key})", f"missing (found: {found})", "a variable of that name")
    q = _vector(path, f"'{names['q']}' (q)", ds[names["q"]].values)
    tau = _vector(path, f"'{names['tau']}' (tau)", ds[names["tau"]].values)
    mats = {}
    for key in ("delta_s", "sigma"):
        da = ds[names[key]]
        dims = (ds[names["q"]].dims[0], ds[names["tau"]].dims[0])
        if set(da.dims) != set(dims):
            raise fail(path, f"'{names[key]}' ({key})", f"dimensions {da.dims}", f"the dimensions of q and tau, {dims}")
        mats[key] = np.asarray(da.transpose(*dims).values, dtype=float)
    attrs = {k: ds.attrs[k] for k in ("sample",) if k in ds.attrs}
    if "units" in ds[names["delta_s"]].attrs:
        attrs["signal_unit"] = str(ds[names["delta_s"]].attrs["units"])
    tau_unit = str(ds[names["tau"]].attrs.get("units", ""))
    return RawObservation(
        q,
        tau,
        mats["delta_s"],
        mats["sigma"],
        str(ds[names["q"]].attrs.get("units", "")),
        (tau_unit,) * tau.size,
        names,
        attrs,
    )
