"""Figures of the TRXS branch: datasets in, matplotlib figures out (no file is read or written).

The paper's figures (TRXS paper Figs 3-6, the jitter-averaged pulse of Eqs 7-8 and the Eq. 2
inversion) and, beyond the paper, the deconvolution and kinetic-fit comparison (docs/trxs.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kineticflow.core.plotting import DIVERGING, centred_norm, figure
from kineticflow.trxs.landmarks import positive_peak_position
from kineticflow.trxs.tables import by_pulse_and_snr, pulse_key, snr_label, snr_value

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


METHODS = (
    ("rel_rms_error", "Tikhonov (chosen lambda)", "-", "o"),
    ("rel_rms_error_best", "Tikhonov (oracle-best lambda)", ":", "."),
    ("rel_rms_error_wiener", "Wiener", "--", "s"),
    ("rel_rms_error_no_deconvolution", "no deconvolution", "-.", "x"),
)
PARAMETER_LABELS = {
    "tau_r_ps": r"$\tau_r$",
    "tau_p_ps": r"$\tau_p$",
    "delta_r_y": r"$\Delta r_Y$",
    "r_y": r"$r_Y$",
    "amplitude": "amplitude",
    "t0_ps": r"$t_0$ (ps)",
}


def _pulse_label(key: tuple[float, float]) -> str:
    return f"{key[0]:g} ps, jitter {key[1]:g}"


def error_vs_snr_figure(deconvolved: Sequence[xr.Dataset]) -> Figure:
    """Relative RMS error of ΔS_inst recovery vs SNR, per pulse and method (log y).

    Parameters
    ----------
    deconvolved : sequence of xarray.Dataset
        :func:`kineticflow.trxs.analysis.deconvolve` outputs.
    """
    dsets = by_pulse_and_snr(deconvolved)
    snrs = sorted({snr_value(d.attrs["snr"]) for d in dsets}, reverse=True)
    xpos = {s: i for i, s in enumerate(snrs)}
    pulses = sorted({pulse_key(d) for d in dsets})
    colours = [f"C{i}" for i in range(len(pulses))]
    fig, ax = figure(width=6.4, height=4.2)
    for key, colour in zip(pulses, colours):
        sub = [d for d in dsets if pulse_key(d) == key]
        x = [xpos[snr_value(d.attrs["snr"])] for d in sub]
        for var, label, ls, marker in METHODS:
            ax.plot(
                x,
                [float(d[var]) for d in sub],
                ls=ls,
                marker=marker,
                color=colour,
                label=f"{_pulse_label(key)}: {label}",
            )
    ax.set_xticks(range(len(snrs)), [snr_label(s) for s in snrs])
    ref = str(dsets[0].attrs.get("noise_reference", "measured"))
    ax.set_xlabel(
        "signal-to-noise ratio: sigma = max|dS_inst(q,t)| / SNR"
        if ref == "instantaneous"
        else "signal-to-noise ratio: sigma = max|dS(q,tau)| / SNR"
    )
    ax.set_ylabel(r"relative RMS error vs true $\Delta S_{inst}(q,t)$")
    ax.set_yscale("log")
    ax.set_title("Recovery of the instantaneous signal: deconvolution vs SNR")
    ax.legend(fontsize=6, ncol=1, loc="best")
    return fig


def fit_parameters_figure(fits: Sequence[xr.Dataset]) -> Figure:
    """Fitted/true value ± stderr/true for each parameter (t₀: fitted − true, ps), per pulse and SNR.

    Parameters
    ----------
    fits : sequence of xarray.Dataset
        :func:`kineticflow.trxs.analysis.fit_measured` outputs.
    """
    dsets = by_pulse_and_snr(fits)
    names = [str(p) for p in dsets[0]["parameter"].values]
    fig, axes = figure(ncols=3, nrows=2, width=9.0, height=5.4)
    labels = [f"{d.attrs['fwhm_ps']:g} ps\nSNR {snr_label(snr_value(d.attrs['snr']))}" for d in dsets]
    pulses = sorted({pulse_key(d) for d in dsets})
    colours = [f"C{pulses.index(pulse_key(d))}" for d in dsets]
    for ax, name in zip(np.ravel(axes), names):
        for i, d in enumerate(dsets):
            k = names.index(name)
            val, err, true = float(d["value"][k]), float(d["stderr"][k]), float(d["true_value"][k])
            if name == "t0_ps":
                y, e, ref = val - true, err, 0.0
            else:
                y, e, ref = val / true, err / abs(true), 1.0
            ax.errorbar(i, y, yerr=e if np.isfinite(e) else None, fmt="o", color=colours[i], capsize=3)
        ax.axhline(ref, color="k", lw=0.8)
        ax.set_xticks(range(len(dsets)), labels, fontsize=6)
        ax.set_title(PARAMETER_LABELS.get(name, name) + (": fit - true" if name == "t0_ps" else ": fit / true"))
    fig.suptitle("Kinetic fit with the pulse-convolved model (1 sigma error bars)", fontsize=9)
    return fig


def deconvolved_traces_figure(deconvolved: Sequence[xr.Dataset], measured_q: float | None = None) -> Figure:
    """ΔS at one q vs τ: truth, measurement, Tikhonov and Wiener, one panel per pulse (lowest finite SNR)."""
    dsets = by_pulse_and_snr(deconvolved)
    pulses = sorted({pulse_key(d) for d in dsets})
    fig, axes = figure(ncols=len(pulses), width=4.2 * len(pulses), height=3.6, squeeze=False)
    for ax, key in zip(axes[0], pulses):
        sub = [d for d in dsets if pulse_key(d) == key]
        finite = [d for d in sub if np.isfinite(snr_value(d.attrs["snr"]))]
        d = max(finite, key=lambda x: snr_value(x.attrs["snr"])) if finite else sub[0]
        truth = d["delta_s_q_true"].values
        iq = (
            int(np.argmax(np.abs(truth).max(axis=0)))
            if measured_q is None
            else int(np.argmin(np.abs(d["q"].values - measured_q)))
        )
        tau = d["tau"].values
        meas = d["delta_s_q_measured"].values[:, iq] if "delta_s_q_measured" in d else None
        ax.plot(tau, truth[:, iq], "k-", label="true dS_inst")
        if meas is not None:
            ax.plot(tau, meas, ".", color="0.6", ms=2, label="measured")
        ax.plot(tau, d["delta_s_q_at_tau"].values[:, iq], "C0-", label="Tikhonov")
        ax.plot(tau, d["delta_s_q_wiener"].values[:, iq], "C1--", label="Wiener")
        ax.set_xlim(tau.min(), min(tau.max(), tau.min() + 2000))
        ax.set_xlabel("t = tau (ps)")
        ax.set_ylabel(f"dS(q = {float(d['q'][iq]):.2f} 1/A)")
        ax.set_title(f"{_pulse_label(key)}, SNR {snr_label(snr_value(d.attrs['snr']))}")
        ax.legend(fontsize=6)
    return fig


def lambda_choice_figure(deconvolved: Sequence[xr.Dataset]) -> Figure:
    """GCV function (left) and error vs truth (right) over λ, chosen λ marked, per pulse and SNR."""
    dsets = by_pulse_and_snr(deconvolved)
    fig, (a1, a2) = figure(ncols=2, width=9.0, height=3.8)
    for i, d in enumerate(dsets):
        lam = d["lam"].values
        label = f"{d.attrs['fwhm_ps']:g} ps, SNR {snr_label(snr_value(d.attrs['snr']))}"
        c = f"C{i}"
        g = d["gcv"].values
        a1.plot(lam, g / g.min(), color=c, label=label)
        a2.plot(lam, d["relative_error_vs_lambda"].values, color=c, label=label)
        for ax, y in ((a1, 1.0), (a2, float(d["rel_rms_error"]))):
            ax.plot(
                [float(d["lambda_gcv"])],
                [y] if ax is a2 else [np.interp(float(d["lambda_gcv"]), lam, g / g.min())],
                "o",
                color=c,
            )
        a2.plot(
            [float(d["lambda_lcurve"])],
            [np.interp(float(d["lambda_lcurve"]), lam, d["relative_error_vs_lambda"].values)],
            "^",
            color=c,
        )
    for ax in (a1, a2):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("lambda")
    a1.set_ylabel("GCV(lambda) / min")
    a1.set_ylim(0.8, 30.0)
    a2.set_ylim(0.1, 5.0)
    a2.set_ylabel("relative RMS error vs truth")
    a1.set_title("GCV (o: minimum; noise-free curves leave the scale)")
    a2.set_title("error vs truth (o: GCV, ^: L-curve)")
    a2.legend(fontsize=6)
    return fig


def paper_figures(
    inst: xr.Dataset,
    convolved: Sequence[xr.Dataset],
    jitter_sets: Sequence[xr.Dataset],
    inverted: Sequence[xr.Dataset],
    times: Sequence[float],
    inversion_times: Sequence[float],
) -> Iterator[Figure]:
    """The paper's figures, one at a time (save and close each before the next).

    ``inst``: rule ``simulate_trxs``; ``convolved`` and ``jitter_sets``: rule ``observe_trxs``
    (every width; every width and fraction); ``inverted``: rule ``invert_fourier``, one per width;
    ``times``, ``inversion_times``: ps of the curves. Yields ΔS_inst in r and q, the pulse-averaged
    signals in r and q, the peak position, the effective pulse vs jitter, then one inversion figure
    per width (in the order of ``inverted``).
    """
    yield instantaneous_figure(inst, "r", times)
    yield instantaneous_figure(inst, "q", times)
    yield pulses_figure(inst, convolved, "r", times)
    yield pulses_figure(inst, convolved, "q", times)
    yield peak_position_figure(inst, convolved)
    yield jitter_figure(jitter_sets)
    for inv in inverted:
        yield inversion_figure(inv, inversion_times)


def analysis_figures(deconvolved: Sequence[xr.Dataset], fits: Sequence[xr.Dataset]) -> Iterator[Figure]:
    """Error vs SNR, fitted parameters, deconvolved traces and the λ choice, one at a time."""
    yield error_vs_snr_figure(deconvolved)
    yield fit_parameters_figure(fits)
    yield deconvolved_traces_figure(deconvolved)
    yield lambda_choice_figure(deconvolved)
