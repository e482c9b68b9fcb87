"""Figures of the OCP / Yukawa OCP: D*(Γ) with the fitted models, ν/ω_p (plasma paper, Fig. 1 and its insets).

Pure: datasets in, matplotlib figures out (the plot steps save them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.plotting import figure
from kineticflow.plasma.ocp.formulas import (
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
        ``d_star(kappa, gamma)``, ``d_star_stderr(kappa, gamma)``.
    fits : xarray.Dataset
        ``alpha``, ``C``, ``A``, ``B`` and ``*_ref`` per ``kappa``.
    kappa : float
        κ a to plot.
    theory : xarray.Dataset, optional
        Weak-coupling kinetic theory (:func:`kineticflow.plasma.ocp.kinetic_theory.kinetic_theory`):
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
    de = d["d_star_stderr"].values[ok]
    gm = float(f["gamma_m"])
    grid = np.logspace(np.log10(min(g.min(), 0.1) * 0.8), np.log10(max(g.max(), gm) * 1.1), 300)
    ax.errorbar(g, ds, yerr=de, fmt="o", color="k", ms=4, capsize=2, label="MD (Green–Kubo)", zorder=5)
    if "d_star_msd" in d:
        ax.plot(g, d["d_star_msd"].values[ok], "x", color="0.4", ms=5, label="MD (Einstein)")

    fitted = _plot_models(ax, f, grid)
    if theory is not None:
        _plot_theory_curve(ax, theory.sel(kappa=kappa, method="nearest"), kappa)
    ax.axvline(gm, color="0.7", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$D^* = D/(a^2\omega_p)$")
    ax.set_title(f"κa = {kappa:g}" + (" (OCP)" if kappa == 0 else " (Yukawa OCP)") + f", Γ_m = {gm:g}")
    ax.legend(loc="lower left")

    # MD / model: Eq. 2 below the crossover of the two fits, Eq. 4 above (Table I where a fit is missing)
    ce = theory.sel(kappa=kappa, method="nearest")["d_star_ce"].values[ok] if theory is not None else None
    alpha_r, c_r, a_r, b_r = (float(f[f"{p}_ref"]) if f"{p}_ref" in f else np.nan for p in ("alpha", "C", "A", "B"))
    published = piecewise_d_star(g, alpha_r, c_r, a_r, b_r, float(fits.attrs.get("eyring_gamma_min", 0.0)))
    _plot_ratios(axr, g, ds, de, piecewise_d_star(g, *fitted[0], *fitted[1]), published, ce)
    return fig


def _plot_models(ax: Any, f: xr.Dataset, grid: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fitted and Table I models of one κ on the D* panel; returns the (α, C), (A, B) of the ratio panel.

    A fit that is missing is replaced by Table I's parameters in the returned pairs.
    """

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
    return ((alpha, c) if cs_ok else (alpha_r, c_r)), ((a, b) if ey_ok else (a_r, b_r))


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


def plot_collision_frequency(nu: xr.Dataset) -> Any:
    """ν/ω_p = 1/(3ΓD*) against Γ: MD, Eq. 2, its Γ ≪ 1 limit and the Rutherford ansatz (Fig. 1, bottom-left inset).

    Parameters
    ----------
    nu : xarray.Dataset
        Output of :func:`kineticflow.plasma.ocp.collisions.collision_frequency`.

    Returns
    -------
    matplotlib.figure.Figure
        One colour per κ: MD points with error bars, Eq. 2 with the fitted (solid) and Table I
        (thin) parameters; for the κ with Table I α, C also the Chapman–Spitzer limit (dashed) and
        the ansatz ln Λ = ½ ln(1 + C²λ_D²/r_c²) (dotted); the paper's 0.25 ω_p over 4 ≤ Γ ≤ 30 shaded.
    """
    fig, ax = figure(width=6.0, height=4.2)
    lo, hi = nu.attrs.get("saturation_range", [4.0, 30.0])
    ax.axvspan(lo, hi, color="0.93")
    ax.axhline(float(nu.attrs.get("saturation_paper", 0.25)), color="0.6", lw=0.8, label="paper: ν ≈ 0.25 ω_p")
    grid = nu["gamma_grid"].values
    for i, kappa in enumerate(nu["kappa"].values):
        s = nu.sel(kappa=kappa)
        color = f"C{i}"
        ok = np.isfinite(s["nu_md"].values)
        ax.errorbar(s["gamma_measured"].values[ok], s["nu_md"].values[ok], yerr=s["nu_md_stderr"].values[ok], fmt="o",
                    color=color, ms=4, capsize=2, label=f"MD, κa = {kappa:g}")  # fmt: skip
        ax.plot(grid, s["nu_model_fitted"].values, color=color, label=f"Eq. 2 fit, κa = {kappa:g}")
        ax.plot(
            grid, s["nu_model_published"].values, color=color, lw=0.8, alpha=0.6, label=f"Eq. 2 Table I, κa = {kappa:g}"
        )
        if np.any(np.isfinite(s["nu_rutherford_published"].values)):
            ax.plot(grid, s["nu_cs_limit_published"].values, "--", color=color, lw=1, label="Γ ≪ 1 (CS) limit")
            ax.plot(grid, s["nu_rutherford_published"].values, ":", color=color, lw=1.2, label="Rutherford ansatz")
    ax.set_xscale("log")
    top = (
        np.nanmax(nu["nu_md"].values + nu["nu_md_stderr"].values, initial=0.0)
        if np.any(np.isfinite(nu["nu_md"]))
        else 0
    )
    ax.set_ylim(0.0, max(0.4, 1.1 * float(top)))
    ax.set_xlabel(r"$\Gamma$")
    ax.set_ylabel(r"$\nu/\omega_p = 1/(3\Gamma D^*)$")
    ax.legend(loc="upper left", fontsize=7)
    return fig


def plot_d_star_all_kappa(diffusion: xr.Dataset, fits: xr.Dataset) -> Any:
    """D*(Γ) of every simulated κ on one plot with the fitted Eqs 2 and 4 (Fig. 1, top inset).

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr`` (and ``gamma_measured``) on (kappa, gamma).
    fits : xarray.Dataset
        ``alpha``, ``C``, ``A``, ``B`` and ``gamma_m`` per kappa.

    Returns
    -------
    matplotlib.figure.Figure
        Log–log; one colour per κ; Eq. 2 fit up to Γ = 40 (solid), Eq. 4 fit from Γ = 10 (dashed),
        Γ_m as a tick on the top axis.
    """
    fig, ax = figure(width=6.0, height=4.5)
    for i, kappa in enumerate(diffusion["kappa"].values):
        d, f = diffusion.sel(kappa=kappa), fits.sel(kappa=kappa)
        ok = np.isfinite(d["d_star"].values)
        g = (d["gamma_measured"] if "gamma_measured" in d else d["gamma"]).values[ok]
        color = f"C{i}"
        ax.errorbar(g, d["d_star"].values[ok], yerr=d["d_star_stderr"].values[ok], fmt="o", color=color, ms=4, capsize=2,
                    label=f"κa = {kappa:g}")  # fmt: skip
        grid = np.logspace(np.log10(min(g.min(), 0.1) * 0.8), np.log10(float(f["gamma_m"]) * 1.1), 200)
        if np.isfinite(float(f["alpha"])) and np.isfinite(float(f["C"])):
            low = grid[grid <= 40]
            ax.plot(low, chapman_spitzer_d_star(low, float(f["alpha"]), float(f["C"])), color=color, lw=1)
        if np.isfinite(float(f["A"])) and np.isfinite(float(f["B"])):
            high = grid[grid >= 10]
            ax.plot(high, eyring_d_star(high, float(f["A"]), float(f["B"])), "--", color=color, lw=1)
        ax.axvline(float(f["gamma_m"]), color=color, lw=0.6, alpha=0.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$\Gamma$")
    ax.set_ylabel(r"$D^* = D/(a^2\omega_p)$")
    ax.set_title("Yukawa OCP: Eq. 2 fits (solid), Eq. 4 fits (dashed), Γ_m (vertical)")
    ax.legend(loc="lower left")
    return fig


def plot_corresponding_states(table: pd.DataFrame) -> Any:
    """Rosenfeld's reduced D_R against Γ/Γ_m for every κ, with Table I's models (issue 26).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`kineticflow.plasma.ocp.corresponding_states.corresponding_states` (``kappa``,
        ``gamma_ratio``, ``d_r``, ``d_r_stderr``, ``ratio_table1_ocp``).

    Returns
    -------
    matplotlib.figure.Figure
        Upper panel: MD D_R (points) and Table I's model of each κ with parameters (lines, Eq. 4
        only from Γ = 50 where Eq. 2 is missing); lower panel: MD / Table I's OCP model at equal
        Γ/Γ_m, with the ±10 % band (1 everywhere if the scaling were exact).
    """
    from kineticflow.plasma.ocp.corresponding_states import table1_d_r  # noqa: PLC0415
    from kineticflow.plasma.ocp.reference import gamma_melting  # noqa: PLC0415

    fig, (ax, axr) = figure(nrows=2, width=6.0, height=5.6, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    x = np.logspace(-4, 0, 300)
    for i, (k, t) in enumerate(table.groupby("kappa")):
        color = f"C{i}"
        ax.errorbar(t["gamma_ratio"], t["d_r"], yerr=t["d_r_stderr"], fmt="o", ms=4, capsize=2, color=color,
                    label=f"MD κa = {k:g}")  # fmt: skip
        model = table1_d_r(x * gamma_melting(float(k)), float(k))
        if np.isfinite(model).any():
            ax.plot(x, model, "-", lw=1, color=color, label=f"Table I κa = {k:g}")
        axr.errorbar(t["gamma_ratio"], t["ratio_table1_ocp"], yerr=t["d_r_stderr"] / t["d_r_table1_ocp"], fmt="o",
                     ms=4, capsize=2, color=color)  # fmt: skip
    axr.axhspan(0.9, 1.1, color="0.9")
    axr.axhline(1.0, color="0.5", lw=0.8)
    axr.set_ylim(0.5, 1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$D_R = D n^{1/3}(m/k_BT)^{1/2}$")
    ax.set_title("Corresponding states (Rosenfeld, PRE 62, 7524 (2000))")
    ax.legend(loc="lower left", fontsize=7, ncol=2)
    axr.set_xlabel(r"$\Gamma/\Gamma_m(\kappa)$")
    axr.set_ylabel("MD / OCP model")
    return fig
