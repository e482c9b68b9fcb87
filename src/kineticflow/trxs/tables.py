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
