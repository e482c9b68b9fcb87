"""Figures of the TRXS branch (TRXS paper Figs 3-6, jitter and inversion)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kineticflow.core.plotting import DIVERGING, centred_norm, figure
from kineticflow.trxs.analysis import positive_peak_position

R_LABEL = "r (Å)"
Q_LABEL = "q (Å$^{-1}$)"
SPACE_RANGE = {"r": (2.0, 5.0), "q": (0.5, 7.0)}


def _time_dim(da: xr.DataArray) -> str:
    return "t" if "t" in da.dims else "tau"


def _curves(ax: Axes, da: xr.DataArray, times: Sequence[float], space: str) -> None:
    tdim = _time_dim(da)
    lo, hi = SPACE_RANGE[space]
    sub = da.sel({space: slice(lo, hi)})
    cmap = __import__("matplotlib").colormaps["viridis"]
    for i, tt in enumerate(times):
        curve = sub.sel({tdim: tt}, method="nearest")
        ax.plot(sub[space], curve, color=cmap(i / max(len(times) - 1, 1)), label=f"{float(curve[tdim]):g} ps")
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel(R_LABEL if space == "r" else Q_LABEL)
    sym = "t" if tdim == "t" else "τ"
    ax.set_ylabel(
        f"ΔS{'[r,' if space == 'r' else '(q,'}{sym}{']' if space == 'r' else ')'} ({da.attrs.get('units', '')})"
    )


#: Rows of a map at most: a panel is ~300 px tall, so 2551 rows of the 2 ps instantaneous grid only
#: overdraw (~0.1 s per map to render); the rows kept are the ones nearest to MAP_ROWS points
#: evenly spaced on the symlog axis.
MAP_ROWS = 400


def _map_rows(t: np.ndarray, linthresh: float = 100.0) -> np.ndarray:
    """Indices of the time rows drawn: all if ≤ MAP_ROWS, else those nearest to even symlog steps."""
    if t.size <= MAP_ROWS:
        return np.arange(t.size)
    y = np.sign(t) * np.log10(1.0 + np.abs(t) / linthresh)
    return np.unique(np.abs(y[:, None] - np.linspace(y[0], y[-1], MAP_ROWS)[None, :]).argmin(axis=0))


def _map(ax: Axes, da: xr.DataArray, space: str, norm=None):
    tdim = _time_dim(da)
    lo, hi = SPACE_RANGE[space]
    sub = da.sel({space: slice(lo, hi)})
    t = sub[tdim].values
    keep = np.flatnonzero((t >= -100) & (t <= 5000))
    sub = sub.isel({tdim: keep[_map_rows(t[keep])]})
    mesh = ax.pcolormesh(
        sub[space],
        sub[tdim],
        sub.transpose(tdim, space),
        cmap=DIVERGING,
        norm=norm or centred_norm(sub.values),
        shading="auto",
        rasterized=True,
    )
    ax.set_yscale("symlog", linthresh=100.0)
    ax.set_xlabel(R_LABEL if space == "r" else Q_LABEL)
    ax.set_ylabel(f"{'t' if tdim == 't' else 'τ'} (ps, symlog)")
    return mesh


def instantaneous_figure(inst: xr.Dataset, space: str, times: Sequence[float]) -> Figure:
    """ΔS_inst[r,t] or ΔS_inst(q,t) as curves at the paper's times and as a map (Figs 3-4)."""
    fig, (a, b) = figure(ncols=2, width=9.5, height=3.8)
    da = inst[f"delta_s_{space}"]
    _curves(a, da, times, space)
    a.legend(ncol=2, title="t")
    a.set_title(f"ΔS_inst{'[r,t]' if space == 'r' else '(q,t)'}: instantaneous x-ray pulse")
    mesh = _map(b, da, space)
    fig.colorbar(mesh, ax=b, label=da.attrs.get("units", ""))
    b.set_title("map (diverging, centred on 0)")
    return fig


def pulses_figure(inst: xr.Dataset, convolved: Sequence[xr.Dataset], space: str, times: Sequence[float]) -> Figure:
    """Instantaneous and pulse-averaged signals side by side (Figs 3-6): motional narrowing.

    Top row: curves at the paper's times; bottom row: maps on one common colour scale.
    """
    n = 1 + len(convolved)
    fig, axes = figure(ncols=n, nrows=2, width=3.6 * n, height=6.4, sharex=True)
    sets = [("instantaneous", inst[f"delta_s_{space}"])] + [
        (f"{c.attrs['fwhm_ps']:g} ps pulse", c[f"delta_s_{space}"]) for c in convolved
    ]
    vmax = max(float(np.abs(da.sel({space: slice(*SPACE_RANGE[space])})).max()) for _, da in sets)
    norm = centred_norm([-vmax, vmax])
    for col, (title, da) in enumerate(sets):
        _curves(axes[0, col], da, times, space)
        axes[0, col].set_title(title)
        axes[0, col].set_ylim(-1.05 * vmax, 1.05 * vmax)
        mesh = _map(axes[1, col], da, space, norm=norm)
    axes[0, 0].legend(ncol=2, fontsize=7)
    fig.colorbar(mesh, ax=axes[1, :], label=sets[0][1].attrs.get("units", ""))
    return fig


def peak_position_figure(inst: xr.Dataset, convolved: Sequence[xr.Dataset]) -> Figure:
    """Position of the positive r-peak against time for each pulse (the contraction film)."""
    fig, ax = figure(width=6.4, height=3.8)
    p0 = positive_peak_position(inst["delta_s_r"], r_min=2.8)
    keep = (p0["t"] >= 0) & (p0["t"] <= 5000)
    ax.plot(p0["t"][keep], p0[keep], "k-", label="instantaneous")
    for c in convolved:
        p = positive_peak_position(c["delta_s_r"], r_min=2.8)
        ax.plot(p["tau"], p, label=f"{c.attrs['fwhm_ps']:g} ps pulse")
    ax.plot(inst["t"][keep], inst["r_y_t"][keep], ":", color="grey", label="model r_Y + Δr_Y e$^{-t/τ_r}$")
    ax.set_xscale("symlog", linthresh=100.0)
    ax.set_xlabel("t or τ (ps, symlog)")
    ax.set_ylabel("positive peak position (Å)")
    ax.legend()
    return fig


def jitter_figure(jitter_sets: Sequence[xr.Dataset]) -> Figure:
    """Effective pulse vs jitter: analytic Eq. 8 against the Monte-Carlo average, per pulse."""
    fwhms = sorted({float(d.attrs["fwhm_ps"]) for d in jitter_sets})
    fig, axes = figure(ncols=len(fwhms) + 1, width=3.6 * (len(fwhms) + 1), height=3.6)
    axes = np.atleast_1d(axes)
    for ax, fw in zip(axes, fwhms):
        for d in sorted(
            (d for d in jitter_sets if float(d.attrs["fwhm_ps"]) == fw), key=lambda d: d.attrs["jitter_fraction"]
        ):
            (line,) = ax.plot(d["t_rel"], d["pulse_analytic"], label=f"jitter {d.attrs['jitter_fraction']:g}: Eq. 8")
            ax.plot(
                d["t_rel"],
                d["pulse_monte_carlo"],
                ".",
                ms=2,
                color=line.get_color(),
                label=f"  Monte Carlo, N={d.attrs['n_shots']}",
            )
        ax.set_xlim(-2 * fw, 2 * fw)
        ax.set_xlabel("t − τ (ps)")
        ax.set_ylabel("⟨I$_x$⟩ (ps$^{-1}$)")
        ax.set_title(f"{fw:g} ps pulse")
        ax.legend(fontsize=6)
    ax = axes[-1]
    jmax = max(float(d.attrs["jitter_fraction"]) for d in jitter_sets)
    j = np.linspace(0, max(jmax, 0.1), 100)
    ax.plot(j, np.sqrt(1 + j**2), "k-", lw=2, alpha=0.4, label="Eq. 8: √(1 + j²)")
    for fw in fwhms:
        ds = sorted(
            (d for d in jitter_sets if float(d.attrs["fwhm_ps"]) == fw), key=lambda d: d.attrs["jitter_fraction"]
        )
        frac = [d.attrs["jitter_fraction"] for d in ds]
        ax.plot(
            frac,
            [d.attrs["fwhm_eff_monte_carlo_ps"] / fw for d in ds],
            "o",
            mfc="none",
            label=f"{fw:g} ps: Monte Carlo",
        )
    ax.set_xlabel("jitter FWHM / pulse FWHM")
    ax.set_ylabel("FWHM$_{eff}$ / FWHM$_x$")
    ax.set_title("√(1 + j²) broadening")
    ax.legend(fontsize=7)
    return fig


def inversion_figure(inverted: xr.Dataset, times: Sequence[float]) -> Figure:
    """Eq. 2 inversion over the measured q range: M = 1 (ripples), damped, and the truth."""
    fig, axes = figure(ncols=len(times), width=3.0 * len(times), height=3.4, sharey=True)
    axes = np.atleast_1d(axes)
    for ax, tt in zip(axes, times):
        sel = inverted.sel(tau=tt, method="nearest").sel(r=slice(1.0, 6.0))
        ax.plot(sel["r"], sel["delta_s_r_reference"], "k-", lw=2, alpha=0.5, label="truth (r-space convolution)")
        ax.plot(sel["r"], sel["delta_s_r_unmodified"], "--", label="Eq. 2, M = 1")
        ax.plot(sel["r"], sel["delta_s_r"], "-", label=f"Eq. 2, M = {inverted.attrs['modification']}")
        ax.set_title(f"τ = {float(sel['tau']):g} ps")
        ax.set_xlabel(R_LABEL)
    axes[0].set_ylabel(f"ΔS[r,τ] ({inverted['delta_s_r'].attrs.get('units', '')})")
    axes[0].legend(fontsize=7)
    fig.suptitle(
        f"{inverted.attrs.get('fwhm_ps', float('nan')):g} ps pulse, jitter {inverted.attrs.get('jitter_fraction', 0):g}: "
        f"q from {inverted.attrs['q_min']:g} to {inverted.attrs['q_max']:g} Å$^{{-1}}$"
    )
    return fig


def paper_figures(
    inst: xr.Dataset,
    convolved: Sequence[xr.Dataset],
    jitter_sets: Sequence[xr.Dataset],
    inverted: Sequence[xr.Dataset],
    times: Sequence[float],
    inversion_times: Sequence[float],
) -> Iterator[Figure]:
    """The paper figures of rule ``plot_trxs``, one at a time (save and close each before the next).

    Parameters
    ----------
    inst : xarray.Dataset
        Rule ``simulate_trxs``.
    convolved : sequence of xarray.Dataset
        Rule ``convolve_pulse``, one per pulse width.
    jitter_sets : sequence of xarray.Dataset
        Rule ``average_jitter``, every width and fraction.
    inverted : sequence of xarray.Dataset
        Rule ``invert_fourier``, one per pulse width.
    times, inversion_times : sequence of float
        Times (ps) of the curves of the signal and inversion figures.

    Yields
    ------
    matplotlib.figure.Figure
        ΔS_inst in r and q, the pulse-averaged signals in r and q, the peak position, the
        effective pulse vs jitter, then one inversion figure per width (in the order of ``inverted``).
    """
    yield instantaneous_figure(inst, "r", times)
    yield instantaneous_figure(inst, "q", times)
    yield pulses_figure(inst, convolved, "r", times)
    yield pulses_figure(inst, convolved, "q", times)
    yield peak_position_figure(inst, convolved)
    yield jitter_figure(jitter_sets)
    for inv in inverted:
        yield inversion_figure(inv, inversion_times)
