"""Landmarks read off the TRXS signals: the position of the moving r-peak.

The number the figures compare with the TRXS paper: the positive r-peak at r_Y + Δr_Y = 4.5 Å at
t = 0, contracting to ≈ 3.0 Å (Sec. 3D and Fig. 3).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from kineticflow.core.attrs import variable


def positive_peak_position(delta_s_r: xr.DataArray, r_min: float = 0.0) -> xr.DataArray:
    """Position of the positive r-peak of ΔS[r, ·] at each time (the contraction film, measured).

    The maximum on the grid is refined by a parabola through it and its two neighbours.

    Parameters
    ----------
    delta_s_r : xarray.DataArray, dims (time, "r")
        Signal in r space; ``time`` is ``t`` or ``tau``.
    r_min : float
        Only r ≥ r_min (Å) is searched.

    Returns
    -------
    xarray.DataArray, dims (time,)
        Peak position, Å; NaN where the signal has no positive maximum (t < 0).

    References
    ----------
    TRXS paper Sec. 3D and Fig. 3 (4.5 Å at t = 0, ≈ 3.0 Å after a few τ_r).
    """
    da = delta_s_r.sel(r=slice(r_min, None))
    y = da.transpose(..., "r").values
    r = da["r"].values
    k = np.clip(np.argmax(y, axis=-1), 1, r.size - 2)
    rows = np.arange(y.shape[0])
    y0, y1, y2 = y[rows, k - 1], y[rows, k], y[rows, k + 1]
    denom = y0 - 2 * y1 + y2
    shift = np.where(np.abs(denom) > 0, 0.5 * (y0 - y2) / np.where(denom == 0, 1, denom), 0.0)
    pos = r[k] + np.clip(shift, -1, 1) * (r[1] - r[0])
    pos = np.where(y1 > 1e-6 * np.abs(y).max(), pos, np.nan)
    time_dim = str([d for d in da.dims if d != "r"][0])
    out = variable(pos, (time_dim,), units="angstrom", long_name="position of the positive r-peak")
    return out.assign_coords({time_dim: da[time_dim]})
