"""Figures and tables of the deconvolution / kinetic-fit comparison (beyond the TRXS paper; docs/trxs.md).

* :func:`plot_error_vs_snr`: relative RMS error of the recovered ΔS_inst(q, t) versus SNR for
  every pulse, for Tikhonov (chosen λ and oracle-best λ), Wiener and no deconvolution.
* :func:`plot_fit_parameters`: fitted / true parameters with 1σ error bars.
* :func:`plot_deconvolved_traces`: truth, measurement and recoveries at one q.
* :func:`plot_lambda_choice`: GCV function and error against the truth versus λ.
* :func:`deconvolution_report`: all of the above plus the CSV tables (rule ``plot_trxs``).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from kineticflow.core.io import atomic_output, read_dataset
from kineticflow.core.plotting import figure, save

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


def snr_value(attr: Any) -> float:
    """SNR attribute (number or ``"inf"``) as a float."""
    return float("inf") if str(attr).strip().lower() == "inf" else float(attr)


def snr_label(snr: float) -> str:
    """``∞`` or ``{:g}``."""
    return "∞" if np.isinf(snr) else f"{snr:g}"


def _pulse_key(ds: xr.Dataset) -> tuple[float, float]:
    return float(ds.attrs["fwhm_ps"]), float(ds.attrs.get("jitter_fraction", 0.0))


def _sorted(datasets: Sequence[xr.Dataset]) -> list[xr.Dataset]:
    return sorted(datasets, key=lambda d: (_pulse_key(d), -snr_value(d.attrs["snr"])))


def _pulse_label(key: tuple[float, float]) -> str:
    return f"{key[0]:g} ps, jitter {key[1]:g}"


def plot_error_vs_snr(deconvolved: Sequence[xr.Dataset], path: str | os.PathLike[str]) -> Path:
    """Relative RMS error of ΔS_inst recovery vs SNR, per pulse and method (log y).

    Parameters
    ----------
    deconvolved : sequence of xarray.Dataset
        Outputs of :func:`kineticflow.trxs.deconvolution.deconvolve`.
    path : path
        PNG to write.
    """
    dsets = _sorted(deconvolved)
    snrs = sorted({snr_value(d.attrs["snr"]) for d in dsets}, reverse=True)
    xpos = {s: i for i, s in enumerate(snrs)}
    pulses = sorted({_pulse_key(d) for d in dsets})
    colours = [f"C{i}" for i in range(len(pulses))]
    fig, ax = figure(width=6.4, height=4.2)
    for key, colour in zip(pulses, colours):
        sub = [d for d in dsets if _pulse_key(d) == key]
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
    return save(fig, path)


def plot_fit_parameters(fits: Sequence[xr.Dataset], path: str | os.PathLike[str]) -> Path:
    """Fitted/true value ± stderr/true for each parameter (t₀: fitted − true, ps), per pulse and SNR.

    Parameters
    ----------
    fits : sequence of xarray.Dataset
        Outputs of :func:`kineticflow.trxs.kinetic_fit.fit_measured`.
    path : path
        PNG to write.
    """
    dsets = _sorted(fits)
    names = [str(p) for p in dsets[0]["parameter"].values]
    fig, axes = figure(ncols=3, nrows=2, width=9.0, height=5.4)
    labels = [f"{d.attrs['fwhm_ps']:g} ps\nSNR {snr_label(snr_value(d.attrs['snr']))}" for d in dsets]
    pulses = sorted({_pulse_key(d) for d in dsets})
    colours = [f"C{pulses.index(_pulse_key(d))}" for d in dsets]
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
    return save(fig, path)


def plot_deconvolved_traces(
    deconvolved: Sequence[xr.Dataset], measured_q: float | None, path: str | os.PathLike[str]
) -> Path:
    """ΔS at one q vs τ: truth, measurement, Tikhonov and Wiener, one panel per pulse (lowest finite SNR)."""
    dsets = _sorted(deconvolved)
    pulses = sorted({_pulse_key(d) for d in dsets})
    fig, axes = figure(ncols=len(pulses), width=4.2 * len(pulses), height=3.6, squeeze=False)
    for ax, key in zip(axes[0], pulses):
        sub = [d for d in dsets if _pulse_key(d) == key]
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
    return save(fig, path)


def plot_lambda_choice(deconvolved: Sequence[xr.Dataset], path: str | os.PathLike[str]) -> Path:
    """GCV function (left) and error vs truth (right) over λ, chosen λ marked, per pulse and SNR."""
    dsets = _sorted(deconvolved)
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
    return save(fig, path)


def _write_csv(rows: list[dict[str, Any]], path: str | os.PathLike[str]) -> Path:
    # atomic_output: the file gets the mode a plain open would give (umask), not mkstemp's 0600
    with atomic_output(path) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return Path(path)


def fit_table(fits: Sequence[xr.Dataset]) -> list[dict[str, Any]]:
    """One row per (pulse, SNR, parameter): true, initial, fitted, stderr, relative error and stderr."""
    rows = []
    for d in _sorted(fits):
        units = str(d.attrs.get("parameter_units", "")).split(",")
        for k, name in enumerate(d["parameter"].values):
            rows.append(
                {
                    "fwhm_ps": float(d.attrs["fwhm_ps"]),
                    "jitter_fraction": float(d.attrs.get("jitter_fraction", 0.0)),
                    "fwhm_eff_ps": float(d.attrs["fwhm_eff_ps"]),
                    "snr": snr_label(snr_value(d.attrs["snr"])).replace("∞", "inf"),
                    "parameter": str(name),
                    "unit": units[k] if k < len(units) else "",
                    "true": float(d["true_value"][k]),
                    "initial": float(d["initial"][k]),
                    "fitted": float(d["value"][k]),
                    "stderr": float(d["stderr"][k]),
                    "relative_error": float(d["relative_error"][k]),
                    "relative_stderr": float(d["relative_stderr"][k]),
                    "redchi": float(d["redchi"]),
                }
            )
    return rows


def deconvolution_table(deconvolved: Sequence[xr.Dataset]) -> list[dict[str, Any]]:
    """One row per (pulse, SNR): noise σ, the λ values and the relative RMS errors of all methods."""
    keys = (
        "lambda_chosen",
        "lambda_gcv",
        "lambda_lcurve",
        "lambda_best",
        "rel_rms_error",
        "rel_rms_error_best",
        "rel_rms_error_wiener",
        "rel_rms_error_no_deconvolution",
    )
    rows = []
    for d in _sorted(deconvolved):
        row = {
            "fwhm_ps": float(d.attrs["fwhm_ps"]),
            "jitter_fraction": float(d.attrs.get("jitter_fraction", 0.0)),
            "fwhm_eff_ps": float(d.attrs["fwhm_eff_ps"]),
            "snr": snr_label(snr_value(d.attrs["snr"])).replace("∞", "inf"),
            "noise_sigma": float(d.attrs["noise_sigma"]),
            "lambda_method": str(d.attrs["lambda_method"]),
            "n_t": int(d.attrs["n_t"]),
        }
        row.update({k: float(d[k]) for k in keys})
        rows.append(row)
    return rows


def deconvolution_report(
    deconvolved_paths: Sequence[str | os.PathLike[str]],
    fit_paths: Sequence[str | os.PathLike[str]],
    figure_paths: Sequence[str | os.PathLike[str]],
    fit_csv: str | os.PathLike[str],
    deconvolution_csv: str | os.PathLike[str],
) -> None:
    """Rule ``plot_trxs`` (its second part): the four deconvolution figures and the two CSV tables.

    The figures come in the order error_vs_snr, fit_parameters, deconvolved_traces, lambda_choice.
    """
    dec = [read_dataset(p, required=["rel_rms_error", "gcv"]) for p in deconvolved_paths]
    fits = [read_dataset(p, required=["value", "stderr", "true_value"]) for p in fit_paths]
    error_png, fit_png, traces_png, lambda_png = figure_paths
    plot_error_vs_snr(dec, error_png)
    plot_fit_parameters(fits, fit_png)
    plot_deconvolved_traces(dec, None, traces_png)
    plot_lambda_choice(dec, lambda_png)
    _write_csv(fit_table(fits), fit_csv)
    _write_csv(deconvolution_table(dec), deconvolution_csv)
