"""FITS WCS axes of Hα observations: which axis is what, and the wavelengths of the spectral one.

The axes are found by their ``CTYPE`` (FITS WCS Papers I–III, as sunraster/ndcube read level-2
rasters): ``AWAV`` (air) or ``WAVE`` (vacuum) the spectral axis, ``HPLT`` along the slit (``y``),
``HPLN`` the raster step or image column (``x``), ``TIME``/``UTC`` the scan, ``STOKES`` (Stokes I is
taken); other layouts name them with ``axes={"wavelength": 1, "y": 2, "x": 3, "scan": 4}``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from astropy import units as u
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning
from numpy.typing import NDArray

from kineticflow.halpha import lines
from kineticflow.halpha.air_vacuum import VACUUM_CONVERTED, air_from_vacuum
from kineticflow.halpha.observation_contract import fail

#: CTYPE prefixes (first four characters) of each role.
ROLES = {"wavelength": ("AWAV", "WAVE"), "y": ("HPLT",), "x": ("HPLN",), "scan": ("TIME", "UTC"), "stokes": ("STOK",)}
#: Spectral CTYPEs this reader does not convert.
OTHER_SPECTRAL = ("FREQ", "ENER", "WAVN", "VRAD", "VOPT", "ZOPT", "VELO", "BETA")


def unit_factor(path: str | os.PathLike[str], name: str, unit: str | None, to: u.Unit) -> float:
    """Factor converting the FITS unit string ``unit`` to ``to`` (Å or s).

    Parameters
    ----------
    path, name : str
        File and keyword (``CUNIT3``, ``TIME (TUNIT)``) for the message.
    unit : str or None
        The unit as written (FITS standard: ``Angstrom``, ``nm``, ``m``, ``s``, ``ms``).
    to : astropy.units.Unit
        Target unit.

    Returns
    -------
    float
        Multiply values in ``unit`` by it to get ``to``.

    Raises
    ------
    ObservationError
        A missing unit, one astropy does not parse as a FITS unit, or one of another dimension.
    """
    if unit is None or not str(unit).strip():
        raise fail(path, name, "no unit", f"a unit convertible to {to}")
    try:
        return float(u.Unit(str(unit).strip(), format="fits").to(to))
    except (ValueError, u.UnitConversionError, TypeError) as exc:
        raise fail(path, name, f"unit {unit!r} ({type(exc).__name__})", f"a FITS unit convertible to {to}") from None


def image_hdu(hdul: fits.HDUList, hdu: int | str | None, path: Path) -> int:
    """Index of the data HDU: ``hdu`` (index or EXTNAME) or the first image with three or more axes.

    Raises
    ------
    ObservationError
        ``hdu`` not in the file, or no image of three or more axes.
    """
    if hdu is not None:
        try:
            index = hdul.index_of(hdu)
        except (KeyError, IndexError):
            raise fail(path, f"HDU {hdu!r}", "not in the file", "an image HDU of that name or index") from None
        return int(index)
    for index, h in enumerate(hdul):
        if isinstance(h, (fits.PrimaryHDU, fits.ImageHDU)) and h.header.get("NAXIS", 0) >= 3:
            return index
    raise fail(
        path,
        "data",
        "no image HDU with three or more axes",
        "a (raster step, slit, wavelength) or (time, wavelength, y, x) array",
    )


def axis_roles(header: fits.Header, axes: Mapping[str, int] | None, path: Path) -> dict[str, int]:
    """FITS axis number (1-based) of each role (wavelength, y, x, scan, stokes).

    Parameters
    ----------
    header : astropy.io.fits.Header
        Header of the data HDU.
    axes : mapping, optional
        Role -> FITS axis number, overriding the ``CTYPE`` prefixes of :data:`ROLES`.
    path : pathlib.Path
        The file, for the messages.

    Returns
    -------
    dict
        Role -> axis number; ``scan`` and ``stokes`` only when present.

    Raises
    ------
    ObservationError
        A frequency/energy/velocity spectral axis, no wavelength, slit (y) or x axis, or an axis of
        length > 1 that is none of them.
    """
    n = int(header["NAXIS"])
    ctypes = {i: str(header.get(f"CTYPE{i}", "")).upper() for i in range(1, n + 1)}
    found: dict[str, int] = {}
    for i, ctype in ctypes.items():
        for role, prefixes in ROLES.items():
            if ctype.startswith(prefixes):
                found.setdefault(role, i)
        if ctype.startswith(OTHER_SPECTRAL):
            raise fail(path, f"spectral axis CTYPE{i}", repr(ctype), "'AWAV' (air) or 'WAVE' (vacuum) wavelength")
    found.update({k: int(v) for k, v in (axes or {}).items()})
    missing = [r for r in ("wavelength", "y", "x") if r not in found]
    if missing:
        what = {"wavelength": "spectral axis", "y": "slit axis (y)", "x": "x axis (raster step or image column)"}[
            missing[0]
        ]
        raise fail(
            path,
            what,
            f"none among CTYPEs {list(ctypes.values())}",
            f"a CTYPE {ROLES[missing[0]]} or axes={{'{missing[0]}': n}}",
        )
    extra = [i for i in ctypes if i not in found.values() and int(header[f"NAXIS{i}"]) > 1]
    if extra:
        i = extra[0]
        raise fail(path, f"axis {i} CTYPE{i}", repr(ctypes[i]), "wavelength, y, x, scan or Stokes axes (or axes={...})")
    return found


def open_wcs(header: fits.Header, hdul: fits.HDUList, roles: Mapping[str, int], path: Path, listed: bool) -> WCS:
    """The astropy WCS of the data header (``-TAB`` axes read from their tables in ``hdul``).

    Parameters
    ----------
    header : astropy.io.fits.Header
        Header of the data HDU.
    hdul : astropy.io.fits.HDUList
        The open file.
    roles : mapping
        :func:`axis_roles`.
    path : pathlib.Path
        The file, for the messages.
    listed : bool
        Wavelengths come from an option, not from the WCS (its spectral keywords are not checked).

    Returns
    -------
    astropy.wcs.WCS
        The WCS of every axis.

    Raises
    ------
    ObservationError
        A spectral axis that is not ``AWAV``/``WAVE`` or lacks a length ``CUNIT``, a WCS astropy
        refuses (singular matrix, bad ``-TAB`` table), or a wavelength coupled to position.
    """
    i = roles["wavelength"]
    if not listed:
        if not str(header.get(f"CTYPE{i}", "")).upper().startswith(ROLES["wavelength"]):
            raise fail(
                path, f"spectral axis CTYPE{i}", repr(header.get(f"CTYPE{i}")), "'AWAV' (air) or 'WAVE' (vacuum)"
            )
        unit_factor(path, f"CUNIT{i}", header.get(f"CUNIT{i}"), u.AA)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FITSFixedWarning)
            wcs = WCS(header, fobj=hdul)
    except Exception as exc:  # astropy.wcs raises its own InvalidTransformError, ValueError, ...
        text = " ".join(line for line in str(exc).splitlines() if line and not line.startswith("ERROR"))
        raise fail(path, "WCS", f"{type(exc).__name__}: {text or exc}", "a valid FITS WCS header") from None
    corr = wcs.axis_correlation_matrix
    if corr[i - 1].sum() > 1 or corr[:, i - 1].sum() > 1:
        raise fail(
            path,
            f"spectral axis {i}",
            "coupled to other axes by the PC/CD matrix",
            "a wavelength independent of position",
        )
    return wcs


def _linear_offsets(header: fits.Header, i: int, n: int, factor: float) -> NDArray[np.float64]:
    """Offsets from Hα [Å] of a linear spectral axis, in the header's own numbers (no SI round trip)."""
    if f"CD{i}_{i}" in header:
        step = float(header[f"CD{i}_{i}"])
    else:
        step = float(header.get(f"CDELT{i}", 1.0)) * float(header.get(f"PC{i}_{i}", 1.0))
    crval, crpix = float(header.get(f"CRVAL{i}", 0.0)), float(header.get(f"CRPIX{i}", 0.0))
    return np.asarray(
        (crval * factor - lines.HALPHA_AIR_A) + step * factor * (np.arange(n) + 1.0 - crpix), dtype=np.float64
    )


def world_values(wcs: WCS, i: int, n: int) -> tuple[NDArray[np.float64], str]:
    """World coordinates of the ``n`` pixels of axis ``i`` (1-based), the other axes at pixel 0, and their unit.

    astropy gives linear spectral axes in SI (m) and keeps ``-TAB`` axes in their ``CUNIT``; the
    unit returned is the one the values are in.
    """
    sub = wcs.sub([i])
    return np.asarray(sub.pixel_to_world_values(np.arange(n)), dtype=float), str(sub.wcs.cunit[0])


def _listed(hdul: fits.HDUList, n: int, path: Path, opts: Mapping[str, Any]) -> NDArray[np.float64]:
    """Wavelengths [Å] of the ``wavelengths`` option or of a ``wavelength_table=(HDU, column)``."""
    if opts.get("wavelengths") is not None:
        values = np.asarray(opts["wavelengths"], dtype=float)
        unit = opts.get("wavelength_unit", "Angstrom")
    else:
        hdu, column = opts["wavelength_table"]
        try:
            col = hdul[hdu].columns[column]
        except (KeyError, IndexError, AttributeError):
            raise fail(path, f"wavelength table {hdu!r}", f"no column {column!r}", "the line positions") from None
        values, unit = np.asarray(hdul[hdu].data[col.name], dtype=float).ravel(), opts.get("wavelength_unit", col.unit)
    if values.shape != (n,) or opts.get("wavelength_medium") not in ("air", "vacuum"):
        found = f"{values.shape} values, wavelength_medium {opts.get('wavelength_medium')!r}"
        raise fail(path, "wavelengths", found, f"({n},) line positions and wavelength_medium 'air' or 'vacuum'")
    return values * unit_factor(path, "wavelength unit", unit, u.AA)


def _tab_offsets(hdul: fits.HDUList, header: fits.Header, i: int, wl: NDArray[np.float64]) -> NDArray[np.float64]:
    """Offsets from Hα: the ``-TAB`` table's ``DELTA_AIR`` column when it matches (exact), else ``wl − λ0``."""
    name = header.get(f"PS{i}_0")
    if name in hdul and "DELTA_AIR" in hdul[name].columns.names:
        dl = np.asarray(hdul[name].data["DELTA_AIR"], dtype=float).ravel()
        if dl.shape == wl.shape and np.allclose(lines.HALPHA_AIR_A + dl, wl, rtol=0, atol=1e-9):
            return dl
    return wl - lines.HALPHA_AIR_A


def _exact_offsets(hdul: fits.HDUList, dl: NDArray[np.float64]) -> NDArray[np.float64]:
    """The offsets of a table ``DELTA_AIR`` (written beside a linear WCS) when they agree with ``dl`` to 1e-9 Å."""
    if "DELTA_AIR" in hdul and "DELTA_AIR" in getattr(hdul["DELTA_AIR"], "columns", fits.ColDefs([])).names:
        exact = np.asarray(hdul["DELTA_AIR"].data["DELTA_AIR"], dtype=float).ravel()
        if exact.shape == dl.shape and np.allclose(exact, dl, rtol=0, atol=1e-9):
            return exact
    return dl


def spectral_axis(
    hdul: fits.HDUList, header: fits.Header, wcs: WCS, i: int, n: int, path: Path, opts: Mapping[str, Any]
) -> tuple[NDArray[np.float64], NDArray[np.float64], str]:
    """Air wavelengths and offsets from Hα [Å] of the spectral axis ``i``, and the medium recorded.

    From the ``wavelengths``/``wavelength_table`` options, else the WCS: a linear ``AWAV``/``WAVE``
    axis from its own keywords (offsets exact to rounding), any other algorithm code (``-TAB``,
    ``-LOG``) through astropy. Vacuum wavelengths are converted to air.

    Parameters
    ----------
    hdul, header, wcs
        The open file, the data header and :func:`open_wcs`.
    i, n : int
        FITS axis number and length.
    path : pathlib.Path
        The file, for the messages.
    opts : mapping
        Reader options (``wavelengths``, ``wavelength_table``, ``wavelength_medium``, ``wavelength_unit``).

    Returns
    -------
    tuple
        Air wavelengths (n,) [Å], offsets (n,) [Å], ``"air"`` or :data:`VACUUM_CONVERTED`.

    Raises
    ------
    ObservationError
        An unknown unit, a listed wavelength count unlike the axis, a missing medium or table column.

    References
    ----------
    E. W. Greisen et al., A&A 446, 747 (2006), FITS WCS Paper III; D. C. Morton, ApJS 130, 403 (2000).
    """
    ctype = str(header.get(f"CTYPE{i}", "")).upper()
    if opts.get("wavelengths") is not None or opts.get("wavelength_table") is not None:
        wl, medium = _listed(hdul, n, path, opts), str(opts["wavelength_medium"])
        dl = wl - lines.HALPHA_AIR_A
    elif ctype[4:].strip("-"):
        values, unit = world_values(wcs, i, n)
        wl, medium = (
            values * unit_factor(path, f"CUNIT{i}", unit, u.AA),
            "air" if ctype.startswith("AWAV") else "vacuum",
        )
        dl = _tab_offsets(hdul, header, i, wl)
    else:
        factor = unit_factor(path, f"CUNIT{i}", header.get(f"CUNIT{i}"), u.AA)
        dl = _exact_offsets(hdul, _linear_offsets(header, i, n, factor))
        wl, medium = lines.HALPHA_AIR_A + dl, "air" if ctype.startswith("AWAV") else "vacuum"
    if medium == "air":
        return wl, dl, "air"
    wl = air_from_vacuum(wl)
    return wl, wl - lines.HALPHA_AIR_A, VACUUM_CONVERTED


def to_contract_order(data: NDArray[Any], roles: Mapping[str, int], stokes: int) -> NDArray[Any]:
    """The numpy array of a FITS HDU reordered to (scan, y, x, wavelength).

    FITS axis ``i`` is numpy axis ``ndim − i``; Stokes parameter ``stokes`` is taken, axes of length
    1 without a role are dropped, and a file without a scan axis gets one of length 1.

    Parameters
    ----------
    data : numpy.ndarray
        The HDU's data, any axis order.
    roles : mapping
        :func:`axis_roles`.
    stokes : int
        Index along a Stokes axis (0 = I in the usual order).

    Returns
    -------
    numpy.ndarray, shape (n_scan, n_y, n_x, n_wavelength)
        A view or copy, dtype kept.
    """
    ndim = data.ndim
    axis = {r: ndim - i for r, i in roles.items()}  # FITS axis i is numpy axis ndim - i
    if "stokes" in axis:
        data = np.take(data, stokes, axis=axis["stokes"])
        axis = {r: a - (a > axis["stokes"]) for r, a in axis.items() if r != "stokes"}
    order = [axis[r] for r in ("scan", "y", "x", "wavelength") if r in axis]
    rest = [a for a in range(data.ndim) if a not in order]
    out = np.transpose(data, rest + order).reshape([int(data.shape[a]) for a in order])
    return out if "scan" in axis else out[None]
