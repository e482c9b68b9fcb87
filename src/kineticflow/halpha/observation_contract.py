"""The observation contract's checks, errors and provenance (the contract: :mod:`kineticflow.halpha.observation`)."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.io import DataFileError
from kineticflow.halpha import lines

#: The contract's variables and their dimensions (what ``measure_lines`` reads).
CONTRACT = {
    "intensity": ("scan", "y", "x", "wavelength"),
    "t_s": ("scan", "x"),
    "wavelength": ("wavelength",),
    "delta_wavelength": ("wavelength",),
}
#: Attributes the analysis reads of the instrument.
INSTRUMENT_ATTRS = ("slit_fwhm_a", "continuum_counts")


class ObservationError(DataFileError):
    """A file that cannot be read as an Hα observation; one line: file, variable, expectation."""


def fail(path: str | os.PathLike[str], name: str, found: str, expected: str) -> ObservationError:
    """The one-line error ``<file>: <variable or axis>: <found>; expected <expectation>``."""
    text = f"{path}: {name}: {found}; expected {expected}"
    return ObservationError(" ".join(text.split()))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def to_contract(simulated: xr.Dataset) -> xr.Dataset:
    """The simulated observation (rule ``observe_slit_scan``) with the contract's provenance attributes.

    The simulation already has the contract's variables (``intensity = counts / continuum_counts``,
    ``t_s``, ``wavelength`` in air, ``delta_wavelength``); this adds ``reader = "simulated"``, the
    medium and the quiet reference (the expected counts at the quiet continuum). No value changes.

    Parameters
    ----------
    simulated : xarray.Dataset
        Output of ``observe_slit_scan`` (attribute ``continuum_counts``).

    Returns
    -------
    xarray.Dataset
        A shallow copy with the attributes of the contract (:mod:`kineticflow.halpha.observation`).
    """
    ds = simulated.copy()
    ds.attrs.update(
        reader="simulated",
        source_file="",
        source_file_sha256="",
        wavelength_medium="air",
        intensity_unit_read="count",
        quiet_reference="level",
        quiet_level=float(simulated.attrs["continuum_counts"]),
        quiet_level_ic=1.0,
        quiet_wing_a=float("nan"),
        date_obs=str(simulated.attrs.get("date_obs", "")),
    )
    return ds


def check_contract(obs: xr.Dataset, source: str | os.PathLike[str] | None = None) -> None:
    """Raise unless ``obs`` is the contract the analysis reads (:mod:`kineticflow.halpha.observation`).

    Parameters
    ----------
    obs : xarray.Dataset
        A normalised observation.
    source : str or path, optional
        Name for the messages (default the ``source_file`` attribute).

    Raises
    ------
    ObservationError
        A missing variable or attribute, wrong dimensions, a wavelength that is not strictly
        increasing or inconsistent with ``delta_wavelength``, a dimensional intensity, or
        non-finite intensities (the first named by scan, y, x and wavelength).
    """
    src = str(source or obs.attrs.get("source_file", "") or "observation")
    for name, dims in CONTRACT.items():
        if name not in obs.variables:
            raise fail(src, name, "missing", f"a variable or coordinate {name}{dims}")
        if tuple(obs[name].dims) != dims:
            raise fail(src, name, f"dims {tuple(obs[name].dims)}", f"{dims}")
    for attr in INSTRUMENT_ATTRS:
        if attr not in obs.attrs or not np.isfinite(float(obs.attrs[attr])):
            raise fail(src, attr, "missing", f"attribute {attr} (give it as an option of read_observation)")
    wl = obs["wavelength"].values
    check_increasing(src, "wavelength", wl)
    if np.max(np.abs(wl - lines.HALPHA_AIR_A - obs["delta_wavelength"].values)) > 1e-6:
        raise fail(src, "delta_wavelength", "not wavelength - 6562.80", "the offset from Halpha in air [angstrom]")
    if obs["intensity"].attrs.get("units") != "1":
        raise fail(src, "intensity", f"units {obs['intensity'].attrs.get('units')!r}", "'1' (normalise first)")
    check_finite_frames(src, obs["intensity"])


def check_increasing(source: str | os.PathLike[str], name: str, values: NDArray[np.float64]) -> None:
    """Raise unless ``values`` are finite and strictly increasing.

    Raises
    ------
    ObservationError
        Naming ``source``, ``name`` and the first index where the values do not increase.
    """
    if not np.all(np.isfinite(values)):
        raise fail(source, name, "non-finite values", "finite values")
    bad = np.flatnonzero(np.diff(values) <= 0)
    if bad.size:
        i = int(bad[0])
        raise fail(
            source,
            name,
            f"not monotonic at index {i + 1} ({values[i]:.6f} then {values[i + 1]:.6f})",
            "strictly increasing values",
        )


def check_finite_frames(source: str | os.PathLike[str], intensity: xr.DataArray) -> None:
    """Raise on a NaN-only exposure or on any non-finite intensity.

    Parameters
    ----------
    source : str or path
        The file, for the message.
    intensity : xarray.DataArray, dims (scan, y, x, wavelength)
        The intensity as read.

    Raises
    ------
    ObservationError
        The number of NaN-only exposures (scan, x) and the first, else the number of NaN/Inf values
        and the first (scan, y, x, wavelength index).
    """
    values = np.asarray(intensity.values)
    finite = np.isfinite(values)
    if finite.all():
        return
    empty = ~finite.any(axis=(1, 3))
    if empty.any():
        s, x = (int(i) for i in np.argwhere(empty)[0])
        raise fail(
            source,
            "intensity",
            f"{int(empty.sum())} NaN-only exposure(s), first scan {s} x {x}",
            "data in every exposure",
        )
    s, y, x, w = (int(i) for i in np.argwhere(~finite)[0])
    raise fail(
        source,
        "intensity",
        f"{int((~finite).sum())} NaN/Inf value(s), first at scan {s} y {y} x {x} wavelength index {w}",
        "finite values (crop the field with crop={'y': [y0, y1], 'x': [x0, x1]})",
    )
