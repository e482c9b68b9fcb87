"""Rule ``infer_parameters``: P0 and F20 from the profile grid, redshift decay times, HXR correlations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray
from scipy.interpolate import RegularGridInterpolator

from kineticflow.core.fitting import FitError, weighted_fit
from kineticflow.halpha import calibrate, flare
from kineticflow.halpha.dataset import var
from kineticflow.halpha.measure import pixel_diagnostics
from kineticflow.halpha.observe import pixel_offsets, slit_matrix

#: velocity column of recovered.csv whose redshift decay time is ``tau_fit`` (the raw one is ``tau_fit_bisector``)
DECAY_VELOCITY = "v_recovered_kms"


def grid_diagnostics(
    grid: xr.Dataset, section: Mapping[str, Any], n_mesh: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Reversal depth and wing extent of instrument-convolved grid profiles on an ``n_mesh²`` log mesh.

    Returns
    -------
    tuple of numpy.ndarray
        ``log10 P0`` and ``log10 F20`` of the mesh points (n_mesh²,), and (n_mesh², 3) diagnostics
        (reversal depth, wing extent [Å], Doppler-corrected line-centre intensity).
    """
    inst = section["instrument"]
    dl_out = pixel_offsets(inst)
    a = slit_matrix(dl_out, grid["delta_wavelength"].values, float(inst["slit_fwhm_a"]))
    lp, lf = np.log10(grid.p0.values), np.log10(grid.f20.values)
    interp = RegularGridInterpolator((lp, lf), grid["intensity"].values)
    mp, mf = np.meshgrid(np.linspace(lp[0], lp[-1], n_mesh), np.linspace(lf[0], lf[-1], n_mesh), indexing="ij")
    pts = np.column_stack([mp.ravel(), mf.ravel()])
    spectra = interp(pts) @ a.T
    pre = a @ grid["intensity"].values[0, 0]
    zero = np.full(dl_out.size, 1e-12)
    diag = np.array(
        [
            [d["reversal_depth"], d["wing_extent_a"], d["rest_centre"]]
            for d in (
                pixel_diagnostics(dl_out, s, pre, zero, {**section["measure"], "min_excess_sigma": 0.0})
                for s in spectra
            )
        ]
    )
    return pts[:, 0], pts[:, 1], diag


def recover(diag: xr.Dataset, truth: xr.Dataset, grid: xr.Dataset, section: Mapping[str, Any]) -> pd.DataFrame:
    """Table of true vs recovered velocity, P0, F20 for every kernel pixel and scan after the first.

    P0 and F20 are the mesh point whose (reversal depth, wing extent, line-centre intensity) is nearest
    to the observed triple, distances scaled by ``measure.match_scale_depth``, ``match_scale_wing_a``
    and ``match_scale_centre``.
    """
    cfg = section["measure"]
    lp, lf, gd = grid_diagnostics(grid, section, int(cfg["mesh"]))
    scale = np.array(
        [float(cfg["match_scale_depth"]), float(cfg["match_scale_wing_a"]), float(cfg["match_scale_centre"])]
    )
    rows = []
    model = calibrate.VelocityCalibrator(grid, section)
    w = truth["kernel_weight"].values
    for iy, ix in zip(*np.nonzero(w), strict=True):
        for s in range(1, truth.sizes["scan"]):
            obs = np.array(
                [diag[v].values[s, iy, ix] for v in ("reversal_depth", "wing_extent", "rest_centre_intensity")]
            )
            if np.all(np.isfinite(obs)):
                k = int(np.argmin(np.sum(((gd - obs) / scale) ** 2, axis=1)))
                p_rec, f_rec = 10 ** lp[k], 10 ** lf[k]
            else:
                p_rec = f_rec = np.nan
            v_bis = float(diag["velocity"].values[s, iy, ix])
            pre = diag["pre_impulsive"].values[iy, ix].astype(np.float64)
            v_rec, p_cal, f_cal = model.calibrated(p_rec, f_rec, pre, pre + diag["difference"].values[s, iy, ix], v_bis)
            rows.append(
                {
                    "pixel": f"y{iy}x{ix}",
                    "y": int(iy),
                    "x": int(ix),
                    "scan": s,
                    "t_s": float(truth["t_s"].values[s, ix]),
                    "v_true_kms": float(truth["velocity"].values[s, iy, ix]),
                    "v_bisector_kms": v_bis,
                    "v_recovered_kms": v_rec,
                    "p0_calibration": p_cal,
                    "f20_calibration": f_cal,
                    "v_noise_free_kms": float(diag["velocity_noise_free"].values[s, iy, ix]),
                    "p0_true": float(truth["p0"].values[s, iy, ix]),
                    "p0_recovered": p_rec,
                    "f20_true": float(truth["f20"].values[s, iy, ix]),
                    "f20_recovered": f_rec,
                    "hxr_rate": float(truth["hxr_at_pixel"].values[s, ix]),
                    "wing_extent_a": obs[1],
                    "reversal_depth": obs[0],
                    "line_centre": float(diag["line_centre_intensity"].values[s, iy, ix]),
                }
            )
    return pd.DataFrame(rows)


def _decay(t: NDArray[np.float64], amplitude: float, tau: float) -> NDArray[np.float64]:
    return amplitude * np.exp(-t / tau)


def decay_fits(
    table: pd.DataFrame, section: Mapping[str, Any], column: str = "v_recovered_kms"
) -> list[dict[str, Any]]:
    """Exponential decay time of the redshift ``column`` in each episode of each tracked pixel (lmfit)."""
    out = []
    sigma = float(section["measure"]["velocity_sigma_kms"])
    for name, k in section["flare"]["kernels"].items():
        sel = table[(table.y == int(k["y"])) & (table.x == int(k["x"]))]
        starts = list(k["episodes"]["times_s"]) + [np.inf]
        for n in range(len(starts) - 1):
            ep = sel[(sel.t_s >= starts[n] + 2.0) & (sel.t_s < starts[n + 1])].dropna(subset=[column])
            tau = err = np.nan
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
                    tau, err = fit.values["tau"], fit.stderr["tau"]
                except FitError:
                    pass
            out.append(
                {
                    "kernel": name,
                    "episode": n,
                    "t_start_s": starts[n],
                    "tau_true_s": float(k["episodes"]["decay_s"][n]),
                    "tau_fit_s": tau,
                    "tau_err_s": err,
                    "n_points": len(ep),
                }
            )
    return out


def hxr_correlation(
    table: pd.DataFrame, column: str, section: Mapping[str, Any], max_lag_s: float = 30.0
) -> tuple[float, float, float]:
    """Pearson r of ``column`` with the HXR rate at each pixel's own time, and the best lag.

    Returns ``(r at zero lag, lag [s] of the maximum r, that maximum r)``; a positive lag means the
    quantity follows the HXR rate.
    """
    ok = table.dropna(subset=[column])
    t, y = ok.t_s.values, ok[column].values
    lags = np.arange(-max_lag_s, max_lag_s + 0.5, 1.0)
    r = np.array([np.corrcoef(y, flare.hxr_rate(t - lag, section["flare"]["hxr"]))[0, 1] for lag in lags])
    r0 = float(r[np.argmin(np.abs(lags))])
    return r0, float(lags[int(np.nanargmax(r))]), float(np.nanmax(r))


def infer_parameters(
    diag: xr.Dataset, truth: xr.Dataset, grid: xr.Dataset, section: Mapping[str, Any]
) -> tuple[pd.DataFrame, xr.Dataset]:
    """Recovered-vs-true table and the fits (decay times, HXR correlations and lags).

    Parameters
    ----------
    diag, truth, grid : xarray.Dataset
        ``diagnostics.nc``, ``truth.nc``, ``profiles.nc``.
    section : mapping
        The ``halpha`` config section.

    Returns
    -------
    tuple
        The table for ``recovered.csv`` and a Dataset of fits.
    """
    table = recover(diag, truth, grid, section)
    decays = pd.DataFrame(decay_fits(table, section, DECAY_VELOCITY))
    raw = pd.DataFrame(decay_fits(table, section, "v_bisector_kms"))
    kernels = section["flare"]["kernels"]
    quantity = ["wing_extent_a", "v_bisector_kms", "v_recovered_kms", "line_centre"]
    corr_k = {
        name: [
            hxr_correlation(table[(table.y == int(k["y"])) & (table.x == int(k["x"]))], q, section) for q in quantity
        ]
        for name, k in kernels.items()
    }
    corr = np.array([[corr_k[n][q] for q in range(len(quantity))] for n in kernels])  # (tracked, quantity, 3)
    dims = ("tracked", "quantity")
    ds = xr.Dataset(
        {
            "tau_fit": var(
                decays.tau_fit_s.values, "episode", "s", f"fitted redshift decay time (of {DECAY_VELOCITY})"
            ),
            "tau_err": var(decays.tau_err_s.values, "episode", "s", "1-sigma error of the decay time"),
            "tau_fit_bisector": var(
                raw.tau_fit_s.values, "episode", "s", "decay time fitted to the raw bisector velocity v_bisector_kms"
            ),
            "tau_err_bisector": var(raw.tau_err_s.values, "episode", "s", "1-sigma error of tau_fit_bisector"),
            "tau_true": var(decays.tau_true_s.values, "episode", "s", "injected redshift decay time"),
            "r_zero_lag": var(corr[..., 0], dims, "1", "Pearson r with the HXR rate at the pixel's own times"),
            "best_lag": var(corr[..., 1], dims, "s", "lag of the maximum correlation (positive: follows HXR)"),
            "r_best": var(corr[..., 2], dims, "1", "maximum Pearson r over lags"),
            **_velocity_summary(table, float(section["measure"]["strong_redshift_kms"])),
            "velocity_recovered": _velocity_cube(table, diag),
        },
        coords={
            **{k: diag[k] for k in ("scan", "y", "x")},
            "episode": var(np.arange(len(decays)), "episode", "1", "redshift episode"),
            "kernel": var(decays.kernel.values.astype(str), "episode", "1", "kernel of the episode"),
            "tracked": var(np.array(list(kernels)), "tracked", "1", "tracked kernel pixel (kernel centre)"),
            "quantity": var(np.array(quantity), "quantity", "1", "diagnostic correlated with HXR"),
        },
    )
    return table, ds


def _velocity_cube(table: pd.DataFrame, diag: xr.Dataset) -> xr.DataArray:
    """``v_recovered_kms`` of the table on (scan, y, x); NaN outside the kernels, in scan 0 and where not measured."""
    cube = np.full((diag.sizes["scan"], diag.sizes["y"], diag.sizes["x"]), np.nan)
    cube[table.scan.values, table.y.values, table.x.values] = table.v_recovered_kms.values
    return var(
        cube,
        ("scan", "y", "x"),
        "km s-1",
        "calibrated bisector velocity (forward-modelled difference-spectrum bisector), positive = redshift",
    )


def _velocity_summary(table: pd.DataFrame, v_min: float) -> dict[str, xr.DataArray]:
    """Bias (vs truth) and photon-noise error (vs the noise-free observation) for v_min <= v_true <= 60 km/s."""
    band = table[(table.v_true_kms >= v_min) & (table.v_true_kms <= 60.0)]
    bias = band.v_bisector_kms - band.v_true_kms
    noise = (band.v_bisector_kms - band.v_noise_free_kms).abs()
    err = band.v_recovered_kms - band.v_true_kms
    return {
        "recovered_error_median": var(
            float(err.abs().median()), (), "km s-1", "median |v_recovered - v_true| in the band (calibrated bisector)"
        ),
        "recovered_error_worst": var(
            float(err.abs().max()), (), "km s-1", "largest |v_recovered - v_true| in the band (calibrated bisector)"
        ),
        "velocity_bias_median": var(float(bias.median()), (), "km s-1", "median v_bisector - v_true in the band"),
        "velocity_bias_worst": var(float(bias.abs().max()), (), "km s-1", "largest |v_bisector - v_true| in the band"),
        "velocity_noise_median": var(
            float(noise.median()), (), "km s-1", "median |v_bisector - v_noise_free| in the band"
        ),
        "velocity_noise_worst": var(
            float(noise.max()), (), "km s-1", "largest |v_bisector - v_noise_free| in the band"
        ),
    }


#: scalar velocity summaries of fits.nc (NaN when no pixel is in the 40-60 km/s band)
VELOCITY_SUMMARY = (
    "velocity_bias_median",
    "velocity_bias_worst",
    "velocity_noise_median",
    "velocity_noise_worst",
    "recovered_error_median",
    "recovered_error_worst",
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
                "error": float(fits.tau_err.values[i]),
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
