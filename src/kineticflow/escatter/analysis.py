"""Theory normalised to the measured DCS, extrapolation to 0–180° and the integral cross section.

Per energy (paper Sec. 2):

1. the theory DCS T(θ) is convolved with the analyser's angular resolution (Gaussian in θ, the
   paper's "±2°" read as FWHM = 4°; config) → T_c(θ);
2. a weighted least-squares fit of y_k = s T_c(θ_k) (weights 1/u_k, core.fitting.weighted_fit)
   gives the scale factor s, leaving out points whose note starts with an excluded tag;
3. ratio method for the integral: r_k = y_k/(s T_c(θ_k)) is interpolated linearly in θ between the
   measured angles, r = 1 outside them, and σ = s [σ_T + 2π∫_meas (r − 1) T sin θ dθ], with σ_T the
   theory ICS (rotational part in closed form). Outside the measured range this is the scaled
   theory, i.e. the extrapolated points; inside it is the data with the theory's fine structure.
   A theory curve given as data (r ≡ 1) returns s = 1 and σ = σ_T exactly.
4. uncertainty budget (added in quadrature): DCS (the tabulated uncertainties, fully correlated,
   as a relative error on the whole ICS), statistical (scale-fit standard error on the
   extrapolated part), extrapolation (change of the extrapolated part when the theory shape is
   IAM-SCAR without interference instead of IAM-SCAR+I) and integration (trapezoid rule on the
   measured points versus the ratio-method integral over the measured range).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.fitting import weighted_fit
from kineticflow.core.io import with_attrs

FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def convolve_angular(dcs: ArrayLike, angle_deg: ArrayLike, fwhm_deg: float) -> NDArray[np.float64]:
    """Gaussian angular resolution (FWHM in degrees) applied to a DCS on a uniform-ish θ grid.

    The kernel is mirrored at 0° and 180° and renormalised per output angle; FWHM = 0 returns the
    input unchanged.
    """
    y = np.asarray(dcs, dtype=float)
    th = np.asarray(angle_deg, dtype=float)
    if fwhm_deg <= 0:
        return y.copy()
    sig = fwhm_deg / FWHM_PER_SIGMA
    w = np.zeros((th.size, th.size))
    for img in (th, -th, 360.0 - th):
        w += np.exp(-0.5 * ((th[:, None] - img[None, :]) / sig) ** 2)
    w *= np.gradient(th)[None, :]
    return (w @ y) / w.sum(axis=1)


def _scale_model(x: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    return scale * x


def _sin_integral(y: NDArray[np.float64], th_deg: NDArray[np.float64]) -> float:
    th = np.deg2rad(th_deg)
    return float(2.0 * np.pi * np.trapezoid(y * np.sin(th), th))


def one_energy(
    angle_m: NDArray[np.float64],
    y: NDArray[np.float64],
    u: NDArray[np.float64],
    use: NDArray[np.bool_],
    grid: NDArray[np.float64],
    shapes: Sequence[tuple[NDArray[np.float64], float]],
    fwhm_deg: float,
) -> dict[str, float]:
    """Scale fit, ratio-method ICS and budget at one energy.

    Parameters
    ----------
    angle_m, y, u : ndarray, shape (n,)
        Measured angles (deg), DCS and uncertainties.
    use : ndarray of bool, shape (n,)
        Points entering the fit and the measured-range integral.
    grid : ndarray, shape (m,)
        Theory angle grid (deg, 0–180).
    shapes : sequence of (T on grid, σ_T)
        The theory (first: the one reported) and the alternative shape for the extrapolation
        uncertainty.
    fwhm_deg : float
        Angular resolution.
    """
    a, yy, uu = angle_m[use], y[use], u[use]
    res: list[dict[str, Any]] = []
    for t, sig_t in shapes:
        tc = np.interp(a, grid, convolve_angular(t, grid, fwhm_deg))
        fit = weighted_fit(_scale_model, tc, yy, uu, {"scale": float(np.sum(yy * tc / uu**2) / np.sum(tc**2 / uu**2))})
        s = fit.values["scale"]
        inside = (grid >= a.min()) & (grid <= a.max())
        ratio = np.where(inside, np.interp(grid, a, yy / (s * tc)), 1.0)
        meas_part = s * _sin_integral(np.where(inside, ratio * t, 0.0), grid)
        t_meas = _sin_integral(np.where(inside, t, 0.0), grid)
        total = s * (sig_t + _sin_integral((ratio - 1.0) * t, grid))
        res.append(
            {
                "s": s,
                "ds": fit.errors["scale"],
                "redchi": fit.redchi,
                "tc": tc,
                "meas": meas_part,
                "extra": s * (sig_t - t_meas),
                "total": total,
            }
        )
    r0 = res[0]
    resid = (yy - r0["s"] * r0["tc"]) / uu
    rel_dcs = float(np.sum((uu / yy) * yy) / np.sum(yy))  # DCS-weighted mean relative uncertainty
    u_dcs = rel_dcs * r0["total"]
    u_stat = r0["ds"] / r0["s"] * r0["extra"] if np.isfinite(r0["ds"]) else 0.0
    u_extra = abs(res[1]["extra"] - r0["extra"]) if len(res) > 1 else 0.0
    u_int = abs(_trapezoid_points(a, yy) - r0["meas"])
    return {
        "scale_factor": r0["s"],
        "scale_factor_error": r0["ds"],
        "chi2_reduced": r0["redchi"],
        "n_fit_points": float(a.size),
        "fraction_within_errors": float(np.mean(np.abs(resid) <= 1.0)),
        "angle_min_used": float(a.min()),
        "angle_max_used": float(a.max()),
        "ics_measured_range": r0["meas"],
        "ics_extrapolated": r0["total"],
        "ics_uncertainty_dcs": u_dcs,
        "ics_uncertainty_statistical": u_stat,
        "ics_uncertainty_extrapolation": u_extra,
        "ics_uncertainty_integration": u_int,
        "ics_uncertainty": float(np.sqrt(u_dcs**2 + u_stat**2 + u_extra**2 + u_int**2)),
        "extrapolated_fraction": r0["extra"] / r0["total"],
    }


def _trapezoid_points(a: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    return _sin_integral(y, a)


VARIABLES = {
    "scale_factor": ("1", "scale factor theory -> data (weighted fit)"),
    "scale_factor_error": ("1", "standard error of the scale factor"),
    "chi2_reduced": ("1", "reduced chi-square of the scale fit"),
    "n_fit_points": ("1", "points in the scale fit"),
    "fraction_within_errors": ("1", "fraction of fitted points within one error bar of the scaled theory"),
    "angle_min_used": ("degree", "smallest measured angle used"),
    "angle_max_used": ("degree", "largest measured angle used"),
    "ics_measured_range": ("1e-20 m2", "ICS contribution of the measured angular range"),
    "ics_extrapolated": ("1e-20 m2", "integral cross section 0-180 deg (measured + extrapolated)"),
    "ics_uncertainty_dcs": ("1e-20 m2", "ICS uncertainty from the DCS uncertainties (correlated)"),
    "ics_uncertainty_statistical": ("1e-20 m2", "ICS uncertainty from the scale-fit standard error"),
    "ics_uncertainty_extrapolation": ("1e-20 m2", "ICS uncertainty of the extrapolation (theory shape)"),
    "ics_uncertainty_integration": ("1e-20 m2", "ICS uncertainty of the numerical integration"),
    "ics_uncertainty": ("1e-20 m2", "total ICS uncertainty (quadrature sum)"),
    "extrapolated_fraction": ("1", "share of the ICS from the extrapolated angles"),
}


def extrapolate_ics(
    measured: xr.Dataset,
    theory: xr.Dataset,
    *,
    resolution_fwhm_deg: float,
    exclude_notes: Sequence[str] = ("distrusted",),
) -> xr.Dataset:
    """Per measured energy: scale fit, extrapolated ICS, budget, beside the paper and the theory.

    Only the measured energies the theory was computed at are analysed (the others are listed in
    the ``energies_skipped`` attribute).

    Raises
    ------
    KeyError
        If no measured energy has a theory (names both lists).
    """
    skipped = [e for e in measured["energy"].values if not np.any(np.isclose(theory["energy"].values, e))]
    common = [e for e in measured["energy"].values if np.any(np.isclose(theory["energy"].values, e))]
    if not common:
        raise KeyError(
            f"theory energies {theory['energy'].values.tolist()} eV match none of the measured {measured['energy'].values.tolist()} eV"
        )
    measured = measured.sel(energy=common)
    rows = []
    for e in common:
        th = theory.sel(energy=e, method="nearest")
        m = measured.sel(energy=e)
        ok = np.isfinite(m["dcs"].values)
        notes = m["note"].values[ok].astype(str)
        use = np.array([not any(n.startswith(tag) for tag in exclude_notes) for n in notes])
        grid = theory["angle"].values
        # sigma_T carries the closed-form rotational ICS (its forward peak is far below the grid step)
        shapes = [
            (th["dcs"].values, float(th["ics"])),
            (
                th["dcs_iam_scar"].values + th["dcs_rotational"].values,
                float(th["ics_iam_scar"]) + float(th["ics_rotational"]),
            ),
        ]
        r = one_energy(
            m["angle"].values[ok],
            m["dcs"].values[ok],
            m["dcs_uncertainty"].values[ok],
            use,
            grid,
            shapes,
            resolution_fwhm_deg,
        )
        r["ics_theory"] = float(th["ics"])
        rows.append(r)
    ds = _ics_dataset(measured, rows, resolution_fwhm_deg, exclude_notes)
    ds.attrs["energies_skipped"] = [float(e) for e in skipped] if skipped else "none"
    return ds


def _ics_dataset(measured: xr.Dataset, rows: list[dict[str, float]], fwhm: float, exclude: Sequence[str]) -> xr.Dataset:
    ds = xr.Dataset(coords={"energy": measured["energy"]})
    for name, (units, ln) in VARIABLES.items():
        ds[name] = with_attrs(xr.DataArray([r[name] for r in rows], dims="energy"), units, ln)
    ds["ics_theory"] = with_attrs(
        xr.DataArray([r["ics_theory"] for r in rows], dims="energy"),
        "1e-20 m2",
        "theory ICS, IAM-SCAR+I elastic + rotational",
    )
    ds["ics_paper"] = measured["ics_paper"]
    ds["ics_ratio_to_paper"] = with_attrs(
        ds["ics_extrapolated"] / ds["ics_paper"], "1", "our extrapolated ICS / the paper's ICS"
    )
    ds.attrs.update(
        resolution="Gaussian angular resolution, FWHM (not sigma) in degrees",
        resolution_fwhm_deg=fwhm,
        fit_excludes_notes=list(exclude),
        method="ratio method: data/scaled-theory interpolated over the measured range, scaled theory outside",
    )
    return ds


def ics_table(ds: xr.Dataset) -> pd.DataFrame:
    """The CSV table of the ICS (one row per energy)."""
    return pd.DataFrame(
        {
            "energy_ev": ds["energy"].values,
            "scale_factor": ds["scale_factor"].values,
            "ics_measured_range": ds["ics_measured_range"].values,
            "ics_extrapolated": ds["ics_extrapolated"].values,
            "ics_uncertainty": ds["ics_uncertainty"].values,
            "extrapolated_fraction": ds["extrapolated_fraction"].values,
            "ics_paper": ds["ics_paper"].values,
            "ics_theory": ds["ics_theory"].values,
            "chi2_reduced": ds["chi2_reduced"].values,
        }
    ).round(4)
