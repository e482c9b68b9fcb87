"""The hard X-ray light curve of an observed flare, for the timing analysis of the Hα diagnostics.

A CSV file with columns ``time_s, rate`` (and optionally ``rate_stderr`` or ``rate_err``), or with
``time_utc`` (ISO 8601) instead of ``time_s``; or a FITS binary table with columns ``TIME`` and
``RATE`` (``RATE_ERR`` or ``ERROR`` optional; ``TUNIT`` of TIME converted to s, relative to the
table's ``DATE-OBS``). Times become seconds since the Hα observation's start (its ``date_obs``);
without dates on either side the file's times are taken as already relative to it. The result is
``rate(time)`` [count s⁻¹] with ``rate_stderr``, on the registered ``time`` axis; a bad file raises
:class:`kineticflow.halpha.observation.ObservationError` in one line.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from astropy import units as u
from astropy.io import fits
from astropy.time import Time
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha.observation_contract import check_increasing, fail, file_sha256

#: Accepted names of the standard-error column, in order.
STDERR_COLUMNS = ("rate_stderr", "rate_err", "error")


def _since(path: Path, times: list[str] | NDArray[np.float64], date_obs: str | None, what: str) -> NDArray[np.float64]:
    """Seconds of ISO times (or of ``date_obs`` for a relative column) since ``date_obs``."""
    try:
        return np.asarray((Time(times, scale="utc") - Time(date_obs, scale="utc")).to_value("s"), dtype=float)
    except ValueError:
        raise fail(path, what, f"{str(times)[:40]!r}", "ISO 8601 UTC times") from None


def _read_csv(
    path: Path, date_obs: str | None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | None]:
    """Time [s since date_obs], rate and standard error (or None) of a CSV light curve."""
    try:
        table = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise fail(path, "file", f"not readable as CSV ({exc})", "a CSV light curve") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "rate" not in table:
        raise fail(path, "rate", f"missing (columns {list(table.columns)})", "columns time_s, rate[, rate_stderr]")
    if "time_s" in table:
        t = pd.to_numeric(table["time_s"], errors="coerce").to_numpy(float)
    elif "time_utc" in table:
        if not date_obs:
            raise fail(path, "time_utc", "absolute times", "date_obs of the observation to convert them")
        t = _since(path, list(table["time_utc"].astype(str)), date_obs, "time_utc")
    else:
        raise fail(path, "time_s", f"missing (columns {list(table.columns)})", "columns time_s (or time_utc), rate")
    err = next((c for c in STDERR_COLUMNS if c in table), None)
    rate = pd.to_numeric(table["rate"], errors="coerce").to_numpy(float)
    return t, rate, None if err is None else pd.to_numeric(table[err], errors="coerce").to_numpy(float)


def _read_fits(
    path: Path, date_obs: str | None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | None]:
    """Time [s since date_obs], rate and standard error (or None) of a FITS binary-table light curve."""
    try:
        hdul = fits.open(path, memmap=False)
    except (OSError, ValueError) as exc:
        raise fail(path, "file", f"not a FITS file ({exc})", "a FITS binary table TIME, RATE") from None
    with hdul:
        table = next(
            (h for h in hdul if isinstance(h, fits.BinTableHDU) and "RATE" in [c.upper() for c in h.columns.names]),
            None,
        )
        if table is None:
            raise fail(path, "RATE", "no binary table with a RATE column", "a binary table with columns TIME, RATE")
        names = {c.upper(): c for c in table.columns.names}
        if "TIME" not in names:
            raise fail(path, "TIME", f"missing (columns {table.columns.names})", "a TIME column [s]")
        unit = table.columns[names["TIME"]].unit or "s"
        try:
            factor = float(u.Unit(unit, format="fits").to(u.s))
        except (ValueError, u.UnitConversionError):
            raise fail(path, "TIME (TUNIT)", f"unit {unit!r}", "a time unit (s, ms, min)") from None
        t = np.asarray(table.data[names["TIME"]], dtype=float) * factor
        start = str(table.header.get("DATE-OBS", hdul[0].header.get("DATE-OBS", ""))).strip()
        if start and date_obs:
            t = t + _since(path, [start], date_obs, "DATE-OBS")[0]
        rate = np.asarray(table.data[names["RATE"]], dtype=float)
        err = next((names[c] for c in ("RATE_ERR", "RATE_STDERR", "ERROR") if c in names), None)
        return t, rate, None if err is None else np.asarray(table.data[err], dtype=float)


def read_hxr(path: str | os.PathLike[str], format: str | None = None, *, date_obs: str | None = None) -> xr.Dataset:
    """Read a hard X-ray light curve: ``rate(time)`` [count s⁻¹], time in s since the observation start.

    Parameters
    ----------
    path : str or path
        CSV (``time_s, rate[, rate_stderr]``, or ``time_utc`` ISO times) or FITS binary table
        (``TIME, RATE[, RATE_ERR]``).
    format : {"csv", "fits"}, optional
        Default from the suffix (``.fits``, ``.fit``, ``.fts``, ``.fits.gz`` are FITS).
    date_obs : str, optional
        ISO UTC start of the Hα observation (its ``date_obs`` attribute); needed for absolute times.

    Returns
    -------
    xarray.Dataset
        ``rate`` and ``rate_stderr`` (NaN without a column) on ``time`` [s]; attributes ``source_file``,
        ``source_file_sha256``, ``date_obs``.

    Raises
    ------
    ObservationError
        A missing column, an unknown time unit, non-increasing times, non-finite rates; one line.
    """
    p = Path(path)
    if not p.is_file():
        raise fail(p, "file", "does not exist", "an existing light-curve file")
    kind = format or ("fits" if p.name.lower().endswith((".fits", ".fit", ".fts", ".fits.gz")) else "csv")
    if kind not in ("csv", "fits"):
        raise fail(p, "format", repr(format), "'csv' or 'fits'")
    t, rate, err = (_read_fits if kind == "fits" else _read_csv)(p, date_obs)
    check_increasing(p, "time", t)
    if not np.all(np.isfinite(rate)):
        raise fail(p, "rate", f"{int((~np.isfinite(rate)).sum())} non-finite value(s)", "finite count rates")
    stderr = np.full_like(rate, np.nan) if err is None else err
    ds = xr.Dataset(
        {
            "rate": variable(rate, "time", units="count s-1", long_name="hard X-ray count rate"),
            "rate_stderr": variable(stderr, "time", units="count s-1", long_name="standard error of the count rate"),
        },
        coords={"time": xr.DataArray(t, dims="time", attrs=dim_attrs("time"))},
    )
    ds.attrs.update(source_file=str(p), source_file_sha256=file_sha256(p), date_obs=date_obs or "")
    return ds


def rate_at(curve: xr.Dataset, t_s: ArrayLike) -> NDArray[np.float64]:
    """Count rate [count s⁻¹] at times ``t_s`` [s] by linear interpolation (NaN outside the curve).

    Parameters
    ----------
    curve : xarray.Dataset
        :func:`read_hxr`.
    t_s : array_like
        Times [s since the observation start], any shape (e.g. ``t_s(scan, x)`` minus a lag).

    Returns
    -------
    numpy.ndarray
        The rate, same shape as ``t_s``.

    Examples
    --------
    >>> import xarray as xr
    >>> c = xr.Dataset({"rate": ("time", [0.0, 10.0])}, coords={"time": [0.0, 1.0]})
    >>> rate_at(c, [0.25, 2.0]).tolist()
    [2.5, nan]
    """
    t = np.asarray(t_s, dtype=float)
    return np.interp(t, curve["time"].values, curve["rate"].values, left=np.nan, right=np.nan)
