"""Recovered parameters: P0 and F20 from the profile grid, calibrated velocities, decay times, HXR timing.

The inferences of R. C. Canfield et al., optical imaging spectroscopy of solar flares: P0 from the
central reversal and F20 from the wing extent matched against the theoretical grid (Sects. III–IV,
after Canfield, Gunkler & Ricchiazzi 1984), the redshift decay after each HXR spike and the timing of
the wing extent against the HXR rate (Sect. V, Figs 3 and 5). Each recovered number is put beside the
injected one of the simulation's truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray
from scipy.interpolate import RegularGridInterpolator

from kineticflow.core.attrs import variable
from kineticflow.core.fitting import FitError, weighted_fit
from kineticflow.halpha import calibrate, flare
from kineticflow.halpha.config import Flare, Hxr, Measure
from kineticflow.halpha.instrument import slit_matrix
from kineticflow.halpha.measure import pixel_diagnostics

#: velocity column of recovered.csv whose redshift decay time is ``tau_fit`` (the raw one is ``tau_fit_bisector``)
DECAY_VELOCITY = "v_recovered_kms"
#: Diagnostics of recovered.csv correlated with the HXR rate (the ``quantity`` axis of fits.nc).
QUANTITIES = ("wing_extent_a", "v_bisector_kms", "v_recovered_kms", "line_centre")


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


def _row(diag: xr.Dataset, truth: xr.Dataset, s: int, iy: int, ix: int) -> dict[str, Any]:
    """The truth and line diagnostics of one pixel and scan (columns of recovered.csv)."""
    return {
        "pixel": f"y{iy}x{ix}",
        "y": int(iy),
        "x": int(ix),
        "scan": s,
        "t_s": float(truth["t_s"].values[s, ix]),
        "v_true_kms": float(truth["velocity"].values[s, iy, ix]),
        "v_bisector_kms": float(diag["velocity"].values[s, iy, ix]),
        "v_recovered_kms": np.nan,
        "p0_calibration": np.nan,
        "f20_calibration": np.nan,
        "v_noise_free_kms": float(diag["velocity_noise_free"].values[s, iy, ix]),
        "p0_true": float(truth["p0"].values[s, iy, ix]),
        "p0_recovered": np.nan,
        "f20_true": float(truth["f20"].values[s, iy, ix]),
        "f20_recovered": np.nan,
        "hxr_rate": float(truth["hxr_at_pixel"].values[s, ix]),
        "wing_extent_a": np.nan,
        "reversal_depth": np.nan,
        "line_centre": float(diag["line_centre_intensity"].values[s, iy, ix]),
    }


def recover(diag: xr.Dataset, truth: xr.Dataset, grid: xr.Dataset, *, measure: Measure) -> pd.DataFrame:
    """Table of true vs recovered velocity, P0, F20 for every kernel pixel and scan after the first.

    P0 and F20 are the mesh point whose (reversal depth, wing extent, line-centre intensity) is nearest
    to the observed triple, distances scaled by ``match_scale_depth``, ``match_scale_wing_a`` and
    ``match_scale_centre``; the velocity is calibrated by :class:`calibrate.VelocityCalibrator`. The
    instrument (pixel offsets, slit FWHM, continuum counts) is read from ``diag``, which carries the
    observation's.

    Returns
    -------
    pandas.DataFrame
        One row per kernel pixel and scan (columns of ``recovered.csv``).
    """
    dl = diag["delta_wavelength"].values
    fwhm, counts = float(diag.attrs["slit_fwhm_a"]), float(diag.attrs["continuum_counts"])
    lp, lf, gd = grid_diagnostics(grid, delta_wavelength=dl, slit_fwhm_a=fwhm, measure=measure)
    scale = np.array([measure.match_scale_depth, measure.match_scale_wing_a, measure.match_scale_centre])
    model = calibrate.VelocityCalibrator(
        grid, delta_wavelength=dl, slit_fwhm_a=fwhm, continuum_counts=counts, levels=measure.bisector_levels
    )
    rows = []
    for iy, ix in zip(*np.nonzero(truth["kernel_weight"].values), strict=True):
        for s in range(1, truth.sizes["scan"]):
            obs = np.array(
                [diag[v].values[s, iy, ix] for v in ("reversal_depth", "wing_extent", "rest_centre_intensity")]
            )
            if np.all(np.isfinite(obs)):
                k = int(np.argmin(np.sum(((gd - obs) / scale) ** 2, axis=1)))
                p_rec, f_rec = 10 ** lp[k], 10 ** lf[k]
            else:
                p_rec = f_rec = np.nan
            row = _row(diag, truth, s, iy, ix)
            pre = diag["pre_impulsive"].values[iy, ix].astype(np.float64)
            spectrum = pre + diag["difference"].values[s, iy, ix]
            v_rec, p_cal, f_cal = model.calibrated(p_rec, f_rec, pre, spectrum, row["v_bisector_kms"])
            row.update(v_recovered_kms=v_rec, p0_calibration=p_cal, f20_calibration=f_cal)
            row.update(p0_recovered=p_rec, f20_recovered=f_rec, wing_extent_a=obs[1], reversal_depth=obs[0])
            rows.append(row)
    return pd.DataFrame(rows)


def _decay(t: NDArray[np.float64], amplitude: float, tau: float) -> NDArray[np.float64]:
    return amplitude * np.exp(-t / tau)


def decay_fits(
    table: pd.DataFrame, *, flare: Flare, velocity_sigma_kms: float, column: str = DECAY_VELOCITY
) -> list[dict[str, Any]]:
    r"""Exponential decay time of the redshift ``column`` in each episode of each tracked pixel (lmfit).

    .. math:: v(t) = A \exp(-(t - t_k) / \tau), \quad t_k + 2\,\mathrm{s} \le t < t_{k+1}

    Returns
    -------
    list of dict
        Per kernel and episode: ``tau_fit_s`` and its ``tau_stderr_s`` (NaN with fewer than 3 points
        or a failed fit), the injected ``tau_true_s`` and the number of points.
    """
    out = []
    sigma = float(velocity_sigma_kms)
    for k in flare.kernels:
        sel = table[(table.y == int(k.y)) & (table.x == int(k.x))]
        starts = list(k.episodes.times_s) + [np.inf]
        for n in range(len(starts) - 1):
            ep = sel[(sel.t_s >= starts[n] + 2.0) & (sel.t_s < starts[n + 1])].dropna(subset=[column])
            tau = stderr = np.nan
            if len(ep) >= 3:
                try:
                    fit = weighted_fit(
                        _decay,
                        ep.t_s.values - starts[n],
                        ep[column].values,
                        np.full(len(ep), sigma),
                        {"amplitude": float(ep[column].values[0]), "tau": 40.0},
                        independent="t",
                        bounds={"tau": (1.0, 1e3)},
                    )
                    tau, stderr = fit.values["tau"], fit.stderr["tau"]
                except FitError:
                    pass
            out.append(
                {
                    "kernel": k.name,
                    "episode": n,
                    "t_start_s": starts[n],
                    "tau_true_s": float(k.episodes.decay_s[n]),
                    "tau_fit_s": tau,
                    "tau_stderr_s": stderr,
                    "n_points": len(ep),
                }
            )
    return out


def hxr_correlation(table: pd.DataFrame, column: str, hxr: Hxr, max_lag_s: float = 30.0) -> tuple[float, float, float]:
    """Pearson r of ``column`` with the HXR rate at each pixel's own time, and the best lag.

    Returns
    -------
    tuple of float
        ``(r at zero lag, lag [s] of the maximum r, that maximum r)``; a positive lag means the
        quantity follows the HXR rate.
    """
    ok = table.dropna(subset=[column])
    t, y = ok.t_s.values, ok[column].values
    lags = np.arange(-max_lag_s, max_lag_s + 0.5, 1.0)
    r = np.array([np.corrcoef(y, flare.hxr_rate(t - lag, hxr))[0, 1] for lag in lags])
    r0 = float(r[np.argmin(np.abs(lags))])
    return r0, float(lags[int(np.nanargmax(r))]), float(np.nanmax(r))


def correlations(table: pd.DataFrame, flare_params: Flare, quantities: Sequence[str] = QUANTITIES) -> NDArray[Any]:
    """:func:`hxr_correlation` of each quantity at each tracked pixel, shape (tracked, quantity, 3)."""
    per_kernel = {
        k.name: [
            hxr_correlation(table[(table.y == int(k.y)) & (table.x == int(k.x))], q, flare_params.hxr)
            for q in quantities
        ]
        for k in flare_params.kernels
    }
    return np.array([[per_kernel[k.name][q] for q in range(len(quantities))] for k in flare_params.kernels])


def velocity_cube(table: pd.DataFrame, diag: xr.Dataset) -> xr.DataArray:
    """``v_recovered_kms`` of the table on (scan, y, x); NaN outside the kernels, in scan 0 and where not measured."""
    cube = np.full((diag.sizes["scan"], diag.sizes["y"], diag.sizes["x"]), np.nan)
    cube[table.scan.values, table.y.values, table.x.values] = table.v_recovered_kms.values
    return variable(
        cube,
        ("scan", "y", "x"),
        units="km s-1",
        long_name="calibrated bisector velocity (forward-modelled difference-spectrum bisector), positive = redshift",
    )


#: scalar velocity summaries of fits.nc: name -> long name (NaN when no pixel is in the band)
VELOCITY_SUMMARY = {
    "velocity_bias_median": "median v_bisector - v_true in the band",
    "velocity_bias_worst": "largest |v_bisector - v_true| in the band",
    "velocity_noise_median": "median |v_bisector - v_noise_free| in the band",
    "velocity_noise_worst": "largest |v_bisector - v_noise_free| in the band",
    "recovered_error_median": "median |v_recovered - v_true| in the band (calibrated bisector)",
    "recovered_error_worst": "largest |v_recovered - v_true| in the band (calibrated bisector)",
}
#: Variables of fits.nc that hold NaN where a fit failed or nothing was measured.
MAY_BE_NAN = (
    "tau_fit",
    "tau_stderr",
    "tau_fit_bisector",
    "tau_stderr_bisector",
    "velocity_recovered",
    *VELOCITY_SUMMARY,
)


def velocity_summary(table: pd.DataFrame, v_min: float) -> dict[str, xr.DataArray]:
    """Bias (vs truth) and photon-noise error (vs the noise-free observation) for v_min <= v_true <= 60 km/s."""
    band = table[(table.v_true_kms >= v_min) & (table.v_true_kms <= 60.0)]
    bias = band.v_bisector_kms - band.v_true_kms
    noise = (band.v_bisector_kms - band.v_noise_free_kms).abs()
    err = band.v_recovered_kms - band.v_true_kms
    values = {
        "recovered_error_median": float(err.abs().median()),
        "recovered_error_worst": float(err.abs().max()),
        "velocity_bias_median": float(bias.median()),
        "velocity_bias_worst": float(bias.abs().max()),
        "velocity_noise_median": float(noise.median()),
        "velocity_noise_worst": float(noise.max()),
    }
    return {k: variable(v, (), units="km s-1", long_name=VELOCITY_SUMMARY[k]) for k, v in values.items()}


def _tau_variables(decays: pd.DataFrame, raw: pd.DataFrame) -> dict[str, xr.DataArray]:
    """Decay times of the calibrated (``tau_fit``) and raw (``tau_fit_bisector``) velocities, on ``episode``."""
    ep = "episode"
    return {
        "tau_fit": variable(
            decays.tau_fit_s.values, ep, units="s", long_name=f"fitted redshift decay time (of {DECAY_VELOCITY})"
        ),
        "tau_stderr": variable(
            decays.tau_stderr_s.values, ep, units="s", long_name="standard error of tau_fit (lmfit, 1 sigma)"
        ),
        "tau_fit_bisector": variable(
            raw.tau_fit_s.values, ep, units="s", long_name="decay time fitted to the raw bisector velocity"
        ),
        "tau_stderr_bisector": variable(
            raw.tau_stderr_s.values, ep, units="s", long_name="standard error of tau_fit_bisector (lmfit, 1 sigma)"
        ),
        "tau_true": variable(decays.tau_true_s.values, ep, units="s", long_name="injected redshift decay time"),
    }


#: ``source`` of the fits.
FITS_SOURCE = "R. C. Canfield et al., optical imaging spectroscopy of solar flares, Sect. V, Figs 3 and 5"


def fits_dataset(table: pd.DataFrame, diag: xr.Dataset, *, flare_params: Flare, measure: Measure) -> xr.Dataset:
    """Decay times of the calibrated and raw velocities, HXR correlations and the velocity summaries.

    Returns
    -------
    xarray.Dataset
        ``tau_fit``, ``tau_stderr``, ``tau_fit_bisector``, ``tau_stderr_bisector``, ``tau_true`` on
        ``episode``; ``r_zero_lag``, ``best_lag``, ``r_best`` on (tracked, quantity); the scalar
        :data:`VELOCITY_SUMMARY`; ``velocity_recovered`` on (scan, y, x).
    """
    sigma = measure.velocity_sigma_kms
    decays = pd.DataFrame(decay_fits(table, flare=flare_params, velocity_sigma_kms=sigma))
    raw = pd.DataFrame(decay_fits(table, flare=flare_params, velocity_sigma_kms=sigma, column="v_bisector_kms"))
    corr = correlations(table, flare_params)
    dims, ep = ("tracked", "quantity"), "episode"
    names = np.array([k.name for k in flare_params.kernels])
    return xr.Dataset(
        {
            **_tau_variables(decays, raw),
            "r_zero_lag": variable(
                corr[..., 0], dims, units="1", long_name="Pearson r with the HXR rate at the pixel's own times"
            ),
            "best_lag": variable(
                corr[..., 1], dims, units="s", long_name="lag of the maximum correlation (positive: follows HXR)"
            ),
            "r_best": variable(corr[..., 2], dims, units="1", long_name="maximum Pearson r over lags"),
            **velocity_summary(table, float(measure.strong_redshift_kms)),
            "velocity_recovered": velocity_cube(table, diag),
        },
        coords={
            **{k: diag[k] for k in ("scan", "y", "x")},
            "episode": variable(np.arange(len(decays)), ep, units="1", long_name="redshift episode"),
            "kernel": variable(decays.kernel.values.astype(str), ep, units="1", long_name="kernel of the episode"),
            "tracked": variable(names, "tracked", units="1", long_name="tracked kernel pixel (kernel centre)"),
            "quantity": variable(
                np.array(QUANTITIES), "quantity", units="1", long_name="diagnostic correlated with HXR"
            ),
        },
        attrs={"source": FITS_SOURCE},
    )


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """One tidy table of the fits: a row per decay episode and per (tracked pixel, HXR correlation)."""
    rows: list[dict[str, Any]] = []
    for i in range(fits.sizes["episode"]):
        rows.append(
            {
                "kind": "redshift decay",
                "pixel": str(fits.kernel.values[i]),
                "item": f"episode {i}",
                "true": float(fits.tau_true.values[i]),
                "value": float(fits.tau_fit.values[i]),
                "stderr": float(fits.tau_stderr.values[i]),
                "unit": "s",
            }
        )
    for n, name in enumerate(fits.tracked.values):
        for q, quantity in enumerate(fits.quantity.values):
            rows.append(
                {
                    "kind": "correlation with HXR",
                    "pixel": str(name),
                    "item": str(quantity),
                    "r_zero_lag": float(fits.r_zero_lag.values[n, q]),
                    "value": float(fits.r_best.values[n, q]),
                    "lag_s": float(fits.best_lag.values[n, q]),
                    "unit": "1",
                }
            )
    for name in VELOCITY_SUMMARY:
        rows.append(
            {"kind": "bisector velocity 40-60 km/s", "item": name, "value": float(fits[name]), "unit": "km s-1"}
        )
    return pd.DataFrame(rows)
