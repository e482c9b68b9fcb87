"""Figures of the plasma branch: D*(Γ) with the fitted models (plasma paper, Fig. 1)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.plotting import figure
from kineticflow.plasma.models import (
    chapman_spitzer_d_star,
    chapman_spitzer_limit_d_star,
    eyring_d_star,
    piecewise_d_star,
)


def plot_d_star(diffusion: xr.Dataset, fits: xr.Dataset, kappa: float, theory: xr.Dataset | None = None) -> Any:
    """D*(Γ) on log–log axes with both fitted models and the MD/model ratio below.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star(kappa, gamma)``, ``d_star_err(kappa, gamma)``.
    fits : xarray.Dataset
        ``alpha``, ``C``, ``A``, ``B`` and ``*_ref`` per ``kappa``.
    kappa : float
        κ a to plot.
    theory : xarray.Dataset, optional
        Weak-coupling kinetic theory (:func:`kineticflow.plasma.kinetic_theory.kinetic_theory`):
        ``gamma_curve``, ``d_star_ce_curve``, ``d_star_landau_curve`` and ``d_star_ce`` at the MD
        points; not drawn if absent.

    Returns
    -------
    matplotlib.figure.Figure
        Upper panel: MD points with error bars, generalised Chapman–Spitzer fit (Eq. 2, blue),
        plain CS limit (dashed), Eyring fit (Eq. 4, red), published models (thin grey), and the
        parameter-free Boltzmann–Chapman–Enskog value (green; Γ ≤ 1 for κ > 0, Γ ≤ 0.2 for the
        Debye-screened OCP) and, for κ = 0, the Landau value (green dotted).
        Lower panel: MD / model (Eq. 2 below the crossover of the two fits, Eq. 4 above;
        published parameters where a fit is missing), MD / Table I model (open squares) and
        MD / Chapman–Enskog (triangles), with the ±10 % band.
    """
    fig, (ax, axr) = figure(nrows=2, width=6.0, height=5.6, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    d = diffusion.sel(kappa=kappa, method="nearest")
    f = fits.sel(kappa=kappa, method="nearest")
    ok = np.isfinite(d["d_star"].values)
    g = (d["gamma_measured"] if "gamma_measured" in d else d["gamma"]).values[ok]
    ds = d["d_star"].values[ok]
    de = d["d_star_err"].values[ok]
    gm = float(f["gamma_m"])
    grid = np.logspace(np.log10(min(g.min(), 0.1) * 0.8), np.log10(max(g.max(), gm) * 1.1), 300)
    ax.errorbar(g, ds, yerr=de, fmt="o", color="k", ms=4, capsize=2, label="MD (Green–Kubo)", zorder=5)
    if "d_star_msd" in d:
        ax.plot(g, d["d_star_msd"].values[ok], "x", color="0.4", ms=5, label="MD (Einstein)")

    def par(name: str) -> float:
        return float(f[name]) if name in f else np.nan

    alpha, c, a, b = par("alpha"), par("C"), par("A"), par("B")
    alpha_r, c_r, a_r, b_r = par("alpha_ref"), par("C_ref"), par("A_ref"), par("B_ref")
    cs_ok = np.isfinite(alpha) and np.isfinite(c)
    ey_ok = np.isfinite(a) and np.isfinite(b)
    low = grid[grid <= 40]
    high = grid[grid >= 10]
    if cs_ok:
        ax.plot(
            low,
            chapman_spitzer_d_star(low, alpha, c),
            color="tab:blue",
            label=f"Eq. 2 fit: α = {alpha:.3g}, C = {c:.3g}",
        )
        weak = low[low <= 1.0]
        ax.plot(
            weak,
            chapman_spitzer_limit_d_star(weak, alpha, c),
            "--",
            color="tab:blue",
            lw=1,
            label="plain Chapman–Spitzer limit",
        )
    if ey_ok:
        ax.plot(high, eyring_d_star(high, a, b), color="tab:red", label=f"Eq. 4 fit: A = {a:.3g}, B = {b:.3g}")
    if np.isfinite(alpha_r) and np.isfinite(c_r):
        ax.plot(low, chapman_spitzer_d_star(low, alpha_r, c_r), ":", color="0.5", lw=1, label="Table I, Eq. 2")
    if np.isfinite(a_r) and np.isfinite(b_r):
        ax.plot(high, eyring_d_star(high, a_r, b_r), "-.", color="0.5", lw=1, label="Table I, Eq. 4")
    if theory is not None:
        _plot_theory_curve(ax, theory.sel(kappa=kappa, method="nearest"), kappa)
    ax.axvline(gm, color="0.7", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$D^* = D/(a^2\omega_p)$")
    ax.set_title(f"κa = {kappa:g}" + (" (OCP)" if kappa == 0 else " (Yukawa OCP)") + f", Γ_m = {gm:g}")
    ax.legend(loc="lower left")

    # MD / model: Eq. 2 below the crossover of the two fits, Eq. 4 above (Table I where a fit is missing)
    fitted = (alpha, c) if cs_ok else (alpha_r, c_r), (a, b) if ey_ok else (a_r, b_r)
    ce = theory.sel(kappa=kappa, method="nearest")["d_star_ce"].values[ok] if theory is not None else None
    _plot_ratios(
        axr, g, ds, de, piecewise_d_star(g, *fitted[0], *fitted[1]), piecewise_d_star(g, alpha_r, c_r, a_r, b_r), ce
    )
    return fig


def _plot_theory_curve(ax: Any, theory: xr.Dataset, kappa: float) -> None:
    """The Chapman–Enskog curve (and Landau for κ = 0) of the kinetic-theory result of one κ."""
    # Boltzmann with the bare Yukawa pair potential holds while the plasma is weakly coupled;
    # the OCP's static Debye screening is an approximation, shown only at the weakest couplings
    label = "Boltzmann–Chapman–Enskog, no fit (" + ("Debye-screened" if kappa == 0 else "bare Yukawa") + ")"
    ax.plot(theory["gamma_curve"].values, theory["d_star_ce_curve"].values, "-.", color="tab:green", lw=1, label=label)
    landau = theory["d_star_landau_curve"].values
    if np.any(np.isfinite(landau)):
        ax.plot(
            theory["gamma_curve"].values,
            landau,
            ":",
            color="tab:green",
            lw=1,
            label="Landau (exact Sonine factor 1.190)",
        )


def _plot_ratios(
    axr: Any, g: np.ndarray, ds: np.ndarray, de: np.ndarray, m: np.ndarray, m_pub: np.ndarray, ce: np.ndarray | None
) -> None:
    """Lower panel: MD / fitted model with errors, MD / Table I model, MD / Chapman–Enskog, ±10 % band."""
    axr.axhspan(0.9, 1.1, color="0.9")
    axr.axhline(1.0, color="0.5", lw=0.8)
    axr.errorbar(g, ds / m, yerr=de / m, fmt="o", color="k", ms=4, capsize=2, label="MD / fitted model")
    if np.any(np.isfinite(m_pub)):
        axr.plot(g, ds / m_pub, "s", mfc="none", color="0.45", ms=5, label="MD / Table I model")
    if ce is not None and np.any(np.isfinite(ce)):
        weak = np.isfinite(ce)
        axr.plot(g[weak], ds[weak] / ce[weak], "^", mfc="none", color="tab:green", ms=5, label="MD / Chapman–Enskog")
    axr.legend(loc="best", fontsize=7)
    axr.set_xscale("log")
    axr.set_xlabel(r"$\Gamma$")
    axr.set_ylabel("MD / model")
