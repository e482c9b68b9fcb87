"""The synthetic flare: a field of view tied to a hard x-ray light curve, at the slit's exposure times.

The "Sun" of the simulation (the truth the analysis is scored against). Every pixel (``y`` along the
slit, ``x`` the slit position) is seen once per raster ``scan`` at its own time (the raster clock of
:func:`kineticflow.halpha.instrument.observation_times`). Kernel pixels follow ``F20(t)`` proportional
to the HXR count rate, ``P0(t)`` that rises with the integrated HXR counts until the kernel's loop is
full (evaporation fills the loop more slowly than the beam switches; R. C. Canfield et al., optical
imaging spectroscopy of solar flares, Sect. III: the north pixel's pressure rises through the
impulsive phase, the strand pixel's is already high at the HXR peak and stays), and downflow
episodes ``v(t)`` that start at each HXR spike and decay exponentially (ibid. Sect. V).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy.interpolate import RegularGridInterpolator

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.halpha import lines
from kineticflow.halpha.config import Episodes, Flare, Hxr, Kernel

#: ``source`` of the truth's histories.
SOURCE = "R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sects. III and V (synthetic flare)"


def hxr_rate(t: NDArray[np.float64], hxr: Hxr) -> NDArray[np.float64]:
    r"""HXR count rate [counts s⁻¹]: background plus spikes with linear rise and exponential decay.

    .. math:: R(t) = R_b + \sum_k R_k \, s(t - t_k), \quad
              s(\Delta) = \begin{cases} 0 & \Delta < -t_r \\ 1 + \Delta / t_r & -t_r \le \Delta < 0 \\
              e^{-\Delta / t_d} & \Delta \ge 0 \end{cases}

    Parameters
    ----------
    t : numpy.ndarray
        Time [s], any shape.
    hxr : Hxr
        Background, spike times and peaks, rise and decay times.

    Returns
    -------
    numpy.ndarray
        Count rate, same shape as ``t``.

    Examples
    --------
    >>> from kineticflow.halpha.config import Hxr
    >>> hxr_rate(np.array([8.0, 10.0, 18.0]), Hxr(5.0, (10.0,), (100.0,), 4.0, 8.0)).round(3).tolist()
    [55.0, 105.0, 41.788]
    """
    rate = np.full_like(np.asarray(t, float), float(hxr.background))
    for t0, peak in zip(hxr.times_s, hxr.peaks, strict=True):
        dt = t - t0
        rise = float(hxr.rise_s)
        shape = np.where(
            dt < -rise, 0.0, np.where(dt < 0, 1.0 + dt / rise, np.exp(-np.maximum(dt, 0) / float(hxr.decay_s)))
        )
        rate = rate + float(peak) * shape
    return rate


def downflow(t: NDArray[np.float64], episodes: Episodes) -> NDArray[np.float64]:
    """Downflow velocity [km s⁻¹]: episodes ``v_k exp(-(t - t_k)/tau_k)`` from each spike time ``t_k``.

    A 2 s linear rise precedes each decay; where episodes overlap the larger velocity is seen
    (the newer downflow dominates the excess emission), so peaks stay at the injected ``v_k``.

    Examples
    --------
    >>> from kineticflow.halpha.config import Episodes
    >>> downflow(np.array([0.0, 1.0, 2.0]), Episodes((0.0,), (50.0,), (30.0,))).tolist()
    [0.0, 25.0, 50.0]
    """
    v = np.zeros_like(np.asarray(t, float))
    for t0, vk, tau in zip(episodes.times_s, episodes.velocity_kms, episodes.decay_s, strict=True):
        dt = t - t0
        v = np.maximum(v, vk * np.where(dt < 0, 0.0, np.where(dt < 2.0, dt / 2.0, np.exp(-(dt - 2.0) / tau))))
    return v


def kernel_weights(n_y: int, n_x: int, kernels: Sequence[Kernel]) -> dict[str, NDArray[np.float64]]:
    """Gaussian kernel masks (peak 1) per named kernel; pixels below 0.3 are outside (weight 0)."""
    yy, xx = np.mgrid[0:n_y, 0:n_x]
    out = {}
    for k in kernels:
        w = np.exp(-0.5 * (((yy - k.y) / k.sigma_y) ** 2 + ((xx - k.x) / k.sigma_x) ** 2))
        out[k.name] = np.where(w >= 0.3, w, 0.0)
    return out


def histories(
    t: NDArray[np.float64], hxr: Hxr, kernel: Kernel, lowest: tuple[float, float], weight: float
) -> tuple[NDArray[np.float64], ...]:
    """``(P0, F20, v)`` at times ``t`` for a kernel pixel of weight ``w``.

    ``F20 = F_min + w (F_peak - F_min) R(t) / R_max`` follows the HXR rate ``R`` linearly (thick-target
    HXR flux is proportional to the beam flux); ``P0 = P_min + w (P_peak - P_min) min(1, C(t) / f)``
    follows the normalised cumulative HXR counts ``C`` (evaporation accumulates) until the fraction
    ``f = p0_fill_fraction`` of the counts has been deposited, then stays (no draining: the paper's
    pressures "remained at a high level immediately afterward"); ``v = w^(1/4) v_episodes(t)``.

    Parameters
    ----------
    t : numpy.ndarray, shape (n,)
        Exposure times of the pixel [s].
    hxr : Hxr
        The HXR light curve.
    kernel : Kernel
        The pixel's kernel.
    lowest : tuple of float
        ``(P_min, F_min)``: the lowest P0 [dyn cm⁻²] and F20 [erg cm⁻² s⁻¹] of the profile grid.
    weight : float
        Kernel weight ``w`` of the pixel in (0, 1].

    Returns
    -------
    tuple of numpy.ndarray, each shape (n,)
        P0 [dyn cm⁻²], F20 [erg cm⁻² s⁻¹], v [km s⁻¹].
    """
    rate = hxr_rate(t, hxr) - float(hxr.background)
    fine = np.linspace(min(float(np.min(t)), 0.0) - 60.0, float(np.max(t)) + 1.0, 4001)
    cum = np.cumsum(np.clip(hxr_rate(fine, hxr) - float(hxr.background), 0, None))
    cum_t = np.interp(t, fine, cum / cum[-1])
    filled = np.minimum(cum_t / float(kernel.p0_fill_fraction), 1.0)
    p_lo, f_lo = lowest
    p0 = p_lo + weight * (float(kernel.p0_peak) - p_lo) * filled
    f20 = f_lo + weight * (float(kernel.f20_peak) - f_lo) * np.clip(rate / _peak_norm(hxr), 0.0, 1.0)
    v = weight**0.25 * downflow(t, kernel.episodes)
    return p0, f20, v


def _peak_norm(hxr: Hxr) -> float:
    """Maximum of the background-subtracted HXR rate (sampled every 0.1 s over the spikes)."""
    t = np.arange(min(hxr.times_s) - 10.0, max(hxr.times_s) + 10.0, 0.1)
    return float(np.max(hxr_rate(t, hxr) - float(hxr.background)))


def kernel_pixels(grid: xr.Dataset, flare: Flare, t_obs: NDArray[np.float64], n_y: int) -> tuple[NDArray[Any], ...]:
    """Spectra (quiet FAL-C outside the kernels), P0, F20, v and the kernel weight of every pixel.

    Parameters
    ----------
    grid : xarray.Dataset
        The profile grid (``profiles.nc``).
    flare : Flare
        HXR light curve and kernels.
    t_obs : numpy.ndarray, shape (n_scan, n_x)
        Exposure times [s].
    n_y : int
        Pixels along the slit.

    Returns
    -------
    tuple of numpy.ndarray
        Spectra (n_scan, n_y, n_x, n_wavelength) float32; P0, F20, v (n_scan, n_y, n_x); weights (n_y, n_x).
    """
    n_scan, n_x = t_obs.shape
    dl = grid["delta_wavelength"].values
    axes = (np.log10(grid.p0.values), np.log10(grid.f20.values))
    interp = RegularGridInterpolator(axes, grid["intensity"].values, bounds_error=True)
    spec = np.broadcast_to(grid["quiet_intensity"].values.astype(np.float32), (n_scan, n_y, n_x, dl.size)).copy()
    p0, f20, vel = (np.zeros((n_scan, n_y, n_x)) for _ in range(3))
    wsum = np.zeros((n_y, n_x))
    lowest = (float(grid.p0.min()), float(grid.f20.min()))
    weights = kernel_weights(n_y, n_x, flare.kernels)
    for kernel in flare.kernels:
        w = weights[kernel.name]
        for iy, ix in zip(*np.nonzero(w), strict=True):
            if wsum[iy, ix] > 0:
                continue  # first kernel wins where they overlap
            wsum[iy, ix] = w[iy, ix]
            p, f, v = histories(t_obs[:, ix], flare.hxr, kernel, lowest, float(w[iy, ix]))
            p0[:, iy, ix], f20[:, iy, ix], vel[:, iy, ix] = p, f, v
            prof = interp(np.column_stack([np.log10(p), np.log10(f)]))
            shift = lines.shift_from_velocity(v)
            for s in range(n_scan):
                spec[s, iy, ix] = np.interp(dl - shift[s], dl, prof[s])
    return spec, p0, f20, vel, wsum


def truth_dataset(grid: xr.Dataset, flare: Flare, t_obs: NDArray[np.float64], n_y: int) -> xr.Dataset:
    """True P0, F20, v and Hα spectra of every pixel at its own exposure time.

    Parameters
    ----------
    grid : xarray.Dataset
        ``profiles.nc`` (``intensity(p0, f20, wavelength)``, ``quiet_intensity``).
    flare : Flare
        HXR light curve and kernels.
    t_obs : numpy.ndarray, shape (n_scan, n_x)
        Exposure times [s] (:func:`kineticflow.halpha.instrument.observation_times`).
    n_y : int
        Pixels along the slit.

    Returns
    -------
    xarray.Dataset
        ``p0, f20, velocity`` on (scan, y, x), ``kernel_weight`` on (y, x), ``spectrum`` on (scan, y,
        x, wavelength) in units of the quiet continuum, ``t_s`` on (scan, x), the HXR rate on ``time``
        and at ``t_s``.
    """
    spec, p0, f20, vel, wsum = kernel_pixels(grid, flare, t_obs, n_y)
    t_fine = np.arange(float(t_obs.min()) - 15.0, float(t_obs.max()) + 15.0, 0.25)
    d3 = ("scan", "y", "x")
    ds = xr.Dataset(
        {
            "spectrum": variable(
                spec,
                (*d3, "wavelength"),
                units="1",
                long_name="true Halpha intensity / quiet continuum (Doppler shifted, before the instrument)",
            ),
            "p0": variable(p0, d3, units="dyn cm-2", long_name="true coronal pressure (0 = quiet FAL-C pixel)"),
            "f20": variable(f20, d3, units="erg cm-2 s-1", long_name="true beam flux above 20 keV (0 = quiet pixel)"),
            "velocity": variable(
                vel, d3, units="km s-1", long_name="true line-of-sight velocity, positive = redshift = downflow"
            ),
            "kernel_weight": variable(wsum, ("y", "x"), units="1", long_name="flare kernel weight (0 = quiet)"),
            "hxr_rate": variable(
                hxr_rate(t_fine, flare.hxr), "time", units="count s-1", long_name="hard x-ray count rate"
            ),
            "hxr_at_pixel": variable(
                hxr_rate(t_obs, flare.hxr),
                ("scan", "x"),
                units="count s-1",
                long_name="hard x-ray count rate at each slit position's exposure time",
            ),
        },
        coords=_truth_coords(grid, t_obs, t_fine, n_y),
    )
    for k in flare.kernels:
        ds.attrs[f"kernel_{k.name}"] = f"y={k.y}, x={k.x}"
    ds.attrs["source"] = SOURCE
    return ds


def _truth_coords(
    grid: xr.Dataset, t_obs: NDArray[np.float64], t_fine: NDArray[np.float64], n_y: int
) -> dict[str, xr.DataArray]:
    """Coordinates of the truth: scan, y, x, exposure times, the HXR time axis and the grid's wavelengths."""
    n_scan, n_x = t_obs.shape
    return {
        "scan": xr.DataArray(np.arange(n_scan), dims="scan", attrs=dim_attrs("scan")),
        "y": xr.DataArray(np.arange(n_y), dims="y", attrs=dim_attrs("y")),
        "x": xr.DataArray(np.arange(n_x), dims="x", attrs=dim_attrs("x")),
        "t_s": variable(t_obs, ("scan", "x"), units="s", long_name="exposure time of each slit position"),
        "time": xr.DataArray(t_fine, dims="time", attrs=dim_attrs("time")),
        "wavelength": grid["wavelength"],
        "delta_wavelength": grid["delta_wavelength"],
    }
