"""The observation contract's checks, errors and provenance (the contract: :mod:`kineticflow.halpha.observation`)."""

from __future__ import annotations

import os

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import UNITS
from kineticflow.core.io import ObservationError, file_sha256  # noqa: F401 - the branch's readers import them from here
from kineticflow.core.io import observation_error as fail
from kineticflow.halpha import lines

#: The contract's variables and their dimensions (what ``measure_lines`` reads).
CONTRACT = {
    "intensity": ("scan", "y", "x", "wavelength"),
    "t_s": ("scan", "x"),
    "wavelength": ("wavelength",),
    "delta_wavelength": ("wavelength",),
}
#: Optional variables of the contract, kept when present: the quiet reference, the line-scan clock of
#: an imaging cube, and what a simulation adds (photon counts, the noise-free intensity).
OPTIONAL = {
    "quiet_spectrum": ("wavelength",),
    "t_wavelength": ("scan", "wavelength"),
    "counts": CONTRACT["intensity"],
    "expected_intensity": CONTRACT["intensity"],
}
#: Attributes the analysis reads of the instrument.
INSTRUMENT_ATTRS = ("slit_fwhm_a", "continuum_counts")
#: Provenance attributes of the contract (reader, file(s) and their SHA-256), shown in the report.
PROVENANCE_ATTRS = ("reader", "source_file", "source_file_sha256")


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


def check_metadata(obs: xr.Dataset, source: str | os.PathLike[str] | None = None) -> None:
    """Raise unless the variables, axes and instrument attributes of ``obs`` are the contract's.

    The checks that need no intensity value (a file's header is enough): what
    :func:`check_contract` checks before the unit and the values.

    Parameters
    ----------
    obs : xarray.Dataset
        An observation as read (the intensity may be a placeholder).
    source : str or path, optional
        Name for the messages (default the ``source_file`` attribute).

    Raises
    ------
    ObservationError
        A missing variable or attribute, wrong dimensions, a wavelength that is not strictly
        increasing or inconsistent with ``delta_wavelength``.
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
        What :func:`check_metadata` refuses, a dimensional intensity, or non-finite intensities
        (the first named by scan, y, x and wavelength).
    """
    check_metadata(obs, source)
    src = str(source or obs.attrs.get("source_file", "") or "observation")
    if obs["intensity"].attrs.get("units") != "1":
        raise fail(src, "intensity", f"units {obs['intensity'].attrs.get('units')!r}", "'1' (normalise first)")
    check_finite_frames(src, obs["intensity"])


def contract_only(obs: xr.Dataset) -> xr.Dataset:
    """``obs`` without the variables that are neither in :data:`CONTRACT` nor in :data:`OPTIONAL`.

    A file's further image extensions (a second Stokes map, a mask, an error map in the file's own
    unit) are dropped, and so is an optional variable whose unit is not registered
    (:data:`kineticflow.core.attrs.UNITS`), so that what the workflow writes is the contract.
    """
    keep = set(CONTRACT) | set(obs.dims)
    keep |= {n for n in OPTIONAL if n in obs.variables and str(obs[n].attrs.get("units")) in UNITS}
    return obs.drop_vars([str(n) for n in obs.variables if str(n) not in keep])


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


def provenance_rows(name: str, obs: xr.Dataset, hxr: xr.Dataset | None = None) -> list[dict[str, str]]:
    """Rows of the report's provenance table: one per file read (observation files, then the HXR curve).

    Parameters
    ----------
    name : str
        The observation's name (``halpha.observations``).
    obs : xarray.Dataset
        The contract as read (attributes ``reader``, ``source_file``, ``source_file_sha256``, ...).
    hxr : xarray.Dataset, optional
        The HXR light curve read for it (attributes ``source_file``, ``source_file_sha256``).

    Returns
    -------
    list of dict
        ``observation``, ``role``, ``reader``, ``file``, ``sha256``, ``wavelength_medium``,
        ``intensity_unit_read``, ``quiet_reference``, ``date_obs``.
    """
    files = str(obs.attrs.get("source_file", "")).split(";")
    sums = str(obs.attrs.get("source_file_sha256", "")).split(";")
    common = {k: str(obs.attrs.get(k, "")) for k in ("wavelength_medium", "intensity_unit_read", "quiet_reference")}
    rows = [
        {
            "observation": name,
            "role": "observation",
            "reader": str(obs.attrs.get("reader", "")),
            "file": f,
            "sha256": h,
            **common,
            "date_obs": str(obs.attrs.get("date_obs", "")),
        }
        for f, h in zip(files, sums + [""] * (len(files) - len(sums)), strict=False)
    ]
    if hxr is not None:
        rows.append(
            {
                "observation": name,
                "role": "hard X-ray light curve",
                "reader": "hxr_curve",
                "file": str(hxr.attrs.get("source_file", "")),
                "sha256": str(hxr.attrs.get("source_file_sha256", "")),
                **dict.fromkeys(common, ""),
                "date_obs": str(hxr.attrs.get("date_obs", "")),
            }
        )
    return rows
