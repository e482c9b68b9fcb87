"""Weak-coupling kinetic theory of D* beside the MD: Boltzmann–Chapman–Enskog and Landau values.

Parameter-free references for the weakly coupled points of the plasma paper's Fig. 1
(Daligault, PRL 108, 225004 (2012)), computed by a rule and stored in
``results/plasma/kinetic_theory.nc`` (the figure only reads them):

* Boltzmann–Chapman–Enskog, second Sonine order
  (:func:`kineticflow.plasma.ocp.boltzmann.chapman_enskog_d_star`): the bare Yukawa pair potential for
  κ > 0, where it holds up to Γ ≈ 1; for the OCP (κ = 0) the Coulomb potential statically
  screened at the Debye length, an approximation at the level of the constant C that we trust
  only at Γ ≤ 0.2.
* Landau (κ = 0 only): the exact test-particle solution of the Landau equation for a constant
  Coulomb logarithm is 1.190 times the first Chapman–Enskog value
  (:func:`kineticflow.plasma.ocp.boltzmann.landau_self_diffusion_factor`); applied here to the first
  Chapman–Enskog value of the Debye-screened potential (leading logarithm, Γ ≤ 0.2).

Both are evaluated at the coupling the MD run actually had (``gamma_measured``, from its mean
NVE temperature) so that MD/theory compares the same state point, and on a curve for the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.plasma.ocp.boltzmann import chapman_enskog_orders, landau_self_diffusion_factor
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star
from kineticflow.plasma.ocp.reference import reference_parameters


def ce_gamma_max(kappa: float) -> float:
    """Largest Γ at which the Boltzmann–Chapman–Enskog D* is shown and compared.

    Parameters
    ----------
    kappa : float
        Screening κ a ≥ 0.

    Returns
    -------
    float
        1 for the Yukawa OCP (κ > 0, bare pair potential), 0.2 for the Debye-screened OCP.
    """
    return 1.0 if kappa > 0 else 0.2


def _measured_coupling(sub: xr.Dataset) -> np.ndarray:
    """Γ of the MD points: the measured one where known, else the nominal one; NaN where not simulated."""
    g = sub["gamma"].values.astype(float)
    if "gamma_measured" in sub:
        gm = sub["gamma_measured"].values.astype(float)
        g = np.where(np.isfinite(gm), gm, g)
    return np.where(np.isfinite(sub["d_star"].values), g, np.nan)


def kinetic_theory(diffusion: xr.Dataset, n_curve: int = 10) -> xr.Dataset:
    """Chapman–Enskog (and, for κ = 0, Landau) D* at the MD points and on a curve, per κ.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr`` and ``gamma_measured`` on (kappa, gamma), from
        :func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`.
    n_curve : int
        Points of the curve per κ, log-spaced from min(Γ_MD, 0.1)·0.8 to :func:`ce_gamma_max`.

    Returns
    -------
    xarray.Dataset
        On (kappa, gamma): ``gamma_measured``, ``d_star_ce``, ``d_star_landau`` (κ = 0 only),
        ``ratio_md_ce`` = D*_MD/D*_CE and ``ratio_md_ce_stderr``, NaN where Γ > :func:`ce_gamma_max`
        or not simulated. On (kappa, curve_point): ``gamma_curve``, ``d_star_ce_curve``,
        ``d_star_landau_curve``. All D* in units of a² ω_p.
    """
    kappas = diffusion["kappa"].values.astype(float)
    shape = (kappas.size, diffusion["gamma"].size)
    out = {k: np.full(shape, np.nan) for k in ("gamma_measured", "d_star_ce", "d_star_landau")}
    curve = {
        k: np.full((kappas.size, n_curve), np.nan) for k in ("gamma_curve", "d_star_ce_curve", "d_star_landau_curve")
    }
    landau = landau_self_diffusion_factor()
    for i, kappa in enumerate(kappas):
        g = _measured_coupling(diffusion.sel(kappa=kappa))
        out["gamma_measured"][i] = g
        gmax = ce_gamma_max(kappa)
        # points picked by their nominal Γ (as the fits do: a run at Γ = 0.2 measured at 0.2002 stays in),
        # theory evaluated at the measured Γ
        weak = np.isfinite(g) & (diffusion["gamma"].values.astype(float) <= gmax)
        start = min(np.nanmin(g), 0.1) * 0.8 if np.any(np.isfinite(g)) else 0.08
        grid = np.logspace(np.log10(start), np.log10(gmax), n_curve)
        curve["gamma_curve"][i] = grid
        # first and second Sonine order from one evaluation of the collision integrals, curve and points
        both = chapman_enskog_orders(np.concatenate([grid, g[weak]]), kappa)
        curve["d_star_ce_curve"][i] = both[1, :n_curve]
        out["d_star_ce"][i, weak] = both[1, n_curve:]
        if kappa == 0:
            curve["d_star_landau_curve"][i] = landau * both[0, :n_curve]
            out["d_star_landau"][i, weak] = landau * both[0, n_curve:]
    return _theory_dataset(diffusion, out, curve, landau)


#: Variables of :func:`kinetic_theory`: name -> (units, long_name).
THEORY_VARS = {
    "gamma_measured": ("1", "coupling of the MD run (mean NVE temperature) at which the theory is evaluated"),
    "d_star_ce": ("a^2 omega_p", "Boltzmann-Chapman-Enskog D* = D/(a^2 omega_p), 2nd Sonine order, no fit"),
    "d_star_landau": ("a^2 omega_p", "Landau D* (kappa = 0): exact Sonine factor times the 1st Chapman-Enskog value"),
    "ratio_md_ce": ("1", "MD D* / Chapman-Enskog D*"),
    "ratio_md_ce_stderr": ("1", "standard error of MD D* / Chapman-Enskog D* (MD error only)"),
    "gamma_curve": ("1", "coupling Gamma of the theory curve"),
    "d_star_ce_curve": ("a^2 omega_p", "Boltzmann-Chapman-Enskog D* on the curve"),
    "d_star_landau_curve": ("a^2 omega_p", "Landau D* on the curve (kappa = 0 only)"),
}


def _theory_dataset(
    diffusion: xr.Dataset, out: dict[str, np.ndarray], curve: dict[str, np.ndarray], landau: float
) -> xr.Dataset:
    kg, kc = ("kappa", "gamma"), ("kappa", "curve_point")
    d, e = diffusion["d_star"].values, diffusion["d_star_stderr"].values
    values = {**out, **curve, "ratio_md_ce": d / out["d_star_ce"], "ratio_md_ce_stderr": e / out["d_star_ce"]}
    data = {
        name: variable(values[name], kc if name in curve else kg, units=units, long_name=long)
        for name, (units, long) in THEORY_VARS.items()
    }
    kappas = diffusion["kappa"].values.astype(float)
    return xr.Dataset(
        data,
        coords={
            "kappa": coord("kappa", kappas),
            "gamma": coord("gamma", diffusion["gamma"].values),
            "gamma_max": variable(
                [ce_gamma_max(k) for k in kappas],
                "kappa",
                units="1",
                long_name="largest Gamma at which the kinetic theory is evaluated",
            ),
        },
        attrs={
            "landau_factor": landau,
            "sonine_order": 2,
            "potential": "bare Yukawa (kappa > 0); Coulomb screened at the Debye length (kappa = 0)",
        },
    )


def weak_coupling_table(theory: xr.Dataset, diffusion: xr.Dataset) -> pd.DataFrame:
    """MD beside kinetic theory and the paper's model at the weakly coupled points (Γ ≤ :func:`ce_gamma_max`).

    Parameters
    ----------
    theory : xarray.Dataset
        Output of :func:`kinetic_theory`.
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr`` on (kappa, gamma).

    Returns
    -------
    pandas.DataFrame
        One row per MD point with kinetic theory: ``kappa``, ``gamma``, ``gamma_measured``,
        ``d_star``, ``d_star_stderr`` (MD), ``d_star_ce`` (Chapman–Enskog), ``ratio_md_ce`` with
        ``ratio_md_ce_stderr``, ``d_star_landau`` (κ = 0), ``d_star_paper_model`` (Eq. 2 with the
        Table I α, C; NaN where Table I gives none) with ``ratio_md_paper`` and
        ``ratio_md_paper_stderr``. The errors are the MD's only.
    """
    rows = []
    for kappa in theory["kappa"].values.astype(float):
        ref = reference_parameters(kappa)
        for gamma in theory["gamma"].values:
            t = theory.sel(kappa=kappa, gamma=gamma)
            ce = float(t["d_star_ce"])
            if not np.isfinite(ce):
                continue
            g = float(t["gamma_measured"])
            d = float(diffusion["d_star"].sel(kappa=kappa, gamma=gamma))
            e = float(diffusion["d_star_stderr"].sel(kappa=kappa, gamma=gamma))
            paper = float(chapman_spitzer_d_star(g, ref["alpha"], ref["C"])) if np.isfinite(ref["alpha"]) else np.nan
            rows.append({
                "kappa": kappa, "gamma": float(gamma), "gamma_measured": g, "d_star": d, "d_star_stderr": e,
                "d_star_ce": ce, "ratio_md_ce": d / ce, "ratio_md_ce_stderr": e / ce,
                "d_star_landau": float(t["d_star_landau"]),
                "d_star_paper_model": paper, "ratio_md_paper": d / paper, "ratio_md_paper_stderr": e / paper,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=WEAK_COUPLING_COLUMNS)


#: Columns of :func:`weak_coupling_table`.
WEAK_COUPLING_COLUMNS = [
    "kappa", "gamma", "gamma_measured", "d_star", "d_star_stderr", "d_star_ce", "ratio_md_ce", "ratio_md_ce_stderr",
    "d_star_landau", "d_star_paper_model", "ratio_md_paper", "ratio_md_paper_stderr",
]  # fmt: skip
