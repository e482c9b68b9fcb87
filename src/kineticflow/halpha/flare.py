"""Rule ``simulate_flare``: a flare field of view tied to a hard x-ray light curve, on the slit-scan clock.

Every pixel (``y`` along the slit, ``x`` the slit position) is seen once per raster ``scan`` at its own
time ``t = t_start + scan x cycle + x / step_rate`` (sunraster's "time per raster step" convention).
Kernel pixels follow ``F20(t)`` proportional to the HXR count rate, ``P0(t)`` that rises with the
integrated HXR counts until the kernel's loop is full (evaporation fills the loop more slowly than the
beam switches; Hα paper Sect. III: the north pixel's pressure rises through the impulsive phase, the
strand pixel's is already high at the HXR peak and stays), and downflow episodes ``v(t)`` that start
at each HXR spike and decay exponentially (Hα paper Sect. V).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from scipy.interpolate import RegularGridInterpolator

from kineticflow.core.attrs import dim_attrs
from kineticflow.halpha import lines
from kineticflow.halpha.dataset import var


def hxr_rate(t: NDArray[np.float64], spikes: Mapping[str, Any]) -> NDArray[np.float64]:
    """HXR count rate [counts s⁻¹]: background plus spikes with linear rise and exponential decay.

    Parameters
    ----------
    t : numpy.ndarray
        Time [s].
    spikes : mapping
        ``background``, and lists ``times_s``, ``peaks`` [counts s⁻¹], ``rise_s``, ``decay_s``.

    Returns
    -------
    numpy.ndarray
        Count rate, same shape as ``t``.
    """
    rate = np.full_like(np.asarray(t, float), float(spikes["background"]))
    for t0, peak in zip(spikes["times_s"], spikes["peaks"], strict=True):
        dt = t - t0
        rise = float(spikes["rise_s"])
        shape = np.where(
            dt < -rise, 0.0, np.where(dt < 0, 1.0 + dt / rise, np.exp(-np.maximum(dt, 0) / float(spikes["decay_s"])))
        )
        rate = rate + float(peak) * shape
    return rate


def downflow(t: NDArray[np.float64], episodes: Mapping[str, Any]) -> NDArray[np.float64]:
    """Downflow velocity [km s⁻¹]: episodes ``v_k exp(-(t - t_k)/tau_k)`` from each spike time ``t_k``.

    A 2 s linear rise precedes each decay; where episodes overlap the larger velocity is seen
    (the newer downflow dominates the excess emission), so peaks stay at the injected ``v_k``.
    """
    v = np.zeros_like(np.asarray(t, float))
    for t0, vk, tau in zip(episodes["times_s"], episodes["velocity_kms"], episodes["decay_s"], strict=True):
        dt = t - t0
        v = np.maximum(v, vk * np.where(dt < 0, 0.0, np.where(dt < 2.0, dt / 2.0, np.exp(-(dt - 2.0) / tau))))
    return v


def observation_times(scan_cfg: Mapping[str, Any], n_scan: int) -> NDArray[np.float64]:
    """Time [s] at which slit position ``x`` of ``scan`` is exposed, shape (n_scan, n_x)."""
    n_x = int(scan_cfg["slit_positions"])
    step = 1.0 / float(scan_cfg["steps_per_s"])
    return (
        float(scan_cfg["t_start_s"])
        + np.arange(n_scan)[:, None] * float(scan_cfg["cycle_s"])
        + np.arange(n_x)[None, :] * step
    )


def kernel_weights(n_y: int, n_x: int, kernels: Mapping[str, Mapping[str, Any]]) -> dict[str, NDArray[np.float64]]:
    """Gaussian kernel masks (peak 1) per named kernel; pixels below 0.3 are outside (weight 0)."""
    yy, xx = np.mgrid[0:n_y, 0:n_x]
    out = {}
    for name, k in kernels.items():
        w = np.exp(-0.5 * (((yy - k["y"]) / k["sigma_y"]) ** 2 + ((xx - k["x"]) / k["sigma_x"]) ** 2))
        out[name] = np.where(w >= 0.3, w, 0.0)
    return out


def _histories(
    t: NDArray[np.float64], cfg: Mapping[str, Any], kernel: Mapping[str, Any], grid: xr.Dataset, weight: float
) -> tuple[NDArray[np.float64], ...]:
    """``(P0, F20, v)`` at times ``t`` for a kernel pixel of weight ``w``.

    ``F20 = F_min + w (F_peak - F_min) R(t) / R_max`` follows the HXR rate ``R`` linearly (thick-target
    HXR flux is proportional to the beam flux); ``P0 = P_min + w (P_peak - P_min) min(1, C(t) / f)``
    follows the normalised cumulative HXR counts ``C`` (evaporation accumulates) until the fraction
    ``f = p0_fill_fraction`` of the counts has been deposited, then stays (no draining: the paper's
    pressures "remained at a high level immediately afterward"); ``v = w^(1/4) v_episodes(t)``.
    """
    spikes = cfg["hxr"]
    rate = hxr_rate(t, spikes) - float(spikes["background"])
    fine = np.linspace(min(float(np.min(t)), 0.0) - 60.0, float(np.max(t)) + 1.0, 4001)
    cum = np.cumsum(np.clip(hxr_rate(fine, spikes) - float(spikes["background"]), 0, None))
    cum_t = np.interp(t, fine, cum / cum[-1])
    filled = np.minimum(cum_t / float(kernel.get("p0_fill_fraction", 1.0)), 1.0)
    p_lo, f_lo = float(grid.p0.min()), float(grid.f20.min())
    p0 = p_lo + weight * (float(kernel["p0_peak"]) - p_lo) * filled
    f20 = f_lo + weight * (float(kernel["f20_peak"]) - f_lo) * np.clip(rate / _peak_norm(spikes), 0.0, 1.0)
    v = weight**0.25 * downflow(t, kernel["episodes"])
    return p0, f20, v


def _peak_norm(spikes: Mapping[str, Any]) -> float:
    """Maximum of the background-subtracted HXR rate (sampled every 0.1 s over the spikes)."""
    t = np.arange(min(spikes["times_s"]) - 10.0, max(spikes["times_s"]) + 10.0, 0.1)
    return float(np.max(hxr_rate(t, spikes) - float(spikes["background"])))


def _kernel_pixels(
    grid: xr.Dataset,
    cfg: Mapping[str, Any],
    weights: Mapping[str, NDArray[np.float64]],
    t_obs: NDArray[np.float64],
    n_y: int,
) -> tuple[NDArray[Any], ...]:
    """Spectra (quiet FAL-C outside the kernels), P0, F20, v and the kernel weight of every pixel."""
    n_scan, n_x = t_obs.shape
    dl = grid["delta_wavelength"].values
    axes = (np.log10(grid.p0.values), np.log10(grid.f20.values))
    interp = RegularGridInterpolator(axes, grid["intensity"].values, bounds_error=True)
    spec = np.broadcast_to(grid["quiet_intensity"].values.astype(np.float32), (n_scan, n_y, n_x, dl.size)).copy()
    p0, f20, vel = (np.zeros((n_scan, n_y, n_x)) for _ in range(3))
    wsum = np.zeros((n_y, n_x))
    for name, w in weights.items():
        for iy, ix in zip(*np.nonzero(w), strict=True):
            if wsum[iy, ix] > 0:
                continue  # first kernel wins where they overlap
            wsum[iy, ix] = w[iy, ix]
            p, f, v = _histories(t_obs[:, ix], cfg, cfg["kernels"][name], grid, float(w[iy, ix]))
            p0[:, iy, ix], f20[:, iy, ix], vel[:, iy, ix] = p, f, v
            prof = interp(np.column_stack([np.log10(p), np.log10(f)]))
            shift = lines.shift_from_velocity(v)
            for s in range(n_scan):
                spec[s, iy, ix] = np.interp(dl - shift[s], dl, prof[s])
    return spec, p0, f20, vel, wsum


def simulate_flare(grid: xr.Dataset, section: Mapping[str, Any]) -> xr.Dataset:
    """True P0, F20, v and Hα spectra of every pixel at its own observation time.

    Parameters
    ----------
    grid : xarray.Dataset
        ``profiles.nc`` (:func:`kineticflow.halpha.profiles.collect_profiles`).
    section : mapping
        The ``halpha`` config section (``flare`` and ``scan`` keys).

    Returns
    -------
    xarray.Dataset
        ``p0, f20, velocity, kernel_weight`` on (scan, y, x), ``spectrum`` on (scan, y, x, wavelength)
        in units of the quiet continuum, ``t_s`` on (scan, x), the HXR rate on ``time`` and at ``t_s``.
    """
    cfg, scan = section["flare"], section["scan"]
    n_scan, n_x, n_y = int(scan["n_scans"]), int(scan["slit_positions"]), int(scan["pixels_along_slit"])
    t_obs = observation_times(scan, n_scan)
    weights = kernel_weights(n_y, n_x, cfg["kernels"])
    spec, p0, f20, vel, wsum = _kernel_pixels(grid, cfg, weights, t_obs, n_y)
    t_fine = np.arange(float(t_obs.min()) - 15.0, float(t_obs.max()) + 15.0, 0.25)
    ds = xr.Dataset(
        {
            "spectrum": var(
                spec,
                ("scan", "y", "x", "wavelength"),
                "1",
                "true Halpha intensity / quiet continuum (Doppler shifted, before the instrument)",
            ),
            "p0": var(p0, ("scan", "y", "x"), "dyn cm-2", "true coronal pressure (0 = quiet FAL-C pixel)"),
            "f20": var(f20, ("scan", "y", "x"), "erg cm-2 s-1", "true beam flux above 20 keV (0 = quiet pixel)"),
            "velocity": var(
                vel, ("scan", "y", "x"), "km s-1", "true line-of-sight velocity, positive = redshift = downflow"
            ),
            "kernel_weight": var(wsum, ("y", "x"), "1", "flare kernel weight (0 = quiet)"),
            "hxr_rate": var(hxr_rate(t_fine, cfg["hxr"]), "time", "counts s-1", "hard x-ray count rate"),
            "hxr_at_pixel": var(
                hxr_rate(t_obs, cfg["hxr"]),
                ("scan", "x"),
                "counts s-1",
                "hard x-ray count rate at each slit position's exposure time",
            ),
        },
        coords={
            "scan": xr.DataArray(np.arange(n_scan), dims="scan", attrs=dim_attrs("scan")),
            "y": xr.DataArray(np.arange(n_y), dims="y", attrs=dim_attrs("y")),
            "x": xr.DataArray(np.arange(n_x), dims="x", attrs=dim_attrs("x")),
            "t_s": var(t_obs, ("scan", "x"), "s", "exposure time of each slit position"),
            "time": xr.DataArray(t_fine, dims="time", attrs=dim_attrs("time")),
            "wavelength": grid["wavelength"],
            "delta_wavelength": grid["delta_wavelength"],
        },
    )
    for name in weights:
        ds.attrs[f"kernel_{name}"] = f"y={cfg['kernels'][name]['y']}, x={cfg['kernels'][name]['x']}"
    return ds
