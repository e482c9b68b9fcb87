"""Figures of the Hα branch: datasets in, matplotlib figures out (no file is read or written here).

The analogues of Figs 1, 2, 3 and 5 of R. C. Canfield et al., optical imaging spectroscopy of solar
flares, and maps at the HXR peak; :func:`kineticflow.halpha.steps.plot_halpha` makes them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.plotting import centred_norm, figure


def profile_families(grid: xr.Dataset) -> Any:
    """Fig. 1: profiles for varying P0 at the lowest F20 (top) and varying F20 at the second P0 (bottom)."""
    fig, (top, bottom) = figure(1, 2, width=6.4, height=6.4, sharex=True)
    dl = grid["delta_wavelength"].values
    for p in grid.p0.values:
        top.plot(dl, grid["intensity"].sel(p0=p).isel(f20=0), label=f"P0 = {p:g} dyn cm$^{{-2}}$")
    p_mid = grid.p0.values[min(1, grid.sizes["p0"] - 1)]
    for f in grid.f20.values:
        bottom.plot(dl, grid["intensity"].sel(p0=p_mid, f20=f), label=f"F20 = {f:.0e} erg cm$^{{-2}}$ s$^{{-1}}$")
    for ax, title in ((top, f"F20 = {grid.f20.values[0]:.0e}"), (bottom, f"P0 = {p_mid:g}")):
        ax.plot(dl, grid["quiet_intensity"], "k:", label="FAL-C quiet Sun")
        ax.set_ylabel("I / I$_c$ (quiet continuum)")
        ax.set_title(title)
        ax.legend(fontsize=7)
        for x in (-3, 3):
            ax.axvline(x, color="0.7", lw=0.8)
    bottom.set_xlabel("Δλ from Hα (Å)")
    return fig


def _tracked(diag: xr.Dataset) -> list[tuple[str, int, int]]:
    return [
        (str(n), int(y), int(x))
        for n, y, x in zip(diag.tracked.values, diag.tracked_y.values, diag.tracked_x.values, strict=True)
    ]


def pixel_sequences(observed: xr.Dataset, diag: xr.Dataset) -> Any:
    """Fig. 2: observed spectra of the tracked pixels, one column per pixel, offset by scan with its time."""
    tracked = _tracked(diag)
    fig, axes = figure(len(tracked), 1, width=3.4 * len(tracked), height=7.0, sharey=True)
    dl = observed["delta_wavelength"].values
    for ax, (name, y, x) in zip(np.atleast_1d(axes), tracked, strict=True):
        for s in observed.scan.values:
            off = 0.5 * s
            ax.plot(dl, observed["intensity"].values[s, y, x] + off, lw=0.8, color="k")
            ax.text(dl[-1], off + 1.0, f"{float(observed.t_s.values[s, x]):.1f} s", fontsize=6, ha="right")
        ax.set_title(f"{name} pixel (y={y}, x={x})")
        ax.set_xlabel("Δλ (Å)")
    np.atleast_1d(axes)[0].set_ylabel("I / I$_c$ + 0.5 × scan")
    return fig


def _hxr_panel(ax: Any, hxr: xr.DataArray | None) -> None:
    if hxr is None:
        ax.text(0.5, 0.5, "no hard X-ray light curve", transform=ax.transAxes, ha="center", va="center")
    else:
        ax.plot(hxr["time"], hxr, color="k")
    ax.set_ylabel("HXR (counts s$^{-1}$)")


def hxr_series(
    hxr: xr.DataArray | None,
    table: pd.DataFrame,
    tracked: Sequence[tuple[str, int, int]],
    column: str,
    label: str,
    truth_column: str | None = None,
    raw_column: str | None = None,
) -> Any:
    """Figs 3 / 5: HXR rate (top) and a diagnostic of the tracked pixels at their own times (bottom).

    Parameters
    ----------
    hxr : xarray.DataArray or None
        The HXR count rate on ``time`` (``truth.nc`` ``hxr_rate``, or an observation's ``hxr.nc``
        ``rate``); None: the top panel says so.
    table : pandas.DataFrame
        ``recovered.csv``.
    tracked : sequence of (name, y, x)
        The tracked pixels.
    column, label : str
        Column of ``table`` drawn and its axis label.
    truth_column, raw_column : str, optional
        Drawn dashed (e.g. the injected velocity) and as crosses (e.g. the raw bisector velocity).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (top, bottom) = figure(1, 2, width=6.4, height=5.0, sharex=True)
    _hxr_panel(top, hxr)
    for name, y, x in tracked:
        sel = table[(table.y == int(y)) & (table.x == int(x))]
        line = bottom.plot(sel.t_s, sel[column], "o-", label=f"{name} (measured)")[0]
        if truth_column is not None:
            bottom.plot(sel.t_s, sel[truth_column], "--", color=line.get_color(), label=f"{name} (true)")
        if raw_column is not None:
            bottom.plot(sel.t_s, sel[raw_column], "x", color=line.get_color(), label=f"{name} (raw)")
    bottom.set_xlabel("time (s)")
    bottom.set_ylabel(label)
    bottom.legend(fontsize=7)
    return fig


def maps_at_peak(diag: xr.Dataset, table: pd.DataFrame, scan: int, p0_true: NDArray[np.float64] | None = None) -> Any:
    """Maps of bisector velocity, true P0 (a simulation) and recovered P0 in ``scan`` (the one nearest the HXR peak).

    Parameters
    ----------
    diag : xarray.Dataset
        ``diagnostics.nc``.
    table : pandas.DataFrame
        ``recovered.csv``.
    scan : int
        The scan shown.
    p0_true : numpy.ndarray, shape (n_y, n_x), optional
        The true P0 [dyn cm⁻²] of that scan (0 outside the flare); without it (an observation) the
        map of the true P0 is left out and the colour scale is the recovered one's.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = figure(3 if p0_true is not None else 2, 1, width=9.6 if p0_true is not None else 6.4, height=3.4)
    v = diag["velocity"].values[scan]
    im = axes[0].imshow(v, origin="lower", cmap="RdBu_r", norm=centred_norm(np.nan_to_num(v)))
    fig.colorbar(im, ax=axes[0], label="bisector v (km s$^{-1}$, + = red)")
    rec = np.full(v.shape, np.nan)
    sel = table[table.scan == scan]
    rec[sel.y.values, sel.x.values] = sel.p0_recovered.values
    panels = [(axes[-1], rec, "recovered P0")]
    if p0_true is not None:
        p_true = np.where(p0_true > 0, p0_true, np.nan)
        panels.insert(0, (axes[1], p_true, "true P0"))
        vmin, vmax = np.nanmin(p_true), np.nanmax(p_true)
    else:
        finite = rec[np.isfinite(rec)]
        vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (1.0, 10.0)
    for ax, data, title in panels:
        im = ax.imshow(np.log10(data), origin="lower", vmin=np.log10(vmin), vmax=np.log10(vmax))
        ax.set_title(title)
        fig.colorbar(im, ax=ax, label="log10 P0 (dyn cm$^{-2}$)")
    axes[0].set_title(f"scan {scan}")
    for ax in axes:
        ax.set_xlabel("x (slit position)")
    axes[0].set_ylabel("y (along slit)")
    return fig
