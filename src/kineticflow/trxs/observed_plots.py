"""Figures of an observation's analysis: datasets in, matplotlib figures out (no file I/O).

The SVD of ΔS/σ (singular values against the noise edge, the leading vectors), the kinetic fit
(decay-associated spectra, data and fit at chosen q, the residual map); every figure carries the
observation's provenance (file, SHA-256, reader) in a footer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kineticflow.core.plotting import DIVERGING, figure

Q_LABEL = "q (Å$^{-1}$)"
TAU_LABEL = "delay τ (ps)"
#: Singular values drawn at most (the rest are noise).
MAX_SINGULAR_VALUES = 30
#: Panels of the data-and-fit figure at most.
MAX_Q_PANELS = 6
#: The residual map's colour scale: ±this many σ.
RESIDUAL_RANGE = 4.0


def provenance(obs: xr.Dataset, width: int = 150) -> str:
    """Two lines: the file, its SHA-256 (first 16 hex digits) and the reader; the sample (shortened).

    Examples
    --------
    >>> attrs = {"source_file": "/d/run7.h5", "source_file_sha256": "ab" * 32, "reader": "hdf5", "sample": "I2"}
    >>> print(provenance(xr.Dataset(attrs=attrs)))
    file run7.h5 | sha256 abababababababab… | reader hdf5
    sample: I2
    """
    a = obs.attrs
    sha = str(a.get("source_file_sha256", ""))
    name = str(a.get("source_file", "")).rsplit("/", 1)[-1] or "(no file)"
    sample = str(a.get("sample", ""))
    sample = sample if len(sample) <= width else sample[: width - 1] + "…"
    return f"file {name} | sha256 {sha[:16]}… | reader {a.get('reader', '')}\nsample: {sample}"


def _footer(fig: Figure, obs: xr.Dataset) -> Figure:
    fig.supxlabel(provenance(obs), fontsize=6, color="0.35", ha="left", x=0.01)
    return fig


def delay_axis(ax: Axes, tau: np.ndarray) -> None:
    """Symmetric-log delay axis: linear within ±10⁻² of the largest |τ| (rounded down to a power of 10)."""
    from matplotlib.ticker import FuncFormatter

    span = float(np.max(np.abs(tau))) if tau.size else 1.0
    linthresh = 10.0 ** np.floor(np.log10(max(span, 1e-300)) - 2.0)
    ax.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.set_xlabel(TAU_LABEL)


def singular_values(svd: xr.Dataset, obs: xr.Dataset) -> Figure:
    """Singular values of ΔS/σ with the noise edge √n_q + √n_τ and the significance threshold."""
    fig, ax = figure(height=3.6)
    s = svd["singular_value"].values[:MAX_SINGULAR_VALUES]
    k = np.arange(1, s.size + 1)
    big = s > float(svd["threshold"])
    ax.semilogy(k[big], s[big], "o", color="C3", label=f"significant ({int(svd['n_significant'])})")
    ax.semilogy(k[~big], s[~big], "o", mfc="none", color="0.4", label="noise")
    ax.axhline(float(svd["noise_edge"]), color="k", ls="--", lw=0.8, label="noise edge √n_q + √n_τ")
    ax.axhline(float(svd["threshold"]), color="C0", ls=":", lw=0.9, label=f"threshold (level {svd.attrs['level']})")
    ax.set_xlabel("component")
    ax.set_ylabel("singular value of ΔS/σ")
    ax.legend()
    return _footer(fig, obs)


def singular_vectors(svd: xr.Dataset, obs: xr.Dataset, n: int | None = None) -> Figure:
    """The leading left (along q) and right (along τ) singular vectors of ΔS/σ."""
    n = n or int(np.clip(int(svd["n_significant"]), 2, 4))
    n = min(n, svd.sizes["component"])
    fig, (left, right) = figure(2, 1, width=9.0, height=3.6)
    for i in range(n):
        s = float(svd["singular_value"][i])
        left.plot(svd["q"], svd["left_vector"][:, i], color=f"C{i}", label=f"{i + 1} (s = {s:.3g})")
        right.plot(svd["tau"], svd["right_vector"][:, i], "o-", ms=2.5, color=f"C{i}")
    left.set_xlabel(Q_LABEL)
    left.set_ylabel("left vector u_k(q)")
    left.legend()
    delay_axis(right, svd["tau"].values)
    right.set_ylabel("right vector v_k(τ)")
    for ax in (left, right):
        ax.axhline(0, color="k", lw=0.5)
    return _footer(fig, obs)


def das(fit: xr.Dataset, obs: xr.Dataset) -> Figure:
    """Decay-associated spectra ± stderr (``exponentials``), or the fitted ΔS(q) at a few delays (``diatomic``)."""
    fig, ax = figure(height=3.8)
    unit = fit["fit"].attrs.get("units", "")
    if "das" in fit:
        for i, c in enumerate(fit["component"].values):
            y, e = fit["das"][:, i], fit["das_stderr"][:, i]
            tc, tc_err = float(fit["time_constant"][i]), float(fit["time_constant_stderr"][i])
            ax.plot(fit["q"], y, color=f"C{i}", label=f"{c}: {tc:.4g} ± {tc_err:.2g} ps")
            ax.fill_between(fit["q"], y - e, y + e, color=f"C{i}", alpha=0.25, lw=0)
        if "offset" in fit:
            ax.plot(fit["q"], fit["offset"], color="k", label="offset (long-lived)")
        ax.set_ylabel(f"DAS_k(q) ({unit})")
    else:
        tau = fit["tau"].values
        for i, t in enumerate(tau[np.unique(np.linspace(0, tau.size - 1, 5).round().astype(int))]):
            ax.plot(fit["q"], fit["fit"].sel(tau=t), color=f"C{i}", label=f"τ = {t:g} ps")
        ax.set_ylabel(f"fitted ΔS(q, τ) ({unit}); the diatomic model has no DAS")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel(Q_LABEL)
    ax.legend()
    return _footer(fig, obs)


def chosen_q(q: np.ndarray, q_values: Sequence[float]) -> np.ndarray:
    """The q points drawn: the nearest to each of ``q_values``, or 4 spread over the range if none.

    Examples
    --------
    >>> chosen_q(np.linspace(0.0, 10.0, 101), []).tolist()
    [1.0, 3.5, 6.0, 8.5]
    """
    targets = (
        np.asarray(q_values, dtype=float) if len(q_values) else q[0] + np.array([0.1, 0.35, 0.6, 0.85]) * np.ptp(q)
    )
    idx = np.unique(np.abs(q[None, :] - targets[:MAX_Q_PANELS, None]).argmin(axis=1))
    return q[idx]


def data_fit(obs: xr.Dataset, fit: xr.Dataset, q_values: Sequence[float] = ()) -> Figure:
    """ΔS(τ) at chosen q with the fitted model ± σ (a band: one path, cheap on the symlog axis)."""
    qs = chosen_q(obs["q"].values, q_values)
    fig, axes = figure(1, qs.size, width=6.4, height=1.9 * qs.size + 0.6, sharex=True, squeeze=False)
    tau = obs["tau"].values
    for ax, q in zip(axes[:, 0], qs, strict=True):
        d, s, f = obs["delta_s"].sel(q=q), obs["sigma"].sel(q=q), fit["fit"].sel(q=q)
        ax.fill_between(tau, f - s, f + s, color="C3", alpha=0.2, lw=0, label="fit ± σ")
        ax.plot(tau, f, color="C3", label="fit")
        ax.plot(tau, d, "o", ms=2.5, color="0.25", label="data")
        ax.set_ylabel(f"ΔS, q = {q:.3g} Å$^{{-1}}$", fontsize=8)
        ax.axhline(0, color="k", lw=0.5)
    axes[0, 0].legend()
    axes[0, 0].set_title(f"{fit.attrs.get('model', '')} model, χ²_red = {float(fit['chi2_reduced']):.3f}")
    delay_axis(axes[-1, 0], tau)
    return _footer(fig, obs)


def residual_map(fit: xr.Dataset, obs: xr.Dataset) -> Figure:
    """Weighted residuals (ΔS − fit)/σ over (τ, q), clipped at ±:data:`RESIDUAL_RANGE`."""
    fig, ax = figure(height=4.0)
    res = fit["residual"].transpose("q", "tau")
    mesh = ax.pcolormesh(
        res["tau"], res["q"], res.values, cmap=DIVERGING, vmin=-RESIDUAL_RANGE, vmax=RESIDUAL_RANGE, shading="nearest"
    )
    fig.colorbar(mesh, ax=ax, label="(ΔS − fit)/σ")
    delay_axis(ax, res["tau"].values)
    ax.set_ylabel(Q_LABEL)
    ax.grid(False)
    ax.set_title(f"χ²_red = {float(fit['chi2_reduced']):.3f} (1 for a model within the noise)")
    return _footer(fig, obs)


def observation_figures(
    obs: xr.Dataset, svd: xr.Dataset, fit: xr.Dataset, q_values: Sequence[float] = ()
) -> Iterator[Figure]:
    """The figures of :data:`kineticflow.trxs.config_observed.OBSERVED_FIGURES`, one at a time."""
    yield singular_values(svd, obs)
    yield singular_vectors(svd, obs)
    yield das(fit, obs)
    yield data_fit(obs, fit, q_values)
    yield residual_map(fit, obs)
