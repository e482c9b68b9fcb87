"""Figures of binary ionic mixtures: D_j(Γ) per species with the Eq. 5/6 fits (plasma paper Fig. 2, Table II), impurities (Fig. 3).

Pure: datasets in, matplotlib figures out (the plot steps save them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.plotting import figure
from kineticflow.plasma.mixtures.diffusion import mixture_from_dataset, table2
from kineticflow.plasma.mixtures.formulas import (
    Mixture,
    chapman_spitzer_d12,
    debye_over_rc,
    eq5_d_star,
    eq6_d_star,
    units_factor,
)

COLORS = {1: "tab:blue", 2: "tab:red", 12: "tab:green"}


def plot_mixture(diffusion: xr.Dataset, fits: xr.Dataset, name: str) -> Any:
    """D₁, D₂ and D₁₂ of one mixture vs Γ (log–log), units a₁²ω_{p,1}.

    Parameters
    ----------
    diffusion : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.diffusion.collect_mixture_diffusion`.
    fits : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.fits.fit_mixture_models`.
    name : str
        Mixture to plot.

    Returns
    -------
    matplotlib.figure.Figure
        Upper panel: MD D₁ (blue), D₂ (red) with error bars, D₁₂ = x₂D₁ + x₁D₂ (green), Eq. 5
        fits (solid, Γ ≤ 30) and Eq. 6 fits (dashed, Γ ≥ 20) per species, Chapman–Spitzer D₁₂
        (dotted green), Table II D₂ (black squares) where published. Lower panel: D₂/D₂(Table II)
        and D₁₂/D₁₂(CS).
    """
    mix = mixture_from_dataset(diffusion, name)
    sub = diffusion.sel(mixture=name)
    ok = np.isfinite(sub["d_2"].values)
    g = sub["gamma"].values[ok]
    fig, (ax, axr) = figure(nrows=2, width=6.0, height=5.6, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    for s in (1, 2):
        ax.errorbar(
            g,
            sub[f"d_{s}"].values[ok],
            yerr=sub[f"d_{s}_stderr"].values[ok],
            fmt="o",
            ms=4,
            capsize=2,
            color=COLORS[s],
            label=f"MD $D_{s}$ (Z={getattr(mix, f'z{s}'):g}, m={getattr(mix, f'm{s}'):g})",
        )
    ax.errorbar(
        g,
        sub["d_12"].values[ok],
        yerr=sub["d_12_stderr"].values[ok],
        fmt="^",
        ms=4,
        capsize=2,
        mfc="none",
        color=COLORS[12],
        label=r"$D_{12} = x_2D_1 + x_1D_2$",
    )
    if "d_12_gk" in sub and np.any(np.isfinite(sub["d_12_gk"].values[ok])):
        ax.errorbar(g, sub["d_12_gk"].values[ok], yerr=sub["d_12_gk_stderr"].values[ok], fmt="D", ms=4, capsize=2,
                    mfc="none", color="0.3", label=r"$D_{12}$, Green–Kubo of the interdiffusion current")  # fmt: skip
    _plot_mixture_models(ax, mix, fits.sel(mixture=name), g)
    ref = _table2_reference(ax, mix, g)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylabel(r"$D_j / a_1^2\omega_{p,1}$")
    ax.set_title(f"{name}: Z1={mix.z1:g}, Z2={mix.z2:g}, m2/m1={mix.m2 / mix.m1:g}, x2={mix.x2:g}")
    ax.legend(fontsize=6.5, loc="lower left")
    _plot_mixture_ratios(axr, sub, ok, g, ref)
    return fig


def _plot_mixture_ratios(axr: Any, sub: xr.Dataset, ok: np.ndarray, g: np.ndarray, ref: np.ndarray) -> None:
    """Lower panel: D₂ / Table II and D₁₂ / Chapman–Spitzer, with the ±10 % band."""
    if np.isfinite(ref).any():
        axr.errorbar(
            g,
            sub["d_2"].values[ok] / ref,
            yerr=sub["d_2_stderr"].values[ok] / ref,
            fmt="s",
            ms=4,
            capsize=2,
            color=COLORS[2],
            label=r"$D_2$ / Table II",
        )
    ratio_cs = sub["d_12"].values[ok] / sub["d_12_cs"].values[ok]
    if np.isfinite(ratio_cs).any():
        axr.plot(g, ratio_cs, "^", mfc="none", color=COLORS[12], label=r"$D_{12}$ / CS")
    axr.axhline(1.0, color="k", lw=0.8)
    axr.axhspan(0.9, 1.1, color="0.85", zorder=0)
    axr.set_xlabel(r"$\Gamma = \langle Z^{5/3}\rangle e^2 / a k_BT$")
    axr.set_ylabel("ratio")
    if axr.get_legend_handles_labels()[0]:
        axr.legend(fontsize=7)


def _plot_mixture_models(ax: Any, mix: Mixture, f: xr.Dataset, g: np.ndarray) -> None:
    """Eq. 5 and Eq. 6 fits per species and the Chapman–Spitzer D₁₂ on the upper panel."""
    lo, hi = (g.min() / 1.5, g.max() * 1.5) if g.size else (0.1, 200.0)
    gg = np.logspace(np.log10(lo), np.log10(hi), 200)
    k = units_factor(mix)["to_mixture_units"]
    for s in (1, 2):
        fs = f.sel(species=s)
        if np.isfinite(float(fs["alpha"])) and np.isfinite(float(fs["c_prime"])):
            x = gg[gg <= 30]
            ax.plot(
                x,
                eq5_d_star(x, float(fs["alpha"]), float(fs["c_prime"]), mix, s),
                "-",
                color=COLORS[s],
                lw=1,
                label=rf"Eq. 5: $\alpha_{s}$={float(fs['alpha']):.3g}, $C'_{s}$={float(fs['c_prime']):.3g}",
            )
        if np.isfinite(float(fs["A"])) and np.isfinite(float(fs["B"])):
            x = gg[gg >= 20]
            ax.plot(
                x,
                eq6_d_star(x, float(fs["A"]), float(fs["B"])) / k,
                "--",
                color=COLORS[s],
                lw=1,
                label=rf"Eq. 6: $A_{s}$={float(fs['A']):.3g}, $B_{s}$={float(fs['B']):.3g}",
            )
    cs = chapman_spitzer_d12(mix, gg)
    cs[np.log(4.0 * debye_over_rc(mix, gg)) < 1.0] = np.nan  # only where ln Λ_CS ≥ 1 (weak coupling)
    ax.plot(gg, cs, ":", color=COLORS[12], label=r"Chapman–Spitzer $D_{12}$, ln(4$\lambda_D/r_c$)")


def _table2_reference(ax: Any, mix: Mixture, g: np.ndarray) -> np.ndarray:
    """Plot Table II's D₂ of an isotopic mixture; return it at the MD couplings ``g`` (NaN where absent)."""
    ref = np.full(g.shape, np.nan)
    if mix.isotopic:
        t = table2()
        hit = t[np.isclose(t["x2"], mix.x2) & np.isclose(t["m2_over_m1"], mix.m2 / mix.m1)]
        if len(hit):
            ax.plot(hit["gamma"], hit["d2"], "s", mfc="none", color="k", ms=7, label="Table II $D_2$ (paper)")
            ref = np.array(
                [
                    float(hit["d2"][np.isclose(hit["gamma"], x)].iloc[0])
                    if np.isclose(hit["gamma"], x).any()
                    else np.nan
                    for x in g
                ]
            )
    return ref


def plot_impurity(runs: Sequence[xr.Dataset], table: pd.DataFrame) -> Any:
    """Fig. 3 of the plasma paper: impurity VACFs (caging vs monotonic decay) and D₂/D₁ against Γ.

    Parameters
    ----------
    runs : sequence of xarray.Dataset
        Mixture runs (``vacf_2`` on ``lag``; attributes ``mixture``, ``gamma``, ``m1``, ``m2``, ``x2``).
    table : pandas.DataFrame
        :func:`kineticflow.plasma.mixtures.impurity.impurity_table`.

    Returns
    -------
    matplotlib.figure.Figure
        Left: C₂(t)/C₂(0) of every run at its mixture's largest Γ (trace impurities x₂ ≤ 0.01 if
        any were run, else all mixtures). Right: D₂/D₁ ± error against Γ per mixture.
    """
    fig, (ax, axr) = figure(ncols=2, width=10.0, height=4.0)
    trace = [r for r in runs if float(r.attrs["x2"]) <= 0.01] or list(runs)
    top: dict[str, xr.Dataset] = {}
    for r in trace:
        name = str(r.attrs["mixture"])
        if name not in top or float(r.attrs["gamma"]) > float(top[name].attrs["gamma"]):
            top[name] = r
    for i, (name, r) in enumerate(sorted(top.items())):
        c = r["vacf_2"].values
        ax.plot(r["lag"].values, c / c[0], color=f"C{i}",
                label=f"{name}, m2/m1 = {float(r.attrs['m2']) / float(r.attrs['m1']):g}, Γ = {float(r.attrs['gamma']):g}")  # fmt: skip
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel(r"$t\,\omega_{p,1}$")
    ax.set_ylabel(r"$C_2(t)/C_2(0)$")
    ax.set_title("impurity VACF: caging (negative lobe) vs Brownian decay")
    ax.legend(fontsize=7)
    for i, (name, sub) in enumerate(table.groupby("mixture")):
        axr.errorbar(sub["gamma"], sub["d2_over_d1"], yerr=sub["d2_over_d1_stderr"], fmt="o-", ms=4, capsize=2,
                     color=f"C{i}", label=str(name))  # fmt: skip
    axr.set_xscale("log")
    axr.set_xlabel(r"$\Gamma$")
    axr.set_ylabel(r"$D_2/D_1$")
    axr.legend(fontsize=7)
    return fig
