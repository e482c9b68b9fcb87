"""An Hα observation read into one contract: slit-spectrograph rasters and imaging-spectroscopy cubes.

Your own data
-------------

A raster of a stepped slit spectrograph or a line scan of an imaging spectrometer enters the
analysis (rule ``measure_lines`` onward) as one dataset, the *observation contract* — the same
dataset the simulated instrument writes (``observed.nc``):

| name | dims | units | meaning |
|---|---|---|---|
| `intensity` | (`scan`, `y`, `x`, `wavelength`) | `1` | intensity in units of the quiet-Sun continuum I_c |
| `t_s` | (`scan`, `x`) | `s` | exposure time of slit position x in scan, since `date_obs` |
| `wavelength` | (`wavelength`) | `angstrom` | wavelength in air, strictly increasing |
| `delta_wavelength` | (`wavelength`) | `angstrom` | offset from Hα in air, λ − 6562.80 Å |
| `scan`, `y`, `x` | own | `1`, `pixel`, `pixel` | raster scan, pixel along the slit, slit position |
| `t_wavelength` (cubes) | (`scan`, `wavelength`) | `s` | time of each line-scan position |
| `quiet_spectrum` (optional) | (`wavelength`) | `1` | the quiet-Sun reference spectrum / I_c |

``t_s`` is the issue's ``time(scan, x)``: the name ``time`` is the registered one-dimensional axis
of light curves (:data:`kineticflow.core.attrs.DIMS`), so the two-dimensional exposure clock keeps
the simulation's name. An imaging cube sees every ``x`` of a scan at once but each wavelength at
its own time: ``t_wavelength`` keeps those, and ``t_s`` is their mean over the line scan.

Global attributes: ``reader`` (``fits_raster``, ``fits_cube``, ``netcdf`` or ``simulated``),
``source_file`` (the file(s) read, ``;``-separated), ``source_file_sha256`` (their SHA-256,
``;``-separated), ``wavelength_medium`` (``air``, or ``vacuum, converted to air (Morton 2000)``),
``intensity_unit_read`` (the file's intensity unit, e.g. ``DN``, ``count``), ``quiet_reference``
(what the intensity was divided by: ``scan 0``, ``box y 0:8 x 0:10 ...``, ``level``, or ``none``),
``quiet_level`` (that level, in ``intensity_unit_read``), ``quiet_level_ic`` (the quiet Sun's
intensity there in units of I_c: 1 when the reference points are continuum), ``quiet_wing_a``
(the reference points are ``|Δλ| ≥ quiet_wing_a``), ``date_obs`` (ISO UTC of ``t_s = 0``, or
empty), and what the analysis needs of the instrument: ``slit_fwhm_a`` (FWHM of the spectral
instrument profile [Å]) and ``continuum_counts`` (photons per spectral pixel at I_c, the counting
noise of a difference spectrum).

Read a file with ``read_observation(path, format, quiet=..., slit_fwhm_a=..., **options)``:

* **FITS raster** (``format="fits_raster"``): a level-2 slit-spectrograph file laid out as sunraster
  reads IRIS and SPICE rasters. The axes are found by their WCS ``CTYPE``: ``AWAV`` (air) or
  ``WAVE`` (vacuum, converted to air and recorded) the wavelength, linear in ``CUNIT`` Angstrom,
  nm or m; ``HPLT`` the pixel along the slit; ``HPLN`` the raster step; ``TIME``/``UTC`` the scan
  (``axes={"wavelength": 1, "y": 2, "x": 3, "scan": 4}`` for other labels). Per-step times: a
  binary-table column ``TIME`` (s since ``DATE-OBS``, ``TUNIT`` converted), else the scan axis plus
  ``x × step_s`` (or the header's ``STEPT_AV``). Several scans: a fourth axis, or a list of files
  in time order (each ``DATE-OBS`` places its scan; ``t0`` sets ``t_s = 0``, default the first).
* **FITS cube** (``format="fits_cube"``): imaging spectroscopy (IBIS, CRISP), axes scan × line
  position × y × x, the non-uniform line positions as a ``-TAB`` axis (FITS WCS Paper III), a
  table column (``wavelength_table=(hdu, column)``) or a list (``wavelengths=[...]``) with
  ``wavelength_medium``; a ``TIME`` column per scan and line position keeps the line-scan timing.
* **netCDF** (``format="netcdf"``): the contract itself (e.g. ``observed.nc``).

Further FITS options: ``hdu``, ``stokes`` (index of Stokes I), ``crop={"y": [a, b], "x": [c, d]}``,
``times`` (explicit ``t_s``). The quiet reference (:func:`normalise`) is a pre-flare scan
``{"scan": 0}``, a pixel box ``{"box": [y0, y1, x0, x1]}`` (half-open index ranges, every scan
unless ``scan`` is given too) or a known level ``{"level": L}`` in the file's unit; the region's
mean spectrum is divided by its mean at the outer wavelengths (``|Δλ| ≥ wing_a``), whose quiet
intensity in units of I_c is ``level_ic`` (1 at the continuum; an atlas value for a narrow line
scan). ``continuum_counts`` follows from the level for intensities in counts and must be given
for other units. A file that cannot be read as an observation (a missing axis or dataset, an
unknown unit, a non-monotonic wavelength, a time table of the wrong length, NaN-only exposures)
raises :class:`ObservationError` with one line: the file, the variable or axis, and what was
expected. :mod:`kineticflow.halpha.fits_writers` writes both FITS layouts (round trip: the same
arrays back); ``resources/halpha_observed_raster.fits`` is a small simulated raster in counts
(:mod:`kineticflow.halpha.observation_example`; read it with ``quiet={"scan": 0}``, ``level_ic``
0.984, ``slit_fwhm_a`` 0.15). The hard X-ray light curve for the timing (CSV ``time_s, rate`` or a
FITS table): :mod:`kineticflow.halpha.hxr_curve`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.halpha.air_vacuum import VACUUM_CONVERTED, air_from_vacuum, vacuum_from_air
from kineticflow.halpha.fits_readers import read_fits
from kineticflow.halpha.observation_contract import (
    CONTRACT,
    INSTRUMENT_ATTRS,
    ObservationError,
    check_contract,
    check_finite_frames,
    check_metadata,
    fail,
    file_sha256,
    to_contract,
)
from kineticflow.halpha.quiet import check_reference, normalise

__all__ = [
    "CONTRACT",
    "FORMATS",
    "INSTRUMENT_ATTRS",
    "VACUUM_CONVERTED",
    "ObservationError",
    "air_from_vacuum",
    "check_contract",
    "check_observation_file",
    "normalise",
    "read_observation",
    "to_contract",
    "vacuum_from_air",
]

#: Readers of :func:`read_observation`.
FORMATS = ("fits_raster", "fits_cube", "netcdf")


def _read_netcdf(path: str | os.PathLike[str], load: bool = True) -> xr.Dataset:
    """The contract from a netCDF file (written by ``write_dataset`` or by the user).

    Without ``load`` only the coordinates are read; ``intensity`` is a zero placeholder of its shape.
    """
    try:
        with xr.open_dataset(path) as handle:
            ds = handle.load() if load else _placeholder(handle)
    except ObservationError:
        raise
    except Exception as exc:  # netCDF4/h5netcdf raise OSError, ValueError, ... variously
        raise fail(path, "file", f"not readable as netCDF ({type(exc).__name__}: {exc})", "a netCDF-4 file") from exc
    for name, dims in CONTRACT.items():
        if name not in ds.variables:
            raise fail(path, name, f"missing (found {sorted(map(str, ds.variables))})", f"a variable {name}{dims}")
    ds.attrs.setdefault("intensity_unit_read", str(ds["intensity"].attrs.get("units", "")))
    ds.attrs.setdefault("wavelength_medium", "air")
    ds.attrs.setdefault("date_obs", "")
    return ds


def _placeholder(handle: xr.Dataset) -> xr.Dataset:
    """The coordinates of an open netCDF file, its data variables replaced by zero placeholders."""
    ds = handle.drop_vars(list(handle.data_vars)).load()
    for name, da in handle.data_vars.items():
        ds[name] = xr.DataArray(np.broadcast_to(np.float32(0.0), da.shape), dims=da.dims, attrs=da.attrs)
    return ds


def _open(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], format: str, load: bool, options: Mapping[str, Any]
) -> tuple[list[Path], xr.Dataset]:
    """The files of ``path`` and their contract as read (intensity in the file's unit)."""
    if format not in FORMATS:
        raise fail(
            path if isinstance(path, (str, os.PathLike)) else "observation", "format", repr(format), f"one of {FORMATS}"
        )
    paths = [Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path]
    for p in paths:
        if not p.is_file():
            raise fail(p, "file", "does not exist", "an existing file")
    if format == "netcdf":
        if len(paths) != 1 or options:
            raise fail(
                paths[0], "netcdf", f"{len(paths)} file(s), options {sorted(options)}", "one file, no reader options"
            )
        return paths, _read_netcdf(paths[0], load)
    return paths, read_fits(paths, cube=format == "fits_cube", load=load, **options)


def _normalised(obs: xr.Dataset, quiet: Mapping[str, Any] | None) -> bool:
    """Whether ``obs`` is already in units of I_c (no ``quiet`` given, dimensionless, a recorded reference)."""
    return quiet is None and obs["intensity"].attrs.get("units") in ("", "1") and "quiet_reference" in obs.attrs


def check_observation_file(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str,
    *,
    quiet: Mapping[str, Any] | None = None,
    wing_a: float | None = None,
    level_ic: float = 1.0,
    slit_fwhm_a: float | None = None,
    continuum_counts: float | None = None,
    **options: Any,
) -> xr.Dataset:
    """Check a file against the contract from its headers only: what :func:`read_observation` needs.

    The workflow's config check runs this for every configured observation before any job, so a bad
    file stops the run in one line without reading its data: the format, the file(s), the axes and
    their units, a monotonic wavelength containing Hα, the times, the reader options, the quiet
    reference against the data's shape and the instrument attributes. What only the values show
    (NaN exposures, a zero quiet level) is left to :func:`read_observation`.

    Parameters
    ----------
    path, format, quiet, wing_a, level_ic, slit_fwhm_a, continuum_counts, **options
        As in :func:`read_observation`.

    Returns
    -------
    xarray.Dataset
        The contract's coordinates and attributes; ``intensity`` is a zero placeholder of its shape.

    Raises
    ------
    ObservationError
        One line naming the file, the variable or axis and what was expected.
    """
    paths, obs = _open(path, format, False, options)
    obs.attrs.update(reader=format, source_file=";".join(str(p) for p in paths))
    if slit_fwhm_a is not None:
        obs.attrs["slit_fwhm_a"] = float(slit_fwhm_a)
    if continuum_counts is not None:
        obs.attrs["continuum_counts"] = float(continuum_counts)
    if not _normalised(obs, quiet):
        check_reference(obs, quiet, wing_a=wing_a, level_ic=level_ic, continuum_counts=continuum_counts)
        obs.attrs.setdefault("continuum_counts", 1.0)  # placeholder: the quiet level of a count unit sets it
    check_metadata(obs)
    return obs


def read_observation(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str,
    *,
    quiet: Mapping[str, Any] | None = None,
    wing_a: float | None = None,
    level_ic: float = 1.0,
    slit_fwhm_a: float | None = None,
    continuum_counts: float | None = None,
    **options: Any,
) -> xr.Dataset:
    """Read an Hα observation into the contract (module docstring), normalised and checked.

    Parameters
    ----------
    path : str, path or sequence of them
        The file; for ``fits_raster`` a list of files, one (or more) scans each, in time order.
    format : {"fits_raster", "fits_cube", "netcdf"}
        The reader.
    quiet, wing_a, level_ic, continuum_counts
        The quiet-Sun reference: :func:`normalise`.
    slit_fwhm_a : float, optional
        FWHM of the spectral instrument profile [Å] (the file's ``slit_fwhm_a`` if absent).
    **options
        Reader options: :func:`kineticflow.halpha.fits_readers.read_fits`.

    Returns
    -------
    xarray.Dataset
        The contract: ``intensity(scan, y, x, wavelength)`` / I_c, ``t_s(scan, x)`` [s], air
        ``wavelength`` and ``delta_wavelength`` [Å], provenance and instrument attributes.

    Raises
    ------
    ObservationError
        One line naming the file, the variable or axis and what was expected.
    """
    paths, obs = _open(path, format, True, options)
    check_finite_frames(paths[0], obs["intensity"])
    obs.attrs.update(
        reader=format,
        source_file=";".join(str(p) for p in paths),
        source_file_sha256=";".join(file_sha256(p) for p in paths),
    )
    if slit_fwhm_a is not None:
        obs.attrs["slit_fwhm_a"] = float(slit_fwhm_a)
    if _normalised(obs, quiet):
        obs["intensity"].attrs.update(units="1", long_name="observed intensity / quiet continuum")  # normalised before
        if continuum_counts is not None:
            obs.attrs["continuum_counts"] = float(continuum_counts)
    else:
        obs = normalise(obs, quiet, wing_a=wing_a, level_ic=level_ic, continuum_counts=continuum_counts)
    check_contract(obs)
    return obs
