"""FITS writers of Hα observations, laid out as real files are (for tests, examples and exchange).

:func:`write_fits_raster` writes a level-2 slit-spectrograph raster the way IRIS- and SPICE-like
files are read by sunraster: an empty primary header with ``DATE-OBS``, the data in an image
extension with FITS axes 1 = wavelength (``AWAV`` or ``WAVE``, linear, Å), 2 = along the slit
(``HPLT-TAN``), 3 = raster step (``HPLN-TAN``), 4 = scan (``TIME``, the start of each scan), and a
binary table ``TIMES`` whose column ``TIME`` holds the exposure time of every raster step (one row
per scan, s since ``DATE-OBS``) — for air wavelengths also a table ``DELTA_AIR`` of the exact offsets
from Hα, which the reader prefers to the WCS's rounding when they agree. :func:`write_fits_cube` writes an imaging-spectroscopy cube as
SST/CRISP-like files: axes 1 = ``HPLN-TAN``, 2 = ``HPLT-TAN``, 3 = ``AWAV-TAB`` (the non-uniform
line positions in the table ``WCS-TAB``, FITS WCS Paper III, beside them their offsets from Hα in
the column ``DELTA_AIR`` so that the offsets survive exactly), 4 = ``TIME``, and the ``TIMES``
table with one time per scan and line position (or per scan and column for a raster written as a
cube).

Both keep the data type (float32 stays float32, float64 float64: the round trip is exact), write
further variables of the observation's shape as image extensions named by the variable, and the
contract's scalar attributes as ``HIERARCH KINETICFLOW <NAME>`` cards, which
:mod:`kineticflow.halpha.fits_readers` reads back.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr
from astropy.io import fits
from astropy.time import Time, TimeDelta
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.io import atomic_output
from kineticflow.halpha import lines
from kineticflow.halpha.air_vacuum import vacuum_from_air

#: Attributes the reader sets itself (not written as HIERARCH cards).
READER_ATTRS = ("reader", "source_file", "source_file_sha256", "wavelength_medium", "intensity_unit_read", "date_obs")
#: Default DATE-OBS of written files (the observation's ``date_obs`` wins).
DEFAULT_DATE = "2026-05-16T17:00:00.000000"


def _bunit(units: str) -> str:
    """FITS BUNIT of a contract unit (dimensionless ``1`` is the empty string)."""
    return "" if units in ("1", "") else units


def _attr_cards(obs: xr.Dataset) -> list[tuple[str, object]]:
    """``HIERARCH KINETICFLOW <NAME>`` cards of the scalar, finite, FITS-safe attributes."""
    cards: list[tuple[str, object]] = []
    for name, value in obs.attrs.items():
        if name in READER_ATTRS or not str(name).replace("_", "").isalnum():
            continue
        if isinstance(value, (bool, np.bool_)):
            value = int(value)
        if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and np.isfinite(value)):
            cards.append(
                (f"HIERARCH KINETICFLOW {str(name).upper()}", value.item() if hasattr(value, "item") else value)
            )
        elif isinstance(value, str) and value.isascii() and value.isprintable() and len(name) + len(value) <= 50:
            cards.append((f"HIERARCH KINETICFLOW {str(name).upper()}", value))
    return cards


def _spatial(header: fits.Header, axis: int, ctype: str, n: int, arcsec: float) -> None:
    """A helioprojective pixel axis centred on the field (``arcsec`` per pixel)."""
    header[f"CTYPE{axis}"] = (
        ctype,
        "helioprojective " + ("latitude (along the slit)" if ctype.startswith("HPLT") else "longitude"),
    )
    header[f"CUNIT{axis}"] = "arcsec"
    header[f"CRPIX{axis}"] = (n + 1) / 2.0
    header[f"CRVAL{axis}"] = 0.0
    header[f"CDELT{axis}"] = arcsec


def _scan_axis(header: fits.Header, axis: int, t_s: NDArray[np.float64]) -> None:
    """A linear TIME axis through the scan start times (informative; exact times in ``TIMES``)."""
    start = t_s[:, 0]
    header[f"CTYPE{axis}"] = ("TIME", "scan: start time since DATE-OBS")
    header[f"CUNIT{axis}"] = "s"
    header[f"CRPIX{axis}"] = 1.0
    header[f"CRVAL{axis}"] = float(start[0])
    header[f"CDELT{axis}"] = float(np.mean(np.diff(start))) if start.size > 1 else 1.0


def _linear_wavelength(header: fits.Header, axis: int, dl: NDArray[np.float64], medium: str) -> None:
    """A linear AWAV (or WAVE) axis in Å from the offsets ``dl``; CRVAL at Hα, offsets exact to rounding."""
    wl = lines.HALPHA_AIR_A + dl
    step = (dl[-1] - dl[0]) / (dl.size - 1)
    if np.max(np.abs(np.diff(dl) - step)) > 1e-9 * abs(step):
        raise ValueError("write_fits_raster: the wavelengths are not uniform; write an imaging cube (-TAB) instead")
    if medium == "air":
        header[f"CTYPE{axis}"], header[f"CRVAL{axis}"] = ("AWAV", "wavelength in air"), lines.HALPHA_AIR_A
        header[f"CRPIX{axis}"], header[f"CDELT{axis}"] = 1.0 - dl[0] / step, step
    else:
        vac = vacuum_from_air(wl)
        header[f"CTYPE{axis}"], header[f"CRVAL{axis}"] = ("WAVE", "wavelength in vacuum"), float(vac[0])
        header[f"CRPIX{axis}"], header[f"CDELT{axis}"] = 1.0, float((vac[-1] - vac[0]) / (vac.size - 1))
    header[f"CUNIT{axis}"] = "Angstrom"


def _date_plus(date: str, seconds: float) -> str:
    """ISO UTC ``date + seconds`` to the microsecond."""
    return str((Time(date, scale="utc") + TimeDelta(seconds, format="sec")).isot) if seconds else date


def _hdus(
    obs: xr.Dataset,
    data_header: fits.Header,
    order: tuple[str, ...],
    times: NDArray[np.float64],
    date: str,
    time_axis: str,
) -> fits.HDUList:
    """Primary (metadata), the data image, images of further variables, and the TIMES table."""
    primary = fits.PrimaryHDU()
    primary.header["DATE-OBS"] = (date, "start of the observation (UTC)")
    primary.header["ORIGIN"] = "kineticflow"
    primary.header["OBJECT"] = "Halpha flare"
    data_header["DATE-OBS"] = date
    for key, value in _attr_cards(obs):
        data_header[key] = value
    image = fits.ImageHDU(
        np.ascontiguousarray(obs["intensity"].transpose(*order).values), header=data_header, name="HALPHA"
    )
    image.header["BUNIT"] = (_bunit(str(obs["intensity"].attrs.get("units", ""))), "intensity unit")
    hdus: list[fits.hdu.base.ExtensionHDU] = [image]
    for name, da in obs.data_vars.items():
        if name != "intensity" and set(da.dims) == set(order):
            extra = fits.ImageHDU(
                np.ascontiguousarray(da.transpose(*order).values), header=data_header.copy(), name=str(name).upper()
            )
            extra.header["BUNIT"] = _bunit(str(da.attrs.get("units", "")))
            hdus.append(extra)
    rows = times.reshape(times.shape[0], -1)
    column = fits.Column(name="TIME", format=f"{rows.shape[1]}D", unit="s", array=rows)
    table = fits.BinTableHDU.from_columns([column], name="TIMES")
    table.header["TIMEAXIS"] = (time_axis, "TIME per scan and: x, wavelength or scan only")
    hdus.append(table)
    return fits.HDUList([primary, *hdus])


def _write(hdul: fits.HDUList, path: str | os.PathLike[str]) -> Path:
    """Write atomically (no CHECKSUM cards: astropy dates them, and the same content must give the same bytes)."""
    with atomic_output(path) as tmp:
        hdul.writeto(tmp)
    return Path(path)


def _offsets_hdu(dl: NDArray[np.float64]) -> fits.BinTableHDU:
    """The table ``DELTA_AIR``: the offsets from Hα [Å] beside a linear WCS, so that they survive exactly."""
    column = fits.Column(name="DELTA_AIR", format=f"{dl.size}D", unit="Angstrom", array=dl.reshape(1, -1))
    return fits.BinTableHDU.from_columns([column], name="DELTA_AIR")


def write_fits_raster(
    obs: xr.Dataset,
    path: str | os.PathLike[str],
    *,
    medium: str = "air",
    split_scans: bool = False,
    offsets_table: bool = True,
) -> list[Path]:
    """Write an observation as a level-2 slit-spectrograph FITS raster (module docstring).

    Parameters
    ----------
    obs : xarray.Dataset
        The contract (``intensity(scan, y, x, wavelength)`` on a uniform wavelength grid, ``t_s``).
    path : str or path
        The file; with ``split_scans`` a pattern with ``{scan}`` (e.g. ``raster_{scan:03d}.fits``).
    medium : {"air", "vacuum"}
        ``AWAV`` axis, or ``WAVE`` with the wavelengths converted to vacuum.
    split_scans : bool
        One file per scan (3-D data, ``DATE-OBS`` at the scan's first exposure), as IRIS writes
        rasters; otherwise one file with a fourth (scan) axis.
    offsets_table : bool
        Also write the offsets from Hα in a table ``DELTA_AIR`` (air only): the WCS gives them to
        rounding (~1e-15 Å), the table exactly, so that a written observation reads back bitwise
        (:mod:`kineticflow.halpha.fits_wcs` takes the table when it agrees with the WCS to 1e-9 Å).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValueError
        A non-uniform wavelength grid or an unknown medium.
    """
    if medium not in ("air", "vacuum"):
        raise ValueError(f"write_fits_raster: medium {medium!r}; expected 'air' or 'vacuum'")
    date = str(obs.attrs.get("date_obs") or DEFAULT_DATE)
    arcsec = float(obs.attrs.get("pixel_arcsec", 1.0))
    header = fits.Header()
    _linear_wavelength(header, 1, obs["delta_wavelength"].values, medium)
    _spatial(header, 2, "HPLT-TAN", obs.sizes["y"], arcsec)
    _spatial(header, 3, "HPLN-TAN", obs.sizes["x"], arcsec)
    t_s = obs["t_s"].transpose("scan", "x").values.astype(np.float64)
    extra = [_offsets_hdu(obs["delta_wavelength"].values)] if offsets_table and medium == "air" else []
    if not split_scans:
        _scan_axis(header, 4, t_s)
        hdul = _hdus(obs, header, ("scan", "x", "y", "wavelength"), t_s, date, "x")
        return [_write(fits.HDUList([*hdul, *extra]), path)]
    out = []
    for s in range(obs.sizes["scan"]):
        offset = round(float(t_s[s, 0]) * 1e6) / 1e6
        hdul = _hdus(
            obs.isel(scan=s),
            header.copy(),
            ("x", "y", "wavelength"),
            t_s[s : s + 1] - offset,
            _date_plus(date, offset),
            "x",
        )
        out.append(_write(fits.HDUList([*hdul, *extra]), str(path).format(scan=s)))
    return out


def _resample(obs: xr.Dataset, wavelengths: ArrayLike) -> xr.Dataset:
    """The observation's spectra linearly interpolated onto air ``wavelengths`` [Å] (a line scan)."""
    new = np.asarray(wavelengths, dtype=float)
    old = obs["wavelength"].values
    if new.ndim != 1 or np.any(np.diff(new) <= 0) or new[0] < old[0] or new[-1] > old[-1]:
        raise ValueError("write_fits_cube: wavelengths must increase strictly within the observation's range")
    j = np.clip(np.searchsorted(old, new) - 1, 0, old.size - 2)
    w = (new - old[j]) / (old[j + 1] - old[j])
    out = obs.drop_vars([n for n, v in obs.variables.items() if "wavelength" in v.dims])
    for name, da in obs.data_vars.items():
        if da.dims and da.dims[-1] == "wavelength":
            v = da.values
            out[name] = xr.DataArray(
                (v[..., j] * (1 - w) + v[..., j + 1] * w).astype(v.dtype), dims=da.dims, attrs=da.attrs
            )
    return out.assign_coords(
        wavelength=xr.DataArray(new, dims="wavelength", attrs=obs["wavelength"].attrs),
        delta_wavelength=xr.DataArray(new - lines.HALPHA_AIR_A, dims="wavelength", attrs=obs["delta_wavelength"].attrs),
    )


def write_fits_cube(
    obs: xr.Dataset, path: str | os.PathLike[str], wavelengths: ArrayLike | None = None, *, medium: str = "air"
) -> Path:
    """Write an observation as an imaging-spectroscopy FITS cube (module docstring).

    Parameters
    ----------
    obs : xarray.Dataset
        The contract; ``t_wavelength(scan, wavelength)`` when each line position has its own time,
        else the times of ``t_s(scan, x)`` are written (one per scan when they do not vary with x).
    path : str or path
        The file.
    wavelengths : array_like, optional
        Air wavelengths [Å] of the line scan, strictly increasing within the observation's range:
        the spectra are linearly interpolated onto them; default the observation's own.
    medium : {"air", "vacuum"}
        ``AWAV-TAB``, or ``WAVE-TAB`` with the list converted to vacuum.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        Wavelengths outside the observation or not increasing, an unknown medium.

    References
    ----------
    E. W. Greisen et al., A&A 446, 747 (2006), FITS WCS Paper III, Sect. 6 (``-TAB``).
    """
    if medium not in ("air", "vacuum"):
        raise ValueError(f"write_fits_cube: medium {medium!r}; expected 'air' or 'vacuum'")
    if wavelengths is not None:
        obs = _resample(obs, wavelengths)
    wl = obs["wavelength"].values
    listed = wl if medium == "air" else vacuum_from_air(wl)
    header = fits.Header()
    _spatial(header, 1, "HPLN-TAN", obs.sizes["x"], float(obs.attrs.get("pixel_arcsec", 1.0)))
    _spatial(header, 2, "HPLT-TAN", obs.sizes["y"], float(obs.attrs.get("pixel_arcsec", 1.0)))
    header["CTYPE3"] = ("AWAV-TAB" if medium == "air" else "WAVE-TAB", "line positions in table WCS-TAB")
    header["CUNIT3"], header["CRPIX3"], header["CRVAL3"], header["CDELT3"] = "Angstrom", 1.0, 1.0, 1.0
    header["PS3_0"], header["PS3_1"], header["PV3_3"] = "WCS-TAB", "WAVELENGTH", 1
    t_s = obs["t_s"].transpose("scan", "x").values.astype(np.float64)
    _scan_axis(header, 4, t_s)
    if "t_wavelength" in obs.variables:
        times, axis = obs["t_wavelength"].transpose("scan", "wavelength").values.astype(np.float64), "wavelength"
    else:
        times, axis = (t_s[:, :1], "scan") if np.all(t_s == t_s[:, :1]) else (t_s, "x")
    date = str(obs.attrs.get("date_obs") or DEFAULT_DATE)
    hdul = _hdus(obs, header, ("scan", "wavelength", "y", "x"), times, date, axis)
    columns = [("WAVELENGTH", listed)] + ([("DELTA_AIR", obs["delta_wavelength"].values)] if medium == "air" else [])
    table = [
        fits.Column(
            name=name, format=f"{wl.size}D", dim=f"(1,{wl.size})", unit="Angstrom", array=v.reshape(1, wl.size, 1)
        )
        for name, v in columns
    ]
    hdul.append(fits.BinTableHDU.from_columns(table, name="WCS-TAB"))
    return _write(hdul, path)
