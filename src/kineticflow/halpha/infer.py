"""Recovered parameters: P0 and F20 from the profile grid and calibrated velocities, pixel by pixel.

The inferences of R. C. Canfield et al., optical imaging spectroscopy of solar flares: P0 from the
central reversal and F20 from the wing extent matched against the theoretical grid (Sects. III–IV,
after Canfield, Gunkler & Ricchiazzi 1984); the velocity calibrated by :mod:`calibrate`. Each
recovered number is put beside the injected one of the simulation's truth (NaN for an observation).
The decay times and the timing against the HXR rate: :mod:`kineticflow.halpha.timing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray
from scipy.interpolate import RegularGridInterpolator

from kineticflow.halpha import calibrate
from kineticflow.halpha.config import Measure
from kineticflow.halpha.instrument import slit_matrix
from kineticflow.halpha.measure import pixel_diagnostics


def grid_diagnostics(
    grid: xr.Dataset, *, delta_wavelength: NDArray[np.float64], slit_fwhm_a: float, measure: Measure
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Reversal depth and wing extent of instrument-convolved grid profiles on an ``mesh²`` log mesh.

    Parameters
    ----------
    grid : xarray.Dataset
        The profile grid.
    delta_wavelength : numpy.ndarray, shape (n,)
        CCD pixel offsets [Å] of the observation.
    slit_fwhm_a : float
        FWHM of the slit function [Å].
    measure : Measure
        ``mesh``, ``bisector_levels`` and ``wing_threshold``.

    Returns
    -------
    tuple of numpy.ndarray
        ``log10 P0`` and ``log10 F20`` of the mesh points (mesh²,), and (mesh², 3) diagnostics
        (reversal depth, wing extent [Å], Doppler-corrected line-centre intensity).
    """
    dl_out, n_mesh = delta_wavelength, int(measure.mesh)
    a = slit_matrix(dl_out, grid["delta_wavelength"].values, float(slit_fwhm_a))
    lp, lf = np.log10(grid.p0.values), np.log10(grid.f20.values)
    interp = RegularGridInterpolator((lp, lf), grid["intensity"].values)
    mp, mf = np.meshgrid(np.linspace(lp[0], lp[-1], n_mesh), np.linspace(lf[0], lf[-1], n_mesh), indexing="ij")
    pts = np.column_stack([mp.ravel(), mf.ravel()])
    spectra = interp(pts) @ a.T
    pre = a @ grid["intensity"].values[0, 0]
    zero = np.full(dl_out.size, 1e-12)
    levels = np.asarray(measure.bisector_levels, float)
    diag = np.array(
        [
            [d["reversal_depth"], d["wing_extent_a"], d["rest_centre"]]
            for d in (
                pixel_diagnostics(
                    dl_out, s, pre, zero, levels=levels, min_excess_sigma=0.0, wing_threshold=measure.wing_threshold
                )
                for s in spectra
            )
        ]
    )
    return pts[:, 0], pts[:, 1], diag


def _row(
    diag: xr.Dataset, truth: xr.Dataset | None, hxr_at_pixel: NDArray[np.float64] | None, s: int, iy: int, ix: int
) -> dict[str, Any]:
    """The truth (NaN without one) and line diagnostics of one pixel and scan (columns of recovered.csv)."""

    def true(name: str) -> float:
        return np.nan if truth is None else float(truth[name].values[s, iy, ix])

    return {
        "pixel": f"y{iy}x{ix}",
        "y": int(iy),
        "x": int(ix),
        "scan": s,
        "t_s": float(diag["t_s"].values[s, ix]),
        "v_true_kms": true("velocity"),
        "v_bisector_kms": float(diag["velocity"].values[s, iy, ix]),
        "v_recovered_kms": np.nan,
        "p0_calibration": np.nan,
        "f20_calibration": np.nan,
        "v_noise_free_kms": float(diag["velocity_noise_free"].values[s, iy, ix]),
        "p0_true": true("p0"),
        "p0_recovered": np.nan,
        "f20_true": true("f20"),
        "f20_recovered": np.nan,
        "hxr_rate": np.nan if hxr_at_pixel is None else float(hxr_at_pixel[s, ix]),
        "wing_extent_a": np.nan,
        "reversal_depth": np.nan,
        "line_centre": float(diag["line_centre_intensity"].values[s, iy, ix]),
    }


def kernel_pixels(truth: xr.Dataset) -> list[tuple[int, int]]:
    """(y, x) of the simulated flare's kernel pixels (``kernel_weight > 0``), row-major: the rows of recovered.csv."""
    return [(int(iy), int(ix)) for iy, ix in zip(*np.nonzero(truth["kernel_weight"].values), strict=True)]


def flare_pixels(
    diag: xr.Dataset, tracked: Sequence[tuple[str, int, int]], region: Sequence[int] | None = None
) -> list[tuple[int, int]]:
    """(y, x) of an observation's flare pixels, row-major: the rows of its recovered.csv.

    A pixel is in the flare when its excess is significant (a bisector velocity) in any scan after
    the pre-flare one, inside ``region`` ``[y0, y1, x0, x1]`` (half-open; default the field); the
    tracked pixels are always in.
    """
    mask = np.isfinite(diag["velocity"].values[1:]).any(axis=0)
    if region is not None:
        y0, y1, x0, x1 = (int(v) for v in region)
        inside = np.zeros_like(mask)
        inside[y0:y1, x0:x1] = True
        mask &= inside
    for _, y, x in tracked:
        mask[int(y), int(x)] = True
    return [(int(iy), int(ix)) for iy, ix in zip(*np.nonzero(mask), strict=True)]


def recover(
    diag: xr.Dataset,
    grid: xr.Dataset,
    *,
    measure: Measure,
    pixels: Sequence[tuple[int, int]],
    truth: xr.Dataset | None = None,
    hxr_at_pixel: NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """Table of (true and) recovered velocity, P0, F20 for every pixel of ``pixels`` and scan after the first.

    P0 and F20 are the mesh point whose (reversal depth, wing extent, line-centre intensity) is nearest
    to the observed triple, distances scaled by ``match_scale_depth``, ``match_scale_wing_a`` and
    ``match_scale_centre``; the velocity is calibrated by :class:`calibrate.VelocityCalibrator`. The
    instrument (pixel offsets, slit FWHM, continuum counts) is read from ``diag``, which carries the
    observation's. The true columns come from ``truth`` (a simulation; NaN without), ``hxr_rate``
    from ``hxr_at_pixel`` (scan, x) [count s⁻¹] (NaN without).

    Returns
    -------
    pandas.DataFrame
        One row per pixel and scan (columns of ``recovered.csv``).
    """
    dl = diag["delta_wavelength"].values
    fwhm, counts = float(diag.attrs["slit_fwhm_a"]), float(diag.attrs["continuum_counts"])
    lp, lf, gd = grid_diagnostics(grid, delta_wavelength=dl, slit_fwhm_a=fwhm, measure=measure)
    scale = np.array([measure.match_scale_depth, measure.match_scale_wing_a, measure.match_scale_centre])
    model = calibrate.VelocityCalibrator(
        grid, delta_wavelength=dl, slit_fwhm_a=fwhm, continuum_counts=counts, levels=measure.bisector_levels
    )
    rows = []
    for iy, ix in pixels:
        for s in range(1, diag.sizes["scan"]):
            obs = np.array(
                [diag[v].values[s, iy, ix] for v in ("reversal_depth", "wing_extent", "rest_centre_intensity")]
            )
            if np.all(np.isfinite(obs)):
                k = int(np.argmin(np.sum(((gd - obs) / scale) ** 2, axis=1)))
                p_rec, f_rec = 10 ** lp[k], 10 ** lf[k]
            else:
                p_rec = f_rec = np.nan
            row = _row(diag, truth, hxr_at_pixel, s, iy, ix)
            pre = diag["pre_impulsive"].values[iy, ix].astype(np.float64)
            spectrum = pre + diag["difference"].values[s, iy, ix]
            v_rec, p_cal, f_cal = model.calibrated(p_rec, f_rec, pre, spectrum, row["v_bisector_kms"])
            row.update(v_recovered_kms=v_rec, p0_calibration=p_cal, f20_calibration=f_cal)
            row.update(p0_recovered=p_rec, f20_recovered=f_rec, wing_extent_a=obs[1], reversal_depth=obs[0])
            rows.append(row)
    return pd.DataFrame(rows)
