"""Self-diffusion coefficient from the velocity autocorrelation (Green–Kubo) and the MSD (Einstein).

Plasma paper (Daligault, PRL 108, 225004 (2012)): D = (1/3) ∫₀^∞ ⟨v(t)·v(0)⟩ dt. In plasma units
(time in 1/ω_p, velocity in a ω_p) the integral is D* = D/(a² ω_p) directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import xarray as xr
from scipy.integrate import cumulative_trapezoid, trapezoid
from scipy.optimize import curve_fit

from kineticflow.core.io import with_attrs


class DiffusionError(ValueError):
    """A VACF or MSD that cannot give a diffusion coefficient (too short, non-positive D)."""


def running_green_kubo(vacf: npt.ArrayLike, lag: npt.ArrayLike) -> np.ndarray:
    """Running Green–Kubo integral D(t) = (1/3) ∫₀^t ⟨v(s)·v(0)⟩ ds (trapezoidal rule).

    Parameters
    ----------
    vacf : array_like, shape (n_lags,)
        ⟨v(t)·v(0)⟩ summed over the three components.
    lag : array_like, shape (n_lags,)
        Lags t, increasing, starting at 0.

    Returns
    -------
    ndarray, shape (n_lags,)
        D(t) in units of [vacf]·[lag].
    """
    return cumulative_trapezoid(np.asarray(vacf, float), np.asarray(lag, float), initial=0.0) / 3.0


def green_kubo_diffusion(
    vacf: npt.ArrayLike,
    lag: npt.ArrayLike,
    tail_correction: bool = True,
    tail_window: float = 0.1,
) -> float:
    """Self-diffusion coefficient from the Green–Kubo integral of the VACF.

    D = (1/3) ∫₀^{t_c} C(t) dt over the whole lag window, plus, optionally, the exponential
    tail beyond t_c: for C(t) = C(0) e^{−t/τ} with τ = 3D/C(0), the remainder is
    C(t_c) τ/3, which gives D = I(t_c) / (1 − C(t_c)/C(0)) (exact for an exponential VACF,
    negligible where the VACF has decayed, e.g. in the strongly coupled liquid).

    Parameters
    ----------
    vacf : array_like, shape (n_lags,)
        ⟨v(t)·v(0)⟩ summed over components; C(0) = 3 k_B T/m.
    lag : array_like, shape (n_lags,)
        Lags, increasing from 0.
    tail_correction : bool
        Add the exponential remainder.
    tail_window : float
        Fraction of the window at its end over which C(t_c) is averaged (noise).

    Returns
    -------
    float
        D in units of [vacf]·[lag] (D* for plasma units).

    Raises
    ------
    DiffusionError
        Fewer than 3 lags, lags not starting at 0, C(0) ≤ 0, or a tail ratio C(t_c)/C(0) ≥ 0.5
        (window far too short for a trustworthy correction).
    """
    c = np.asarray(vacf, float)
    t = np.asarray(lag, float)
    if c.shape != t.shape or c.size < 3:
        raise DiffusionError(f"vacf and lag need the same shape with >= 3 lags, got {c.shape} and {t.shape}")
    if t[0] != 0 or c[0] <= 0:
        raise DiffusionError(f"need lag[0] = 0 and vacf(0) > 0, got lag[0] = {t[0]}, vacf(0) = {c[0]}")
    integral = trapezoid(c, t) / 3.0
    if not tail_correction:
        return float(integral)
    k = max(2, int(round(tail_window * c.size)))
    ratio = float(np.mean(c[-k:]) / c[0])
    if ratio <= 0:
        return float(integral)
    if ratio >= 0.5:
        raise DiffusionError(
            f"VACF still at {ratio:.2f} of its initial value at the end of the lag window; "
            "lengthen plasma.md.lag_tau / production"
        )
    # C(t_c) estimated at the centre of the averaging window; extrapolate to t_c
    t_mid = np.mean(t[-k:])
    tau_guess = 3.0 * integral / c[0] / (1.0 - ratio)
    ratio_tc = ratio * np.exp(-(t[-1] - t_mid) / tau_guess)
    return float(integral / (1.0 - ratio_tc))


def einstein_diffusion(msd: npt.ArrayLike, lag: npt.ArrayLike, fit_from: float = 0.5) -> float:
    """Self-diffusion coefficient from the MSD (Einstein relation), with ballistic onset.

    Fits MSD(t) = 6 D [t − τ (1 − e^{−t/τ})] + c over ``lag ≥ fit_from · lag[-1]`` with
    ``scipy.optimize.curve_fit``: exact (c = 0) for an exponential VACF (weak coupling), and
    6 D t + const at long times for any VACF (the cage offset of the liquid goes into c).

    Parameters
    ----------
    msd : array_like, shape (n_lags,)
        ⟨|r(t) − r(0)|²⟩.
    lag : array_like, shape (n_lags,)
        Lags from 0.
    fit_from : float
        Start of the fitted range as a fraction of the window.

    Returns
    -------
    float
        D in units of [msd]/[lag].

    Raises
    ------
    DiffusionError
        If fewer than 5 points are fitted or the fit fails.
    """
    m = np.asarray(msd, float)
    t = np.asarray(lag, float)
    sel = t >= fit_from * t[-1]
    if sel.sum() < 5:
        raise DiffusionError(f"only {int(sel.sum())} MSD points to fit; need >= 5")
    ts, ms = t[sel], m[sel]

    def model(tt: np.ndarray, d: float, tau: float, c: float) -> np.ndarray:
        return 6.0 * d * (tt - tau * (1.0 - np.exp(-tt / tau))) + c

    slope = max((ms[-1] - ms[0]) / (ts[-1] - ts[0]) / 6.0, 1e-12)
    scale = max(abs(ms).max(), 1e-300)
    try:
        popt, _ = curve_fit(
            model,
            ts,
            ms,
            p0=[slope, ts[0] / 10 + 1e-9, 0.0],
            bounds=([0.0, 1e-9, -scale], [np.inf, 10 * t[-1], scale]),
            maxfev=20000,
        )
    except (RuntimeError, ValueError) as exc:
        raise DiffusionError(f"Einstein fit of the MSD failed: {exc}") from exc
    return float(popt[0])


def d_star_from_md(ds: xr.Dataset, tail_correction: bool = True, fit_from: float = 0.5) -> dict[str, float]:
    """D* with its statistical error from one MD dataset (:func:`kineticflow.plasma.md.simulate_md`).

    The error is the standard error of the Green–Kubo D* over disjoint particle groups
    (``vacf_block``): std(D_b)/√n_blocks.

    Returns
    -------
    dict
        ``d_star``, ``d_star_err``, ``d_star_msd``, ``tail_fraction`` (share of D* from the
        tail correction).
    """
    lag = ds["lag"].values
    d = green_kubo_diffusion(ds["vacf"].values, lag, tail_correction)
    d0 = green_kubo_diffusion(ds["vacf"].values, lag, False)
    blocks = np.array([green_kubo_diffusion(b, lag, tail_correction) for b in ds["vacf_block"].values])
    err = float(np.std(blocks, ddof=1) / np.sqrt(blocks.size))
    d_msd = einstein_diffusion(ds["msd"].values, lag, fit_from) / 1.0
    if not d > 0:
        raise DiffusionError(f"non-positive Green-Kubo D* = {d:g}")
    return {"d_star": d, "d_star_err": err, "d_star_msd": d_msd, "tail_fraction": 1.0 - d0 / d}


def collect_diffusion(
    runs: Sequence[xr.Dataset],
    tail_correction: bool = True,
    fit_from: float = 0.5,
    max_msd_mismatch: float = 0.1,
) -> xr.Dataset:
    """Green–Kubo D*(κ, Γ) of all MD runs, with errors and the Einstein cross-check.

    Runs with equal (κ, Γ) and different seeds are combined: D* is the mean over seeds and the
    error the standard error over seeds when there are ≥ 3 seeds, else the particle-group
    errors combined in quadrature / n_seeds.

    Parameters
    ----------
    runs : sequence of xarray.Dataset
        Outputs of ``simulate_md`` (attributes ``kappa``, ``gamma``, ``seed``).
    tail_correction, fit_from : see :func:`green_kubo_diffusion`, :func:`einstein_diffusion`.
    max_msd_mismatch : float
        Relative GK–Einstein difference above which the point is flagged (``msd_mismatch``).

    Returns
    -------
    xarray.Dataset
        ``d_star(kappa, gamma)``, ``d_star_err(kappa, gamma)``, ``d_star_msd(kappa, gamma)``,
        ``gamma_measured``, ``tail_fraction``, ``energy_drift``, ``n_seeds``; NaN where a
        (κ, Γ) pair was not simulated.
    """
    per: dict[tuple[float, float], list[dict[str, float]]] = {}
    for ds in runs:
        key = (float(ds.attrs["kappa"]), float(ds.attrs["gamma"]))
        r = d_star_from_md(ds, tail_correction, fit_from)
        r["gamma_measured"] = float(ds["gamma_measured"])
        r["energy_drift"] = float(ds["energy_drift"])
        per.setdefault(key, []).append(r)
    kappas = sorted({k for k, _ in per})
    gammas = sorted({g for _, g in per})
    names = [
        "d_star",
        "d_star_err",
        "d_star_msd",
        "gamma_measured",
        "tail_fraction",
        "energy_drift",
        "n_seeds",
        "msd_mismatch",
    ]
    out = {n: np.full((len(kappas), len(gammas)), np.nan) for n in names}
    for (k, g), rs in per.items():
        i, j = kappas.index(k), gammas.index(g)
        d = np.array([r["d_star"] for r in rs])
        out["d_star"][i, j] = d.mean()
        if len(rs) >= 3:
            out["d_star_err"][i, j] = d.std(ddof=1) / np.sqrt(len(rs))
        else:
            out["d_star_err"][i, j] = np.sqrt(sum(r["d_star_err"] ** 2 for r in rs)) / len(rs)
        out["d_star_msd"][i, j] = np.mean([r["d_star_msd"] for r in rs])
        out["gamma_measured"][i, j] = np.mean([r["gamma_measured"] for r in rs])
        out["tail_fraction"][i, j] = np.mean([r["tail_fraction"] for r in rs])
        out["energy_drift"][i, j] = max(r["energy_drift"] for r in rs)
        out["n_seeds"][i, j] = len(rs)
        out["msd_mismatch"][i, j] = float(abs(out["d_star_msd"][i, j] / out["d_star"][i, j] - 1) > max_msd_mismatch)
    meta = {
        "d_star": ("1", "self-diffusion coefficient D* = D/(a^2 omega_p), Green-Kubo"),
        "d_star_err": ("1", "statistical standard error of D*"),
        "d_star_msd": ("1", "D* from the Einstein relation (MSD), cross-check"),
        "gamma_measured": ("1", "coupling from the mean NVE temperature"),
        "tail_fraction": ("1", "share of D* from the exponential tail correction"),
        "energy_drift": ("k_B T per particle", "largest total-energy drift of the runs"),
        "n_seeds": ("1", "independent runs combined"),
        "msd_mismatch": ("1", f"1 where |D*_msd/D* - 1| > {max_msd_mismatch:g}"),
    }
    data = {n: with_attrs(xr.DataArray(out[n], dims=("kappa", "gamma")), *meta[n]) for n in names}
    return xr.Dataset(
        data,
        coords={
            "kappa": with_attrs(xr.DataArray(kappas, dims="kappa"), "1", "screening parameter kappa a"),
            "gamma": with_attrs(xr.DataArray(gammas, dims="gamma"), "1", "coupling parameter Gamma"),
        },
        attrs={"tail_correction": int(tail_correction), "msd_fit_from": fit_from},
    )


def diffusion_params(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The ``plasma.green_kubo`` options as keyword arguments of :func:`collect_diffusion`."""
    return {
        "tail_correction": bool(cfg["tail_correction"]),
        "fit_from": float(cfg["msd_fit_from"]),
        "max_msd_mismatch": float(cfg["max_msd_mismatch"]),
    }
