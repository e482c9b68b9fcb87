"""The TRXS summary tables: jitter broadening, kinetic-fit parameters and deconvolution errors.

What rule ``summarise_trxs`` writes and the report shows: the effective pulse widths under jitter
beside the TRXS paper's words (Eq. 8; "+2 ps" and "approximately 10 ps", Sec. 6), and, beyond
the paper, one row per fitted parameter and per deconvolved measurement (docs/trxs.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

#: The TRXS paper's statements on jitter broadening of a 100 ps pulse (Sec. 6).
PAPER_JITTER_STATEMENT = {0.2: "increases only by 2 ps", 0.5: "broadens for approximately 10 ps"}

#: Scalars of a deconvolved dataset in the deconvolution table, in order.
DECONVOLUTION_COLUMNS = (
    "lambda_chosen",
    "lambda_gcv",
    "lambda_lcurve",
    "lambda_best",
    "rel_rms_error",
    "rel_rms_error_best",
    "rel_rms_error_wiener",
    "rel_rms_error_no_deconvolution",
)


def snr_value(attr: Any) -> float:
    """SNR attribute (number or ``"inf"``) as a float."""
    return float("inf") if str(attr).strip().lower() == "inf" else float(attr)


def snr_label(snr: float) -> str:
    """``∞`` or ``{:g}``."""
    return "∞" if np.isinf(snr) else f"{snr:g}"


def pulse_key(ds: xr.Dataset) -> tuple[float, float]:
    """(FWHM, jitter fraction) of a measurement's pulse."""
    return float(ds.attrs["fwhm_ps"]), float(ds.attrs.get("jitter_fraction", 0.0))


def by_pulse_and_snr(datasets: Sequence[xr.Dataset]) -> list[xr.Dataset]:
    """Datasets sorted by pulse, then by decreasing SNR."""
    return sorted(datasets, key=lambda d: (pulse_key(d), -snr_value(d.attrs["snr"])))


def jitter_broadening_table(jitter_sets: Sequence[xr.Dataset]) -> pd.DataFrame:
    """Effective pulse widths per pulse and jitter: Eq. 8, Monte Carlo and the paper's words.

    Parameters
    ----------
    jitter_sets : sequence of xarray.Dataset
        :func:`kineticflow.trxs.instrument.average_jitter` of every width and fraction.

    Returns
    -------
    pandas.DataFrame
        One row per (fwhm_ps, jitter_fraction) with ``fwhm_eff_analytic_ps``,
        ``fwhm_eff_monte_carlo_ps``, ``broadening_analytic_ps``, ``monte_carlo_rel_diff``,
        ``n_shots`` and ``paper_statement`` (for the 100 ps pulse).

    References
    ----------
    TRXS paper Eq. 8 and Sec. 6.
    """
    rows = []
    for d in jitter_sets:
        fw = float(d.attrs["fwhm_ps"])
        j = float(d.attrs["jitter_fraction"])
        a = float(d.attrs["fwhm_eff_ps"])
        m = float(d.attrs["fwhm_eff_monte_carlo_ps"])
        rows.append(
            {
                "fwhm_ps": fw,
                "jitter_fraction": j,
                "jitter_fwhm_ps": float(d.attrs["jitter_fwhm_ps"]),
                "fwhm_eff_analytic_ps": round(a, 3),
                "fwhm_eff_monte_carlo_ps": round(m, 3),
                "broadening_analytic_ps": round(a - fw, 3),
                "monte_carlo_rel_diff": round((m - a) / a, 5),
                "n_shots": int(d.attrs["n_shots"]),
                "paper_statement": PAPER_JITTER_STATEMENT.get(j, "") if fw == 100 else "",
            }
        )
    return pd.DataFrame(rows).sort_values(["fwhm_ps", "jitter_fraction"]).reset_index(drop=True)


def _case(d: xr.Dataset) -> dict[str, Any]:
    """The columns that name a measurement: pulse, effective width and SNR."""
    return {
        "fwhm_ps": float(d.attrs["fwhm_ps"]),
        "jitter_fraction": float(d.attrs.get("jitter_fraction", 0.0)),
        "fwhm_eff_ps": float(d.attrs["fwhm_eff_ps"]),
        "snr": snr_label(snr_value(d.attrs["snr"])).replace("∞", "inf"),
    }


def fit_table(fits: Sequence[xr.Dataset]) -> list[dict[str, Any]]:
    """One row per (pulse, SNR, parameter): true, initial, fitted, stderr, relative error and stderr.

    Parameters
    ----------
    fits : sequence of xarray.Dataset
        :func:`kineticflow.trxs.analysis.fit_measured` outputs.
    """
    rows = []
    for d in by_pulse_and_snr(fits):
        units = str(d.attrs.get("parameter_units", "")).split(",")
        for k, name in enumerate(d["parameter"].values):
            rows.append(
                {
                    **_case(d),
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
    """One row per (pulse, SNR): noise σ, the λ values and the relative RMS errors of all methods.

    Parameters
    ----------
    deconvolved : sequence of xarray.Dataset
        :func:`kineticflow.trxs.analysis.deconvolve` outputs.
    """
    rows = []
    for d in by_pulse_and_snr(deconvolved):
        row = {
            **_case(d),
            "noise_sigma": float(d.attrs["noise_sigma"]),
            "lambda_method": str(d.attrs["lambda_method"]),
            "n_t": int(d.attrs["n_t"]),
        }
        row.update({k: float(d[k]) for k in DECONVOLUTION_COLUMNS})
        rows.append(row)
    return rows


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as CSV text (the header from the first row; ``csv`` module dialect, CRLF line ends)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _value(v: Any) -> str:
    """An attribute as text: arrays and lists as ``30, 1000``, numbers with ``g``."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return ", ".join(f"{float(x):g}" for x in np.atleast_1d(v))
    return f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)


def _status(ds: xr.Dataset, done: str) -> str:
    status = str(ds.attrs.get("status", "not run"))
    return done if status == "done" else status


def observation_provenance(
    name: str, obs: xr.Dataset, svd: xr.Dataset, fit: xr.Dataset, deconvolved: xr.Dataset, inverted: xr.Dataset
) -> pd.DataFrame:
    """What was read and what came of it, one ``item, value`` row each: the report's provenance table.

    Parameters
    ----------
    name : str
        The observation's name (``trxs.observations`` key or ``simulated``).
    obs, svd, fit, deconvolved, inverted : xarray.Dataset
        The contract and the outputs of rules ``svd_observation``, ``fit_observation_kinetics``
        and ``deconvolve_observation``.

    Returns
    -------
    pandas.DataFrame
        Columns ``item, value``: the file, its SHA-256 and reader, the units as read, the axes,
        the SVD's count, the kinetic model and χ²_red, and whether the deconvolution and the
        Eq. 2 inversion ran (or why not).
    """
    a, q, tau = obs.attrs, obs["q"].values, obs["tau"].values
    km = {k.removeprefix("kinetic_model."): v for k, v in fit.attrs.items() if k.startswith("kinetic_model.")}
    dec = ""
    if "lambda_chosen" in deconvolved:
        dec = f"done: lambda = {float(deconvolved['lambda_chosen']):.4g} ({deconvolved.attrs.get('lambda_method')})"
    rows = [
        ("observation", name),
        ("sample", a.get("sample", "")),
        ("source_file", a.get("source_file", "")),
        ("source_file_sha256", a.get("source_file_sha256", "")),
        ("reader", a.get("reader", "")),
        ("units as read", f"q: {a.get('q_unit_read', '')}; delays: {a.get('delay_unit_read', '')}"),
        ("Delta S unit", obs["delta_s"].attrs.get("units", "")),
        ("shape (n_q x n_tau)", f"{q.size} x {tau.size}"),
        ("q range (1/angstrom)", f"{q[0]:g} to {q[-1]:g}"),
        ("delay range (ps)", f"{tau[0]:g} to {tau[-1]:g}"),
        ("SVD components above the noise", f"{int(svd['n_significant'])} (level {svd.attrs.get('level')})"),
        ("kinetic model", "; ".join(f"{k} = {_value(v)}" for k, v in km.items())),
        ("chi2_reduced", f"{float(fit['chi2_reduced']):.4f}"),
        ("Tikhonov deconvolution", _status(deconvolved, dec)),
        (
            "Fourier inversion (Eq. 2)",
            _status(inverted, f"done: q = {inverted.attrs.get('q_min')} to {inverted.attrs.get('q_max')} 1/angstrom"),
        ),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])
