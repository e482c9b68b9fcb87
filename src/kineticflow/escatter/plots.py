"""Figures of the e-scattering branch: DCS per energy (paper Fig. 2) and ICS vs energy (Fig. 3)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kineticflow.core.plotting import figure


def plot_dcs(measured: xr.Dataset, theory: xr.Dataset, ics: xr.Dataset) -> Figure:
    """Per energy: data with error bars, elastic, rotational and summed theory (log scale)."""
    energies = ics["energy"].values
    ncols = min(3, energies.size)
    nrows = int(np.ceil(energies.size / ncols))
    fig, axes = figure(ncols=ncols, nrows=nrows, width=4.0 * ncols, height=3.2 * nrows, squeeze=False)
    for ax, e in zip(axes.flat, energies):
        th = theory.sel(energy=e, method="nearest")
        m = measured.sel(energy=e)
        ang = theory["angle"].values
        cut = ang >= 1.0  # the rotational forward peak is off scale below 1 deg
        ax.semilogy(ang[cut], th["dcs_iam_scar_i"].values[cut], "k-", lw=1.2, label="elastic (IAM-SCAR+I)")
        ax.semilogy(ang[cut], th["dcs_rotational"].values[cut], "k:", lw=1.2, label="rotational (Born)")
        ax.semilogy(ang[cut], th["dcs"].values[cut], "r--", lw=1.2, label="elastic + rotational")
        r = ics.sel(energy=e)
        s = float(r["scale_factor"])
        ax.semilogy(ang[cut], s * th["dcs"].values[cut], "C0:", lw=0.8, alpha=0.7, label=f"sum x {s:.2f} (global fit)")
        fwd = cut & (ang <= float(r["angle_min_used"]))
        bwd = ang >= float(r["angle_max_used"])
        for sel, key in ((fwd, "scale_forward"), (bwd, "scale_backward")):
            ax.semilogy(ang[sel], float(r[key]) * th["dcs"].values[sel], "C0-", lw=2.0, alpha=0.8)
        ax.plot([], [], "C0-", lw=2.0, label="extrapolated (end-matched)")
        ok = np.isfinite(m["dcs"].values)
        notes = m["note"].values.astype(str)
        flagged = np.array([n.startswith("distrusted") for n in notes]) & ok
        plain = ok & ~flagged
        ax.errorbar(
            m["angle"].values[plain],
            m["dcs"].values[plain],
            m["dcs_uncertainty"].values[plain],
            fmt="o",
            color="g",
            ms=3.5,
            label="measured",
        )
        if flagged.any():
            ax.errorbar(
                m["angle"].values[flagged],
                m["dcs"].values[flagged],
                m["dcs_uncertainty"].values[flagged],
                fmt="x",
                color="m",
                ms=5,
                label="distrusted (not fitted)",
            )
        ax.set_title(f"{e:g} eV")
        ax.set_xlim(0, 180)
        ax.set_ylim(0.01, 1e3)
        ax.set_xlabel("scattering angle (deg)")
        ax.set_ylabel("DCS (Å$^2$ sr$^{-1}$)")
    for ax in list(axes.flat)[energies.size :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    return fig


def plot_ics(ics: xr.Dataset, theory: xr.Dataset) -> Figure:
    """ICS vs energy: ours (measured-range and extrapolated shares), the paper's, the theory.

    With the interference choices in ``ics`` (:mod:`kineticflow.escatter.interference`), also the
    extrapolated ICS with each weighting (open orange markers, left of ours).
    """
    fig, axes = figure(ncols=1, width=6.4, height=4.2, squeeze=False)
    ax = axes[0, 0]
    e = ics["energy"].values
    width = 0.25 * float(np.min(np.diff(e))) if e.size > 1 else 10.0
    meas = ics["ics_measured_range"].values
    total = ics["ics_extrapolated"].values
    ax.bar(e, meas, width=width, color="g", alpha=0.35, label="our ICS: measured range")
    ax.bar(e, total - meas, width=width, bottom=meas, color="0.6", alpha=0.35, label="our ICS: extrapolated share")
    ax.errorbar(e, total, ics["ics_uncertainty"].values, fmt="o", color="g", label="our extrapolated ICS")
    paper = ics["ics_paper"].values
    if np.isfinite(paper).any():
        ax.errorbar(
            e + 0.3 * width, paper, 0.3 * paper, fmt="s", color="b", mfc="none", label="paper, Table 1 (+-30 %)"
        )
    if "ics_extrapolated_by_interference" in ics:
        _plot_choices(ax, ics, width)
    ax.plot(theory["energy"].values, theory["ics"].values, "k-", label="theory: elastic + rotational")
    ax.plot(
        theory["energy"].values, theory["ics_iam_scar_i"].values, "k--", lw=0.8, label="theory: elastic (IAM-SCAR+I)"
    )
    ax.set_xlabel("electron energy (eV)")
    ax.set_ylabel("ICS (Å$^2$)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7)
    return fig


#: Marker of each interference weighting in the ICS figure
_CHOICE_STYLE = {
    "none": ("v", "interference: none (IAM-SCAR)"),
    "sqrt": ("^", r"interference: sqrt, $\sqrt{s_i s_j}$"),
    "product": ("D", r"interference: product, $s_i s_j$"),
}


def _plot_choices(ax: Axes, ics: xr.Dataset, width: float) -> None:
    """The extrapolated ICS with each interference weighting, beside the paper's row."""
    e = ics["energy"].values
    for w in ics["interference"].values:
        marker, text = _CHOICE_STYLE.get(str(w), ("o", str(w)))
        y = ics["ics_extrapolated_by_interference"].sel(interference=w).values
        ax.plot(e - 0.3 * width, y, marker, color="C1", mfc="none", ms=5, label=f"our ICS, {text}")
