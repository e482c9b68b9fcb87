"""D*(κ, Γ) of the OCP and Yukawa OCP runs: Green–Kubo with errors, the Einstein cross-check, seeds combined.

Plasma paper (Daligault, PRL 108, 225004 (2012)): D = (1/3) ∫₀^∞ ⟨v(t)·v(0)⟩ dt. In plasma units
(time in 1/ω_p, velocity in a ω_p) the integral is D* = D/(a² ω_p) directly; the estimators are
:mod:`kineticflow.plasma.md.transport`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.plasma.md.transport import DiffusionError, einstein_diffusion, green_kubo_diffusion

#: Variables of :func:`collect_diffusion`: name -> (units, long_name).
DIFFUSION_VARS = {
    "d_star": ("a^2 omega_p", "self-diffusion coefficient D* = D/(a^2 omega_p), Green-Kubo"),
    "d_star_stderr": ("a^2 omega_p", "statistical standard error of D*"),
    "d_star_msd": ("a^2 omega_p", "D* from the Einstein relation (MSD), cross-check"),
    "gamma_measured": ("1", "coupling from the mean NVE temperature"),
    "tail_fraction": ("1", "share of D* from the exponential tail correction"),
    "energy_drift": ("k_B T", "largest total-energy drift of the runs, per particle"),
    "n_seeds": ("1", "independent runs combined"),
    "msd_mismatch": ("1", "1 where |D*_msd/D* - 1| exceeds the allowed mismatch"),
}


def d_star_from_md(ds: xr.Dataset, tail_correction: bool = True, fit_from: float = 0.5) -> dict[str, float]:
    """D* with its statistical error from one MD dataset (:func:`kineticflow.plasma.ocp.md.simulate_md`).

    The error is the standard error of the Green–Kubo D* over disjoint particle groups
    (``vacf_block``): std(D_b)/√n_blocks.

    Parameters
    ----------
    ds : xarray.Dataset
        ``vacf(lag)``, ``vacf_block(block, lag)`` [a² ω_p²] and ``msd(lag)`` [a²]; ``lag`` in 1/ω_p.
    tail_correction : bool
        Exponential tail of the Green–Kubo integral (:func:`~kineticflow.plasma.md.transport.green_kubo_diffusion`).
    fit_from : float
        Start of the Einstein fit as a fraction of the window.

    Returns
    -------
    dict
        ``d_star``, ``d_star_stderr``, ``d_star_msd`` (a² ω_p) and ``tail_fraction`` (share of D*
        from the tail correction).

    Raises
    ------
    DiffusionError
        A non-positive Green–Kubo D*, or a VACF/MSD that cannot give one.
    """
    lag = ds["lag"].values
    d = green_kubo_diffusion(ds["vacf"].values, lag, tail_correction)
    d0 = green_kubo_diffusion(ds["vacf"].values, lag, False)
    blocks = np.array([green_kubo_diffusion(b, lag, tail_correction) for b in ds["vacf_block"].values])
    err = float(np.std(blocks, ddof=1) / np.sqrt(blocks.size))
    d_msd = einstein_diffusion(ds["msd"].values, lag, fit_from) / 1.0
    if not d > 0:
        raise DiffusionError(f"non-positive Green-Kubo D* = {d:g}")
    return {"d_star": d, "d_star_stderr": err, "d_star_msd": d_msd, "tail_fraction": 1.0 - d0 / d}


def _per_state_point(
    runs: Sequence[xr.Dataset], tail_correction: bool, fit_from: float
) -> dict[tuple[float, float], list[dict[str, float]]]:
    """Each run's D* (and quality numbers), grouped by its (κ, Γ)."""
    per: dict[tuple[float, float], list[dict[str, float]]] = {}
    for ds in runs:
        key = (float(ds.attrs["kappa"]), float(ds.attrs["gamma"]))
        r = d_star_from_md(ds, tail_correction, fit_from)
        r["gamma_measured"] = float(ds["gamma_measured"])
        r["energy_drift"] = float(ds["energy_drift"])
        per.setdefault(key, []).append(r)
    return per


def _combine_seeds(rs: list[dict[str, float]], max_msd_mismatch: float) -> dict[str, float]:
    """One (κ, Γ) point from its seeds: mean D*; error over seeds (≥ 3) or the group errors combined."""
    d = np.array([r["d_star"] for r in rs])
    out = {"d_star": d.mean()}
    if len(rs) >= 3:
        out["d_star_stderr"] = d.std(ddof=1) / np.sqrt(len(rs))
    else:
        out["d_star_stderr"] = np.sqrt(sum(r["d_star_stderr"] ** 2 for r in rs)) / len(rs)
    out["d_star_msd"] = np.mean([r["d_star_msd"] for r in rs])
    out["gamma_measured"] = np.mean([r["gamma_measured"] for r in rs])
    out["tail_fraction"] = np.mean([r["tail_fraction"] for r in rs])
    out["energy_drift"] = max(r["energy_drift"] for r in rs)
    out["n_seeds"] = len(rs)
    out["msd_mismatch"] = float(abs(out["d_star_msd"] / out["d_star"] - 1) > max_msd_mismatch)
    return out


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
        Outputs of :func:`kineticflow.plasma.ocp.md.simulate_md` (attributes ``kappa``, ``gamma``, ``seed``).
    tail_correction, fit_from : see :func:`d_star_from_md`.
    max_msd_mismatch : float
        Relative GK–Einstein difference above which the point is flagged (``msd_mismatch``).

    Returns
    -------
    xarray.Dataset
        On (kappa, gamma): the variables of :data:`DIFFUSION_VARS` (``d_star``, ``d_star_stderr``,
        ``d_star_msd`` in a² ω_p; ``gamma_measured``, ``tail_fraction``, ``energy_drift``,
        ``n_seeds``, ``msd_mismatch``); NaN where a (κ, Γ) pair was not simulated.

    Raises
    ------
    DiffusionError
        A run whose VACF gives no positive D*.
    """
    per = _per_state_point(runs, tail_correction, fit_from)
    kappas = sorted({k for k, _ in per})
    gammas = sorted({g for _, g in per})
    out = {n: np.full((len(kappas), len(gammas)), np.nan) for n in DIFFUSION_VARS}
    for (k, g), rs in per.items():
        i, j = kappas.index(k), gammas.index(g)
        for name, value in _combine_seeds(rs, max_msd_mismatch).items():
            out[name][i, j] = value
    meta = dict(DIFFUSION_VARS)
    meta["msd_mismatch"] = ("1", f"1 where |D*_msd/D* - 1| > {max_msd_mismatch:g}")
    data = {n: variable(out[n], ("kappa", "gamma"), units=meta[n][0], long_name=meta[n][1]) for n in DIFFUSION_VARS}
    return xr.Dataset(
        data,
        coords={"kappa": coord("kappa", kappas), "gamma": coord("gamma", gammas)},
        attrs={"tail_correction": int(tail_correction), "msd_fit_from": fit_from},
    )
