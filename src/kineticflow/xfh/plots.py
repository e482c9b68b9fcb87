"""Figures of the XFH branch (the paper's Figs 2 and 3, the Eq. 11 check and U(r′)).

Pure: each function takes result datasets and returns a matplotlib figure; rule ``plot_xfh``
(:func:`kineticflow.xfh.steps.plot_xfh`) collects them and its script saves them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.plotting import centred_norm, figure
from kineticflow.xfh.reconstruction import PLANE_AXES


def hologram_map(meas: xr.Dataset) -> Any:
    """Symmetrised hologram, (100) orientation, stereographic projection of the upper hemisphere (Fig. 2)."""
    step = float(meas["grid_polar"].values[1] - meas["grid_polar"].values[0])
    upper = meas["grid_polar"].values < 90
    t_edges = np.radians(np.arange(int(upper.sum()) + 1) * step)
    p_edges = np.radians(np.arange(meas.sizes["grid_azimuth"] + 1) * step)
    tt, pp = np.meshgrid(t_edges, p_edges, indexing="ij")
    r = np.tan(tt / 2)
    chi = np.ma.masked_where(meas["hits"].values[upper] == 0, meas["chi_symmetrised"].values[upper])
    fig, ax = figure(width=5.6, height=5.0)
    lim = np.percentile(np.abs(chi.compressed()), 99.5)
    mesh = ax.pcolormesh(
        r * np.cos(pp), r * np.sin(pp), chi, cmap="gray", vmin=-lim, vmax=lim, shading="flat", rasterized=True
    )
    fig.colorbar(mesh, ax=ax, label="χ (symmetrised)")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    a = meas.attrs
    ax.set_title(
        f"{a['crystal']} {a['mode'].replace('_', '-')} hologram, {a['energy_kev']:.3g} keV, (100) orientation\n"
        f"stereographic, polar 0-90°; {a['mean_counts_per_pixel']:.3g} counts/pixel\n"
        f"{100 * a['empty_cell_fraction']:.1f} % of the cells empty (white)",
        fontsize=8,
    )
    return fig


def _plane_lattice(rec: xr.Dataset) -> np.ndarray:
    """(u, v) of the lattice vectors (m m n) inside the map (the origin included), Å⁻¹."""
    a = rec.attrs["lattice_constant_angstrom"]
    u, v = rec["plane_u"].values, rec["plane_v"].values
    n = int(u.max() * a / (2 * np.pi)) + 1
    pts = []
    for i in range(-n, n + 1):
        for j in range(-n, n + 1):
            hkl = np.array([i, i, j])
            par = np.mod(hkl, 2)
            ok = (hkl.sum() % 2 == 0) if rec.attrs["crystal"] == "V" else (par.sum() in (0, 3))
            vec = 2 * np.pi * hkl / a
            uu, vv = vec @ PLANE_AXES[0], vec @ PLANE_AXES[1]
            if ok and abs(uu) <= u.max() + 1e-9 and abs(vv) <= v.max() + 1e-9:
                pts.append((uu, vv))
    return np.array(pts)


def g_map(rec: xr.Dataset) -> Any:
    """Re G(h′) on the (1−10) plane with circles at the lattice vectors joined by lines (Fig. 3)."""
    u = rec["plane_u"].values / (2 * np.pi)
    v = rec["plane_v"].values / (2 * np.pi)
    re_g = rec["re_g_plane"].values
    fig, ax = figure(width=6.0, height=5.0)
    mesh = ax.pcolormesh(u, v, re_g.T, norm=centred_norm(re_g), cmap="RdBu_r", shading="nearest", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="Re G(h′), Å²")
    pts = _plane_lattice(rec) / (2 * np.pi)
    if len(pts):
        d = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=-1)
        dmin = np.min(d[d > 1e-9])
        for i, j in zip(*np.nonzero((d > 1e-9) & (d < 1.75 * dmin)), strict=True):
            if i < j:
                ax.plot(pts[[i, j], 0], pts[[i, j], 1], color="0.8", lw=0.5)
        ax.scatter(pts[:, 0], pts[:, 1], s=600 / max(10, len(pts)) ** 0.5, facecolors="none", edgecolors="k", lw=0.6)
    k2 = 2 * rec.attrs["k_r_inv_angstrom"] / (2 * np.pi)
    t = np.linspace(0, 2 * np.pi, 300)
    ax.plot(k2 * np.cos(t), k2 * np.sin(t), "k--", lw=0.7, label="|h′| = 2k")
    ax.set_aspect("equal")
    ax.set_xlabel("h′ · [001], 2π/Å")
    ax.set_ylabel("h′ · [110]/√2, 2π/Å")
    ax.legend(loc="upper right")
    ax.set_title(f"{rec.attrs['crystal']}: Re G(h′) on the (1-10) plane through the origin")
    return fig


def scale_plot(ph: xr.Dataset) -> Any:
    """Re G (raw and background-subtracted) against a(h)·Re F_h with the fitted line (Eq. 11)."""
    acc = ph["bragg_accessible"].values
    x = ph["a_re_f"].values
    fig, (ax, bx) = figure(ncols=2, width=9.0, height=4.0)
    ax.scatter(x[acc], ph["re_g"].values[acc], s=14, facecolors="none", edgecolors="0.5", label="raw Re G")
    ax.scatter(x[acc], ph["re_g_background_subtracted"].values[acc], s=14, color="C0", label="background subtracted")
    ax.scatter(x[~acc], ph["re_g_background_subtracted"].values[~acc], s=14, marker="x", color="C3", label="|h| > 2k")
    xs = np.linspace(x.min(), x.max(), 2)
    c, e = ph.attrs["scale"], ph.attrs["scale_stderr"]
    ax.plot(xs, c * xs, "k-", label=f"fit: slope {c:.2f} ± {e:.2f}")
    cr_, er_ = ph.attrs["scale_raw"], ph.attrs["scale_raw_stderr"]
    ax.plot(xs, cr_ * xs, "--", color="0.5", label=f"fit to raw: slope {cr_:.2f} ± {er_:.2f}")
    ax.plot(xs, -8 * np.pi * xs, "k:", label="−8π (Eq. 11)")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("a(h) Re F_h, Å²")
    ax.set_ylabel("Re G(h), Å²")
    ax.legend()
    ok = ph.attrs["sign_fraction_correct"]
    ax.set_title(
        f"{ph.attrs['crystal']}: sign of Re F_h right for {100 * ok:.0f} % of {ph.attrs['n_accessible']} families"
    )
    hn = ph["h_norm"].values
    bx.plot(hn[acc], ph["re_g"].values[acc], "o", mfc="none", color="0.5", label="raw Re G")
    bx.plot(hn[acc], ph["re_g_background_subtracted"].values[acc], "o", color="C0", label="background subtracted")
    bx.axhline(0, color="k", lw=0.5)
    bx.axvline(2 * ph.attrs["k_r_inv_angstrom"], color="k", ls="--", lw=0.7, label="2k")
    bx.set_xlabel("|h|, Å⁻¹")
    bx.set_ylabel("Re G(h), Å²")
    bx.legend()
    bx.set_title("peak heights vs |h|")
    return fig


def real_space(rec: xr.Dataset) -> Any:
    """|U(r′)| along [100], [110], [111] with the neighbour distances of the lattice marked (Eq. 3)."""
    a = rec.attrs["lattice_constant_angstrom"]
    fig, ax = figure(width=6.4, height=4.0)
    r = rec["radius"].values
    marks = {"100": a, "110": a * np.sqrt(2), "111": a * np.sqrt(3) / 2}
    if rec.attrs["crystal"] != "V":
        marks = {"100": a / 2, "110": a / np.sqrt(2), "111": a * np.sqrt(3) / 2}
    for i, line in enumerate(rec["line"].values):
        ax.plot(r, rec["u_abs"].values[i], color=f"C{i}", label=f"[{line}]")
        ax.axvline(marks[str(line)], color=f"C{i}", ls=":", lw=0.8)
    ax.set_xlabel("r′, Å")
    ax.set_ylabel("|U(r′)|, Å⁻¹")
    ax.legend(title="dotted: nearest atom on the line")
    ax.set_title(f"{rec.attrs['crystal']}: real-space reconstruction U(r′) (Eq. 3)")
    return fig
