"""A small simulated Hα raster in the external formats: the shipped example of "Your own data".

The field is ``n_y × n_x`` pixels scanned by a stepped slit (``steps_per_s``, a raster every
``cycle_s``) like the simulated instrument of :mod:`kineticflow.halpha.observation`'s contract.
Each recorded spectrum is the quiet profile plus an emission feature that moves with the
line-of-sight velocity, ``I(Δλ) = Q(Δλ) + E(Δλ − λ0 v / c)`` (only the emitting material moves, so
the bisector of the difference against the pre-flare scan is ``v`` up to the sampling). ``Q`` and
``E`` have the shapes of the NLTE grid (absorption with Lorentzian wings; an emission core with a
central reversal and Stark-like wings), the same analytic shapes as the pipeline tests; P0 and F20
fitted to them are not those of a model atmosphere. One flare kernel's emission and downflow follow
two hard X-ray spikes. Counts are Poisson, seeded. :func:`write_example` writes
``resources/halpha_observed_raster.fits`` (counts, ``BUNIT = 'count'``, float32) and
``resources/halpha_hxr.csv`` (``time_s, rate, rate_stderr``), byte for byte the same each time.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.core.io import write_text
from kineticflow.halpha import lines
from kineticflow.halpha.fits_writers import write_fits_raster
from kineticflow.halpha.observation_contract import to_contract

#: Seed of the shipped example.
SEED = 20260516
#: Hard X-ray spikes: times [s] and peaks [counts s⁻¹]; background [counts s⁻¹], rise and decay [s].
HXR_TIMES_S, HXR_PEAKS = (20.0, 50.0), (3000.0, 2000.0)
HXR_BACKGROUND, HXR_RISE_S, HXR_DECAY_S = 50.0, 4.0, 8.0
#: Downflow episodes starting at the spikes: peak velocity [km s⁻¹] and decay time [s].
EPISODE_KMS, EPISODE_DECAY_S = (50.0, 40.0), (30.0, 40.0)
#: The flare kernel: centre pixel (y, x) and Gaussian width [pixels].
KERNEL = (4, 5, 1.5)


def quiet_profile(delta_lambda: ArrayLike) -> NDArray[np.float64]:
    """Quiet-Sun Hα profile / I_c: Gaussian absorption core with Lorentzian wings (analytic model)."""
    dl = np.asarray(delta_lambda, dtype=float)
    return 1.0 - 0.83 * np.exp(-((dl / 0.6) ** 2)) - 0.1 / (1.0 + (dl / 2.0) ** 2)


def emission_profile(delta_lambda: ArrayLike, amplitude: ArrayLike) -> NDArray[np.float64]:
    """Flare emission / I_c at rest: a reversed Gaussian core and Lorentzian wings, peak ~ ``amplitude``."""
    dl = np.asarray(delta_lambda, dtype=float)
    a = np.asarray(amplitude, dtype=float)[..., None]  # one amplitude per spectrum
    core = np.exp(-((dl / 0.7) ** 2)) * (1.0 - 0.3 * np.exp(-((dl / 0.25) ** 2)))
    return a * (core + 0.1 / (1.0 + (dl / 1.5) ** 2))


def hxr_rate(t: ArrayLike) -> NDArray[np.float64]:
    """Hard X-ray count rate [counts s⁻¹] of the example: linear rise, exponential decay per spike."""
    t = np.asarray(t, dtype=float)
    rate = np.full_like(t, HXR_BACKGROUND)
    for t0, peak in zip(HXR_TIMES_S, HXR_PEAKS):
        dt = t - t0
        rise = np.where(dt < -HXR_RISE_S, 0.0, 1.0 + dt / HXR_RISE_S)
        rate = rate + peak * np.where(dt < 0, rise, np.exp(-np.maximum(dt, 0.0) / HXR_DECAY_S))
    return rate


def downflow(t: ArrayLike) -> NDArray[np.float64]:
    """Kernel-centre velocity [km s⁻¹]: the larger of the episodes ``v_k exp(-(t - t_k) / τ_k)``, t ≥ t_k."""
    t = np.asarray(t, dtype=float)
    v = np.zeros_like(t)
    for t0, vk, tau in zip(HXR_TIMES_S, EPISODE_KMS, EPISODE_DECAY_S):
        v = np.maximum(v, np.where(t >= t0, vk * np.exp(-(t - t0) / tau), 0.0))
    return v


def simulate_raster(
    *,
    seed: int = SEED,
    n_scans: int = 8,
    n_y: int = 8,
    n_x: int = 10,
    n_pixels: int = 100,
    half_range_a: float = 4.8,
    steps_per_s: float = 4.0,
    cycle_s: float = 15.0,
    continuum_counts: float = 1.0e4,
) -> xr.Dataset:
    """A simulated slit raster as ``observe_slit_scan`` lays it out, in the contract.

    Parameters
    ----------
    seed : int
        Seed of the Poisson counts.
    n_scans, n_y, n_x, n_pixels : int
        Scans, pixels along the slit, slit positions, spectral pixels.
    half_range_a : float
        Spectral range ±[Å] around Hα (pixel centres as the simulated CCD's).
    steps_per_s, cycle_s : float
        Raster step rate [s⁻¹] and scan cycle [s]; scan 0 ends before the first spike (pre-flare).
    continuum_counts : float
        Expected counts per spectral pixel at I_c.

    Returns
    -------
    xarray.Dataset
        ``counts``, ``intensity = counts / continuum_counts`` (float32), ``expected_intensity``,
        ``velocity`` (injected, (scan, y, x), km s⁻¹), ``t_s(scan, x)``, ``wavelength``,
        ``delta_wavelength``; attributes of :func:`kineticflow.halpha.observation.to_contract`.
    """
    step = 2.0 * half_range_a / n_pixels
    dl = -half_range_a + step * (np.arange(n_pixels) + 0.5)
    t_s = np.arange(n_scans)[:, None] * cycle_s + np.arange(n_x)[None, :] / steps_per_s
    yy, xx = np.mgrid[0:n_y, 0:n_x]
    weight = np.exp(-0.5 * ((yy - KERNEL[0]) ** 2 + (xx - KERNEL[1]) ** 2) / KERNEL[2] ** 2)
    weight = np.where(weight >= 0.3, weight, 0.0)
    onset = np.clip((t_s - HXR_TIMES_S[0] + HXR_RISE_S) / 10.0, 0.0, None)
    amplitude = 2.5 * weight[None] * (1.0 - np.exp(-onset))[:, None, :]
    velocity = weight[None] ** 0.25 * downflow(t_s)[:, None, :]
    shifted = dl[None, None, None, :] - lines.shift_from_velocity(velocity)[..., None]
    expected = quiet_profile(dl) + emission_profile(shifted, amplitude)
    rng = np.random.default_rng(seed)
    counts = rng.poisson(expected * continuum_counts).astype(np.float32)
    dims = ("scan", "y", "x", "wavelength")
    ds = xr.Dataset(
        {
            "counts": variable(counts, dims, units="count", long_name="detected photons per pixel"),
            "intensity": variable(
                counts / continuum_counts, dims, units="1", long_name="observed intensity / quiet continuum"
            ),
            "expected_intensity": variable(
                expected.astype(np.float32), dims, units="1", long_name="noise-free intensity / quiet continuum"
            ),
            "velocity": variable(
                velocity, dims[:3], units="km s-1", long_name="injected line-of-sight velocity, positive = redshift"
            ),
        },
        coords={
            "scan": xr.DataArray(np.arange(n_scans), dims="scan", attrs=dim_attrs("scan")),
            "y": xr.DataArray(np.arange(n_y), dims="y", attrs=dim_attrs("y")),
            "x": xr.DataArray(np.arange(n_x), dims="x", attrs=dim_attrs("x")),
            "t_s": variable(t_s, ("scan", "x"), units="s", long_name="exposure time of each slit position"),
            "wavelength": xr.DataArray(lines.HALPHA_AIR_A + dl, dims="wavelength", attrs=dim_attrs("wavelength")),
            "delta_wavelength": variable(
                dl, "wavelength", units="angstrom", long_name="offset from the Halpha rest wavelength"
            ),
        },
    )
    ds.attrs.update(slit_fwhm_a=0.15, continuum_counts=float(continuum_counts), pixel_arcsec=2.5)
    ds.attrs.update(time_per_raster_step_s=1.0 / steps_per_s, raster_cycle_s=float(cycle_s))
    return to_contract(ds)


def quiet_level_ic(obs: xr.Dataset, wing_a: float | None = None) -> float:
    """Mean of :func:`quiet_profile` over the reference points ``|Δλ| ≥ wing_a`` (``normalise``'s default).

    The ``level_ic`` to give :func:`kineticflow.halpha.observation.normalise` with a scan or box
    reference of this example (its outer points are line wing, 1.6 % below the continuum).
    """
    dl = obs["delta_wavelength"].values
    wing = 0.9 * min(abs(float(dl[0])), abs(float(dl[-1]))) if wing_a is None else wing_a
    return float(np.mean(quiet_profile(dl[np.abs(dl) >= wing])))


def hxr_table(seed: int = SEED, t_max_s: float = 120.0) -> pd.DataFrame:
    """Hard X-ray light curve in 1-s bins: Poisson counts of :func:`hxr_rate`, ``time_s, rate, rate_stderr``."""
    t = np.arange(-10.0, t_max_s, 1.0) + 0.5
    counts = np.random.default_rng(seed + 1).poisson(hxr_rate(t)).astype(float)
    return pd.DataFrame({"time_s": t, "rate": counts, "rate_stderr": np.sqrt(np.maximum(counts, 1.0))})


def write_example(directory: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write the shipped example: the raster as a level-2 FITS file in counts, and the HXR curve.

    Parameters
    ----------
    directory : str or path
        Target folder (``resources/`` of the repository).

    Returns
    -------
    tuple of pathlib.Path
        ``halpha_observed_raster.fits`` and ``halpha_hxr.csv``.
    """
    obs = simulate_raster()
    raw = obs[["counts"]].rename(counts="intensity").assign_coords(t_s=obs["t_s"])
    raw.attrs = {"pixel_arcsec": obs.attrs["pixel_arcsec"]}
    folder = Path(directory)
    fits_path = write_fits_raster(raw, folder / "halpha_observed_raster.fits", offsets_table=False)[0]
    csv_path = write_text(hxr_table().to_csv(index=False, float_format="%.6g"), folder / "halpha_hxr.csv")
    return fits_path, csv_path
