"""FITS readers of Hα observations: slit-spectrograph rasters and imaging-spectroscopy cubes.

Both are read by :func:`read_fits` into the observation contract of
:mod:`kineticflow.halpha.observation`, intensity still in the file's unit (``BUNIT``). The axes are
found by their WCS ``CTYPE`` (FITS WCS Papers I–III; the sunraster/ndcube reading of level-2
rasters): ``AWAV`` (air) or ``WAVE`` (vacuum) the spectral axis, linear or with an algorithm code
(``-TAB`` lookup table, ``-LOG``) evaluated by :mod:`astropy.wcs`; ``HPLT`` the pixel along the slit
(``y``), ``HPLN`` the raster step or image column (``x``), ``TIME`` or ``UTC`` the scan, ``STOKES``
(Stokes I is taken). Other layouts name their axes with ``axes={"wavelength": 1, "y": 2, "x": 3,
"scan": 4}`` (FITS axis numbers, 1 = ``NAXIS1``).

Times are seconds since the first file's ``DATE-OBS`` (or ``t0``): a binary-table column ``TIME``
(seconds since the file's ``DATE-OBS``; ``TUNIT`` converted) with one value per scan and raster
step (rasters; cubes written from a raster) or per scan and line position (cubes, each wavelength
its own time) or per scan, scan-major;
otherwise the scan axis' world times plus ``x × step_s`` (rasters; ``step_s`` or the header's
``STEPT_AV``). Further image extensions of the data's shape become data variables named by their
``EXTNAME`` (the simulation's ``counts`` and ``expected_intensity``), and header cards
``HIERARCH KINETICFLOW <ATTR>`` (written by :mod:`kineticflow.halpha.fits_writers`) attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from astropy import units as u
from astropy.io import fits
from astropy.time import Time
from astropy.wcs import WCS
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha.fits_wcs import (
    axis_roles,
    image_hdu,
    open_wcs,
    spectral_axis,
    to_contract_order,
    unit_factor,
    world_values,
)
from kineticflow.halpha.observation_contract import check_increasing, fail

#: Prefix of kineticflow's own header cards (contract attributes).
HIERARCH = "KINETICFLOW"
#: Date keywords of the time reference, in order.
DATE_KEYS = ("DATE-OBS", "DATE_OBS", "DATEREF")


def _date(hdul: fits.HDUList, header: fits.Header) -> str:
    """The time reference of a file: DATE-OBS (or DATE_OBS, DATEREF) of the data or primary header."""
    for h in (header, hdul[0].header):
        for key in DATE_KEYS:
            if str(h.get(key, "")).strip():
                return str(h[key]).strip()
    return ""


def _seconds_between(path: Path, date: str, t0: str) -> float:
    """``date − t0`` [s], rounded to 1 µs (UTC with leap seconds, astropy.time)."""
    if not date or not t0:
        return 0.0
    try:
        return round(float((Time(date, scale="utc") - Time(t0, scale="utc")).to_value("s")) * 1e6) / 1e6
    except ValueError:
        raise fail(path, "DATE-OBS", repr(date), "an ISO 8601 date and time (UTC)") from None


def _time_column(
    hdul: fits.HDUList, path: Path, opts: Mapping[str, Any]
) -> tuple[NDArray[np.float64], str | None] | None:
    """Values [s] of the time column (``time_table=(hdu, column)``; default the first column TIME).

    Returned with the table's ``TIMEAXIS`` card (what the values run over; written by
    :mod:`kineticflow.halpha.fits_writers`), or None without a time column.
    """
    hdu_name, column = opts.get("time_table") or (None, "TIME")
    try:
        wanted = None if hdu_name is None else hdul.index_of(hdu_name)
    except (KeyError, IndexError):
        raise fail(
            path, f"time table {hdu_name!r}", "not in the file", "a binary table HDU of that name or index"
        ) from None
    for index, h in enumerate(hdul):
        if not isinstance(h, fits.BinTableHDU) or wanted not in (None, index):
            continue
        names = [c.name.upper() for c in h.columns]
        if column.upper() in names:
            col = h.columns[names.index(column.upper())]
            factor = unit_factor(path, f"{column} (TUNIT)", col.unit or "s", u.s)
            return np.asarray(h.data[col.name], dtype=float).ravel() * factor, h.header.get("TIMEAXIS")
    if hdu_name is not None:
        raise fail(path, f"time table {hdu_name!r}", f"no column {column!r}", "a binary table with the exposure times")
    return None


def _scan_times(
    header: fits.Header, wcs: WCS, roles: Mapping[str, int], n_scan: int, path: Path
) -> NDArray[np.float64]:
    """Start time [s] of each scan from the scan axis' world coordinates (0 for a single scan)."""
    if "scan" not in roles:
        return np.zeros(1)
    values, unit = world_values(wcs, roles["scan"], n_scan)
    return values * unit_factor(path, f"CUNIT{roles['scan']}", unit or "s", u.s)


def _table_times(
    table: NDArray[np.float64], shape: tuple[int, ...], path: Path, cube: bool, time_axis: str | None
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """Times of a TIME column: per (scan, wavelength) (cubes first), per (scan, x), or per scan."""
    n_scan, _, n_x, n_wl = shape
    sizes = {"wavelength": n_scan * n_wl, "x": n_scan * n_x, "scan": n_scan} if cube else {"x": n_scan * n_x}
    order = [time_axis] if time_axis else list(sizes)
    match = [k for k in order if sizes.get(k) == table.size]
    if not match:
        expected = " or ".join(f"{v} (one per {'scan' if k == 'scan' else 'scan and ' + k})" for k, v in sizes.items())
        raise fail(path, "TIME", f"{table.size} value(s)", f"{expected} exposure times")
    if match[0] == "x":
        return table.reshape(n_scan, n_x), None
    if match[0] == "scan":
        return np.repeat(table[:, None], n_x, axis=1), None
    t_wl = table.reshape(n_scan, n_wl)
    return np.repeat(t_wl.mean(axis=1)[:, None], n_x, axis=1), t_wl


def _times(
    hdul: fits.HDUList,
    header: fits.Header,
    wcs: WCS,
    roles: Mapping[str, int],
    shape: tuple[int, ...],
    path: Path,
    opts: Mapping[str, Any],
    cube: bool,
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    """``t_s(scan, x)`` and, for a cube with line-scan timing, ``t_wavelength(scan, wavelength)`` [s]."""
    n_scan, _, n_x, _ = shape
    table = _time_column(hdul, path, opts)
    if table is not None:
        return _table_times(table[0], shape, path, cube, opts.get("time_axis", table[1]))
    start = _scan_times(header, wcs, roles, n_scan, path)
    if cube:
        if "scan" not in roles and n_scan > 1:
            raise fail(path, "TIME", "no time table and no TIME axis", "a binary table with a TIME column")
        return np.repeat(start[:, None], n_x, axis=1), None
    step = opts.get("step_s", header.get("STEPT_AV"))
    if step is None:
        raise fail(path, "TIME", "no per-step times", "a binary table with a TIME column, or step_s= (header STEPT_AV)")
    return start[:, None] + float(step) * np.arange(n_x)[None, :], None


def _arrays(
    hdul: fits.HDUList, index: int, roles: Mapping[str, int], stokes: int, load: bool
) -> tuple[NDArray[Any], dict[str, tuple[NDArray[Any], str]]]:
    """The data in contract order and the further image extensions of its shape (by EXTNAME).

    Without ``load`` only the header is read: the data is a zero-strided placeholder of the
    contract's shape (no memory, no file read) and there are no extensions.
    """
    if not load:
        header = hdul[index].header
        n = {role: int(header[f"NAXIS{i}"]) for role, i in roles.items()}
        return np.broadcast_to(np.float32(0.0), (n.get("scan", 1), n["y"], n["x"], n["wavelength"])), {}
    data = np.asarray(hdul[index].data)
    extras = {
        str(h.name).lower(): (to_contract_order(np.asarray(h.data), roles, stokes), str(h.header.get("BUNIT", "")))
        for k, h in enumerate(hdul)
        if k != index and isinstance(h, fits.ImageHDU) and h.data is not None and h.data.shape == data.shape
    }
    return to_contract_order(data, roles, stokes), extras


def read_file(path: Path, cube: bool, opts: Mapping[str, Any], load: bool = True) -> dict[str, Any]:
    """One FITS file read: the parts :func:`read_fits` combines.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    cube : bool
        Imaging cube (line-scan timing) rather than raster.
    opts : mapping
        Reader options (:func:`read_fits`).
    load : bool
        Read the data; False reads the headers and tables only (``data`` a placeholder).

    Returns
    -------
    dict
        ``data`` (scan, y, x, wavelength) in ``unit``, air ``wl`` and offsets ``dl`` [Å], ``medium``,
        ``t_s`` (scan, x) and ``t_wl`` (scan, wavelength) or None [s since the file's ``date``],
        ``extras`` (name -> (array, unit)), ``attrs`` (the HIERARCH cards).

    Raises
    ------
    ObservationError
        Not a FITS file, or any failure of the axes, wavelengths or times (one line).
    """
    try:
        hdul = fits.open(path, memmap=not load)
    except (OSError, ValueError) as exc:
        raise fail(path, "file", f"not a FITS file ({exc})", "a FITS file") from None
    with hdul:
        index = image_hdu(hdul, opts.get("hdu"), path)
        header = hdul[index].header
        roles = axis_roles(header, opts.get("axes"), path)
        listed = opts.get("wavelengths") is not None or opts.get("wavelength_table") is not None
        wcs = open_wcs(header, hdul, roles, path, listed)
        data, extras = _arrays(hdul, index, roles, int(opts.get("stokes", 0)), load)
        wl, dl, medium = spectral_axis(hdul, header, wcs, roles["wavelength"], data.shape[3], path, opts)
        t_s, t_wl = _times(hdul, header, wcs, roles, data.shape, path, opts, cube)
        attrs = {k.split(" ", 1)[1].lower(): v for k, v in header.items() if k.startswith(HIERARCH + " ")}
        unit = str(header["BUNIT"]).strip() if "BUNIT" in header else "unknown"
        date = _date(hdul, header)
    return {
        "data": data,
        "unit": unit,
        "wl": wl,
        "dl": dl,
        "medium": medium,
        "t_s": t_s,
        "t_wl": t_wl,
        "extras": extras,
        "attrs": attrs,
        "date": date,
    }


def _combine(parts: Sequence[dict[str, Any]], paths: Sequence[Path], t0: str, load: bool = True) -> dict[str, Any]:
    """Files concatenated along scan, times shifted to ``t0``; wavelengths must agree."""
    first = parts[0]
    for p, part in zip(paths[1:], parts[1:]):
        if part["data"].shape[1:] != first["data"].shape[1:] or not np.allclose(
            part["wl"], first["wl"], rtol=0, atol=1e-9
        ):
            raise fail(
                p,
                "intensity",
                f"shape {part['data'].shape[1:]} or wavelengths unlike {paths[0].name}",
                "the same (y, x, wavelength) grid in every file",
            )
    shift = [_seconds_between(p, part["date"], t0) for p, part in zip(paths, parts)]
    out = dict(first)
    data = [part["data"] for part in parts]
    if load:
        out["data"] = np.concatenate(data)
    else:  # headers only: a placeholder of the combined shape
        out["data"] = np.broadcast_to(np.float32(0.0), (sum(d.shape[0] for d in data), *data[0].shape[1:]))
    out["t_s"] = np.concatenate([part["t_s"] + s for part, s in zip(parts, shift)])
    if first["t_wl"] is not None:
        out["t_wl"] = np.concatenate([part["t_wl"] + s for part, s in zip(parts, shift)])
    out["extras"] = {
        k: (np.concatenate([part["extras"][k][0] for part in parts]), v[1])
        for k, v in first["extras"].items()
        if all(k in part["extras"] for part in parts)
    }
    return out


def _dataset(r: Mapping[str, Any], t0: str) -> xr.Dataset:
    """The contract (intensity in the file's unit) from the combined reading."""
    dims = ("scan", "y", "x", "wavelength")
    n_scan, n_y, n_x, _ = r["data"].shape
    data = {"intensity": variable(r["data"], dims, units=r["unit"], long_name="observed intensity as read")}
    for name, (values, unit) in r["extras"].items():
        data[name] = variable(values, dims, units=unit or "1", long_name=f"image extension {name.upper()} of the file")
    coords: dict[str, Any] = {
        "scan": xr.DataArray(np.arange(n_scan), dims="scan", attrs=dim_attrs("scan")),
        "y": xr.DataArray(np.arange(n_y), dims="y", attrs=dim_attrs("y")),
        "x": xr.DataArray(np.arange(n_x), dims="x", attrs=dim_attrs("x")),
        "t_s": variable(r["t_s"], ("scan", "x"), units="s", long_name="exposure time of each slit position"),
        "wavelength": xr.DataArray(r["wl"], dims="wavelength", attrs=dim_attrs("wavelength")),
        "delta_wavelength": variable(
            r["dl"], "wavelength", units="angstrom", long_name="offset from the Halpha rest wavelength"
        ),
    }
    if r["t_wl"] is not None:
        coords["t_wavelength"] = variable(
            r["t_wl"], ("scan", "wavelength"), units="s", long_name="time of each line-scan position"
        )
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(r["attrs"])
    ds.attrs.update(wavelength_medium=r["medium"], intensity_unit_read=r["unit"], date_obs=t0)
    return ds


def _increasing(ds: xr.Dataset, path: Path) -> xr.Dataset:
    """Reverse a strictly decreasing wavelength axis; refuse a non-monotonic one."""
    wl = ds["wavelength"].values
    if wl.size > 1 and np.all(np.diff(wl) < 0):
        ds = ds.isel(wavelength=slice(None, None, -1))
    check_increasing(path, "wavelength", ds["wavelength"].values)
    dl = ds["delta_wavelength"].values
    if not dl[0] < 0 < dl[-1]:
        raise fail(
            path,
            "wavelength",
            f"range {ds['wavelength'].values[0]:.3f}-{ds['wavelength'].values[-1]:.3f} Å (air)",
            "a range containing Halpha 6562.80 Å",
        )
    return ds


def read_fits(
    paths: Sequence[Path],
    *,
    cube: bool,
    t0: str | None = None,
    crop: Mapping[str, Sequence[int]] | None = None,
    times: Any = None,
    load: bool = True,
    **opts: Any,
) -> xr.Dataset:
    """Read FITS rasters (one or more files, concatenated along scan) or an imaging cube.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Files in time order (a raster's scans may be split over files).
    cube : bool
        Imaging spectroscopy (times per line position) rather than a slit raster.
    t0 : str, optional
        ISO UTC time of ``t_s = 0``; default the first file's ``DATE-OBS`` (empty: none).
    crop : mapping, optional
        ``{"scan" | "y" | "x": [start, stop]}`` index ranges kept (renumbered from 0).
    times : array_like, optional
        Exposure times [s since ``t0``], shape (n_scan, n_x), overriding the file's.
    load : bool
        Read the data; False reads headers and tables only (the config-time check): ``intensity``
        is then a zero placeholder of the right shape.
    **opts
        ``hdu`` (index or EXTNAME), ``axes`` (role -> FITS axis number), ``stokes`` (index, 0),
        ``wavelengths`` (list) or ``wavelength_table`` ((HDU, column)) with ``wavelength_medium``
        (``"air"`` or ``"vacuum"``) and ``wavelength_unit`` (default Å, or the column's ``TUNIT``),
        ``time_table`` ((HDU, column)), ``time_axis`` (``"x"``, ``"wavelength"`` or ``"scan"``: what the
        time column's values run over, when the counts tie), ``step_s`` (raster step cadence [s]).

    Returns
    -------
    xarray.Dataset
        ``intensity(scan, y, x, wavelength)`` in the file's unit (``intensity_unit_read``; ``unknown``
        without ``BUNIT``), ``t_s(scan, x)``, ``t_wavelength(scan, wavelength)`` (cubes with line-scan
        timing), air ``wavelength`` and ``delta_wavelength`` [Å], ``wavelength_medium``, ``date_obs``.

    Raises
    ------
    ObservationError
        A missing spectral, slit or step axis, an unknown unit, a non-monotonic wavelength, a time
        table of the wrong length, differing files, a range without Hα; one line with the file.

    References
    ----------
    E. W. Greisen & M. R. Calabretta, A&A 395, 1061 (2002) (WCS Paper II: CTYPE, CUNIT, PC);
    E. W. Greisen et al., A&A 446, 747 (2006) (Paper III: ``AWAV``/``WAVE``, ``-TAB``, ``-LOG``).
    """
    parts = [read_file(p, cube, opts, load) for p in paths]
    start = parts[0]["date"] if t0 is None else str(t0)
    ds = _increasing(_dataset(_combine(parts, paths, start, load), start), paths[0])
    if times is not None:
        t = np.asarray(times, dtype=float)
        if t.shape != ds["t_s"].shape:
            raise fail(paths[0], "times option", f"shape {t.shape}", f"{ds['t_s'].shape} (scan, x)")
        ds = ds.assign_coords(
            t_s=variable(t, ("scan", "x"), units="s", long_name="exposure time of each slit position")
        )
    for dim, (a, b) in (crop or {}).items():
        if dim not in ("scan", "y", "x") or not 0 <= int(a) < int(b) <= ds.sizes[dim]:
            raise fail(
                paths[0], f"crop {dim}", f"[{a}, {b}]", f"a range within 0..{ds.sizes.get(dim, 0)} of scan, y or x"
            )
        ds = ds.isel({dim: slice(int(a), int(b))}).assign_coords(
            {dim: xr.DataArray(np.arange(int(b) - int(a)), dims=dim, attrs=dim_attrs(dim))}
        )
        ds.attrs[f"crop_{dim}"] = f"{int(a)}:{int(b)}"
    return ds
