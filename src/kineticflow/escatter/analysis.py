"""Theory normalised to the measured DCS, extrapolation to 0–180° and the integral cross section.

Per energy (paper Sec. 2):

1. the theory DCS T(θ) is convolved with the analyser's angular resolution (Gaussian in θ, the
   paper's "±2°" read as FWHM = 4°; config) → T_c(θ);
2. a weighted least-squares fit of y_k = s T_c(θ_k) (weights 1/u_k, core.fitting.weighted_fit)
   over all used points gives the global scale factor s and the shape χ², leaving out points
   whose note starts with an excluded tag;
3. extrapolation: the paper (Sec. 2) takes "the normalized theoretical points at small (0–30°)
   and large angles (120–180°)" as extrapolated experimental points. These ranges overlap the
   measured 25–125° at 25–30° and 120–125°, i.e. the extrapolated branches are joined to the
   data where they meet it. We do the same: the forward branch (0° to the smallest used angle)
   is T scaled by s_f, a weighted fit over the used points within ``match_deg`` (default 5°) of
   the smallest used angle; the backward branch by s_b fitted likewise at the largest angles.
   Where the theory shape does not follow the data over 25–125° (our theory falls too fast
   beyond 40° at 200–300 eV: data/theory 2–2.6 at 60°) a single global scale would open a
   jump of up to 70 % between the data and the extrapolated points at 25°;
4. the integral: r_k = y_k/T_c(θ_k) interpolated linearly in θ between the measured angles,
   σ = 2π∫_meas r T sin θ dθ + s_f σ_T,fwd + s_b σ_T,bwd, with σ_T,fwd = σ_T − ∫_meas T − σ_T,bwd
   carrying the closed-form rotational forward peak. A theory curve given as data (r ≡ 1) returns
   s = s_f = s_b = 1 and σ = σ_T exactly;
5. uncertainty budget (added in quadrature): DCS (the tabulated uncertainties, fully correlated,
   as a relative error on the whole ICS), statistical (standard errors of s_f and s_b on their
   branches), extrapolation (in quadrature: the change of the extrapolated part when the theory
   shape is IAM-SCAR without interference instead of IAM-SCAR+I, and the difference between the
   end-matched and the globally scaled extrapolation) and integration (trapezoid rule on the
   measured points versus the ratio-method integral over the measured range).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.fitting import weighted_fit
from kineticflow.escatter.instrument import convolve_angular


def _scale_model(x: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    return scale * x


def _sin_integral(y: NDArray[np.float64], th_deg: NDArray[np.float64]) -> float:
    th = np.deg2rad(th_deg)
    return float(2.0 * np.pi * np.trapezoid(y * np.sin(th), th))


def segment(y: NDArray[np.float64], grid: NDArray[np.float64], lo: float, hi: float) -> float:
    """2π ∫_lo^hi y sin θ dθ (trapezoid on the grid points inside, y interpolated at lo and hi).

    Parameters
    ----------
    y : ndarray, shape (m,)
        A DCS on ``grid`` (Å² sr⁻¹).
    grid : ndarray, shape (m,)
        Angles, degrees, increasing.
    lo, hi : float
        Limits, degrees.

    Returns
    -------
    float
        Å².
    """
    inner = (grid > lo) & (grid < hi)
    th = np.concatenate(([lo], grid[inner], [hi]))
    return _sin_integral(np.interp(th, grid, y), th)


def _scale(tc: NDArray[np.float64], y: NDArray[np.float64], u: NDArray[np.float64]) -> tuple[float, float, float]:
    """Weighted least-squares scale y ≈ s·tc (weights 1/u): (s, standard error, reduced χ²)."""
    start = float(np.sum(y * tc / u**2) / np.sum(tc**2 / u**2))
    fit = weighted_fit(_scale_model, tc, y, u, {"scale": start})
    return fit.values["scale"], fit.stderr["scale"], fit.redchi


def shape_ics(
    a: NDArray[np.float64],
    yy: NDArray[np.float64],
    uu: NDArray[np.float64],
    grid: NDArray[np.float64],
    t: NDArray[np.float64],
    sig_t: float,
    fwhm_deg: float,
    match_deg: float,
) -> dict[str, Any]:
    """Global scale fit, end-matched scales and the ICS pieces for one theory shape (steps 2–4).

    Parameters
    ----------
    a, yy, uu : ndarray, shape (n,)
        The used measured angles (deg), DCS and uncertainties (Å² sr⁻¹).
    grid, t : ndarray, shape (m,)
        Theory angle grid (deg, 0–180) and DCS on it.
    sig_t : float
        The theory's ICS (Å²; may carry a peak below the grid step).
    fwhm_deg, match_deg : float
        Angular resolution and end-window width, degrees.

    Returns
    -------
    dict
        ``s``, ``ds``, ``redchi`` (global fit), ``s_f``, ``ds_f``, ``s_b``, ``ds_b`` (end
        windows), ``meas`` (data integral over the measured range), ``t_fwd``, ``t_bwd`` (theory
        ICS outside it), ``extra`` (end-matched extrapolation), ``extra_global``, ``tc``; Å².
    """
    tc = np.interp(a, grid, convolve_angular(t, grid, fwhm_deg))
    s, ds, redchi = _scale(tc, yy, uu)
    fw, bw = a <= a.min() + match_deg, a >= a.max() - match_deg
    s_f, ds_f, _ = _scale(tc[fw], yy[fw], uu[fw])
    s_b, ds_b, _ = _scale(tc[bw], yy[bw], uu[bw])
    lo, hi = float(a.min()), float(a.max())
    ratio = np.interp(grid, a, yy / tc)  # data / convolved theory, linear between measured angles
    meas = segment(ratio * t, grid, lo, hi)
    t_bwd = segment(t, grid, hi, 180.0)
    t_fwd = sig_t - segment(t, grid, lo, hi) - t_bwd  # 0-lo, with the closed-form rotational peak
    return {
        "s": s,
        "ds": ds,
        "redchi": redchi,
        "tc": tc,
        "meas": meas,
        "s_f": s_f,
        "ds_f": ds_f,
        "s_b": s_b,
        "ds_b": ds_b,
        "t_fwd": t_fwd,
        "t_bwd": t_bwd,
        "extra": s_f * t_fwd + s_b * t_bwd,
        "extra_global": s * (t_fwd + t_bwd),
    }


def _budget(
    res: list[dict[str, Any]], a: NDArray[np.float64], yy: NDArray[np.float64], uu: NDArray[np.float64]
) -> dict[str, float]:
    """The ICS and its uncertainty budget from the shape results (first: the reported theory)."""
    r0 = res[0]
    total = r0["meas"] + r0["extra"]
    rel_dcs = float(np.sum(uu) / np.sum(yy))  # DCS-weighted mean relative uncertainty
    u_dcs = rel_dcs * total
    parts = [(r0["ds_f"], r0["t_fwd"]), (r0["ds_b"], r0["t_bwd"])]
    u_stat = float(np.sqrt(sum((d * t) ** 2 for d, t in parts if np.isfinite(d))))
    u_shape = abs(res[1]["extra"] - r0["extra"]) if len(res) > 1 else 0.0
    u_norm = abs(r0["extra_global"] - r0["extra"])
    u_extra = float(np.hypot(u_shape, u_norm))
    u_int = abs(_sin_integral(yy, a) - r0["meas"])
    return {
        "ics_measured_range": r0["meas"],
        "ics_extrapolated": total,
        "ics_global_scale": r0["meas"] + r0["extra_global"],
        "ics_uncertainty_dcs": u_dcs,
        "ics_uncertainty_statistical": u_stat,
        "ics_uncertainty_extrapolation": u_extra,
        "ics_uncertainty_integration": u_int,
        "ics_uncertainty": float(np.sqrt(u_dcs**2 + u_stat**2 + u_extra**2 + u_int**2)),
        "extrapolated_fraction": r0["extra"] / total,
    }


def one_energy(
    angle_m: NDArray[np.float64],
    y: NDArray[np.float64],
    u: NDArray[np.float64],
    use: NDArray[np.bool_],
    grid: NDArray[np.float64],
    shapes: Sequence[tuple[NDArray[np.float64], float]],
    fwhm_deg: float,
    match_deg: float = 5.0,
) -> dict[str, float]:
    """Scale fits, end-matched extrapolation, ICS and budget at one energy (steps 2–5 above).

    Parameters
    ----------
    angle_m, y, u : ndarray, shape (n,)
        Measured angles (deg), DCS and uncertainties (Å² sr⁻¹).
    use : ndarray of bool, shape (n,)
        Points entering the fits and the measured-range integral.
    grid : ndarray, shape (m,)
        Theory angle grid (deg, 0–180).
    shapes : sequence of (T on grid, σ_T)
        The theory (first: the one reported) and the alternative shape for the extrapolation
        uncertainty; DCS in Å² sr⁻¹, σ_T in Å².
    fwhm_deg : float
        Angular resolution (FWHM, degrees).
    match_deg : float
        Width of the end windows (degrees): the forward extrapolation is scaled to the used
        points within ``match_deg`` of the smallest used angle, the backward one to those within
        ``match_deg`` of the largest.

    Returns
    -------
    dict
        The values of :data:`kineticflow.escatter.results.VARIABLES` (cross sections in Å²).

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 2 (normalisation, extrapolation, ICS).
    """
    a, yy, uu = angle_m[use], y[use], u[use]
    res = [shape_ics(a, yy, uu, grid, t, sig_t, fwhm_deg, match_deg) for t, sig_t in shapes]
    r0 = res[0]
    resid = (yy - r0["s"] * r0["tc"]) / uu
    return {
        "scale_factor": r0["s"],
        "scale_factor_stderr": r0["ds"],
        "scale_forward": r0["s_f"],
        "scale_backward": r0["s_b"],
        "chi2_reduced": r0["redchi"],
        "n_fit_points": float(a.size),
        "fraction_within_errors": float(np.mean(np.abs(resid) <= 1.0)),
        "angle_min_used": float(a.min()),
        "angle_max_used": float(a.max()),
        **_budget(res, a, yy, uu),
    }


def measured_points(measured: xr.Dataset, exclude_notes: Sequence[str]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """The measured angles of one energy (``ok``) and, among them, the used ones (``use``).

    Parameters
    ----------
    measured : xarray.Dataset
        ``dcs`` and ``note`` on dim ``angle`` (NaN where not measured).
    exclude_notes : sequence of str
        A point whose note starts with one of these tags is not used.

    Returns
    -------
    ok : ndarray of bool, shape (angle,)
    use : ndarray of bool, shape (ok.sum(),)
    """
    ok = np.isfinite(measured["dcs"].values)
    notes = measured["note"].values[ok].astype(str)
    return ok, np.array([not any(n.startswith(tag) for tag in exclude_notes) for n in notes])


def ics_at_energy(
    measured: xr.Dataset,
    theory: xr.Dataset,
    *,
    resolution_fwhm_deg: float,
    exclude_notes: Sequence[str],
    match_deg: float,
) -> dict[str, float]:
    """:func:`one_energy` on the measured points and the theory of one energy.

    Parameters
    ----------
    measured : xarray.Dataset
        ``dcs``, ``dcs_uncertainty``, ``note`` on dim ``angle`` (NaN where not measured).
    theory : xarray.Dataset
        ``dcs``, ``ics``, ``dcs_iam_scar``, ``ics_iam_scar``, ``dcs_rotational``,
        ``ics_rotational`` on dim ``angle`` (0–180°).
    resolution_fwhm_deg, exclude_notes, match_deg
        As :func:`one_energy`; points whose note starts with a tag of ``exclude_notes`` are
        not used.

    Returns
    -------
    dict
        :data:`kineticflow.escatter.results.VARIABLES` and ``ics_theory`` (Å²).
    """
    ok, use = measured_points(measured, exclude_notes)
    # sigma_T carries the closed-form rotational ICS (its forward peak is far below the grid step)
    shapes = [
        (theory["dcs"].values, float(theory["ics"])),
        (
            theory["dcs_iam_scar"].values + theory["dcs_rotational"].values,
            float(theory["ics_iam_scar"]) + float(theory["ics_rotational"]),
        ),
    ]
    r = one_energy(
        measured["angle"].values[ok],
        measured["dcs"].values[ok],
        measured["dcs_uncertainty"].values[ok],
        use,
        theory["angle"].values,
        shapes,
        resolution_fwhm_deg,
        match_deg,
    )
    r["ics_theory"] = float(theory["ics"])
    return r


def require_theory(measured_energies: ArrayLike, theory_energies: ArrayLike) -> None:
    """Refuse measured energies the theory was not computed at.

    Raises
    ------
    KeyError
        Naming the measured energies without theory and the theory energies (eV).
    """
    th = np.asarray(theory_energies, dtype=float)
    missing = [float(e) for e in np.asarray(measured_energies, dtype=float) if not np.any(np.isclose(th, e))]
    if missing:
        raise KeyError(
            f"measured energies {missing} eV have no theory (theory energies {th.tolist()} eV); "
            "escatter.energies_ev must include every energy of the data file"
        )
