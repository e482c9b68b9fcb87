"""The TRXS branch's files: result targets, the report, wildcard lists, inputs and memory estimates.

Plain functions of the (schema-filled) config, called by ``workflow/rules/trxs.smk`` and by
:mod:`kineticflow.branches`; paths are relative to the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled
from kineticflow.trxs.config import Params

Config = Mapping[str, Any]

#: The labels of a measured (jitter-averaged, noisy) dataset in its file names.
MEASURED = "fwhm-{fwhm}ps_jitter-{jitter}_snr-{snr}"
#: Figures of the deconvolution and kinetic-fit comparison, in the order rule plot_trxs draws them.
DECONVOLUTION_FIGURES = (
    "results/trxs/figures/deconvolution/error_vs_snr.png",
    "results/trxs/figures/deconvolution/fit_parameters.png",
    "results/trxs/figures/deconvolution/deconvolved_traces.png",
    "results/trxs/figures/deconvolution/lambda_choice.png",
)
FIT_TABLE = "results/trxs/fits/summary.csv"
DECONVOLUTION_TABLE = "results/trxs/deconvolved/summary.csv"
JITTER_TABLE = "results/trxs/jitter_broadening.csv"
JITTER_HTML = "results/trxs/jitter_broadening.html"


def params(config: Config) -> Params:
    """:class:`kineticflow.trxs.config.Params` of the ``trxs`` section."""
    return Params.from_config(config["trxs"])


def fwhms(config: Config) -> list[str]:
    """Pulse widths as in the file names (``"100"``), the ``{fwhm}`` wildcard."""
    return list(params(config).fwhms)


def jitters(config: Config) -> list[str]:
    """Jitter fractions as in the file names (``"0.2"``), the ``{jitter}`` wildcard."""
    return list(params(config).observation.fractions)


def inversion_figure_jitter(config: Config) -> str:
    """The jitter fraction whose inversion is drawn per pulse: none if configured, else the first."""
    fractions = jitters(config)
    return "0" if "0" in fractions else fractions[0]


def jitter_files(config: Config, folder: str = "jitter", fwhm: str | None = None) -> list[str]:
    """``results/trxs/{folder}/fwhm-F ps_jitter-J.nc`` of every width (or of ``fwhm``, e.g. ``"{fwhm}"``) and J."""
    widths = [fwhm] if fwhm else fwhms(config)
    return [f"results/trxs/{folder}/fwhm-{f}ps_jitter-{j}.nc" for f in widths for j in jitters(config)]


def measured_files(config: Config, folder: str, fwhm: str | None = None) -> list[str]:
    """Files of every measured (jitter, SNR) of all widths, or of one width (a rule's ``"{fwhm}"``)."""
    obs = params(config).observation
    widths = [fwhm] if fwhm else fwhms(config)
    return [
        f"results/trxs/{folder}/" + MEASURED.format(fwhm=f, jitter=j, snr=s) + ".nc"
        for f in widths
        for j in obs.measured_jitters
        for s in obs.snrs
    ]


def convolved_files(config: Config) -> list[str]:
    """``results/trxs/convolved/fwhm-F ps.nc`` of every width."""
    return [f"results/trxs/convolved/fwhm-{f}ps.nc" for f in fwhms(config)]


def inversion_figure_inputs(config: Config) -> list[str]:
    """The inverted datasets drawn in the inversion figures, one per width."""
    j = inversion_figure_jitter(config)
    return [f"results/trxs/inverted/fwhm-{f}ps_jitter-{j}.nc" for f in fwhms(config)]


def inversion_figures(config: Config) -> list[str]:
    """``results/trxs/figures/inversion_fwhm-F ps.png`` of every width."""
    return [f"results/trxs/figures/inversion_fwhm-{f}ps.png" for f in fwhms(config)]


def targets(config: Config) -> list[str]:
    """Every TRXS result and report figure (``[]`` when ``trxs.enabled`` is false)."""
    if not enabled(config, "trxs"):
        return []
    return [
        *jitter_files(config, "inverted"),
        *DECONVOLUTION_FIGURES,
        FIT_TABLE,
        DECONVOLUTION_TABLE,
        "results/trxs/figures/instantaneous_r.png",
        "results/trxs/figures/pulses_r.png",
        JITTER_HTML,
        *inversion_figures(config),
    ]


def report(config: Config) -> BranchReport:
    """The TRXS part of the report: two tables and three headlines (jitter, kinetic fit, deconvolution)."""
    headlines = (
        Headline("Jitter broadening (TRXS paper Eq. 8)", JITTER_TABLE),
        Headline(
            "Kinetic fit: τ_r recovered per pulse and SNR (full table under TRXS)",
            FIT_TABLE,
            "parameter == 'tau_r_ps'",
            ("fwhm_ps", "snr", "true", "fitted", "stderr", "relative_error"),
        ),
        Headline(
            "Deconvolution: relative RMS error vs SNR",
            DECONVOLUTION_TABLE,
            "",
            (
                "fwhm_ps",
                "snr",
                "lambda_chosen",
                "rel_rms_error",
                "rel_rms_error_wiener",
                "rel_rms_error_no_deconvolution",
            ),
        ),
    )
    tables = {"kinetic_fit": FIT_TABLE, "deconvolution_error": DECONVOLUTION_TABLE}
    return BranchReport("TRXS", tables, headlines, tuple(targets(config)))


def measured_pulse_profile(config: Config, basedir: str | os.PathLike[str]) -> str | list[str]:
    """The measured pulse profile as an input file (``trxs.pulse.shape: measured``), else none (``[]``).

    A relative path is taken from the working directory if it exists there, otherwise from the
    workflow's folder ``basedir`` (the shipped example), so the file is an input, not a path
    parameter.
    """
    pulse = config["trxs"]["pulse"]
    if pulse["shape"] != "measured":
        return []
    path = str(pulse["profile_file"])
    if os.path.isabs(path) or os.path.exists(path):
        return path
    return os.path.join(basedir, path)


def _n_points(lo: float, hi: float, step: float) -> int:
    return int(round((hi - lo) / step)) + 1


def grid_mb(config: Config) -> float:
    """Megabytes of the float64 arrays n_t × (n_r + n_q) of the TRXS grid (``trxs.grid``)."""
    g = config["trxs"]["grid"]
    nt = _n_points(g["t_min_ps"], g["t_max_ps"], g["t_step_ps"])
    nr = _n_points(g["r_min"], g["r_max"], g["r_step"])
    nq = _n_points(g["q_min"], g["q_max"], g["q_step"])
    return nt * (nr + nq) * 8 / 1e6


def mem_mb(config: Config, attempt: int = 1) -> int:
    """Memory of a job on the full grid, MB, times the attempt (doubled on the first retry).

    ~500 MB of interpreter and libraries plus ~8 copies of the grid arrays (measured max RSS:
    150 MB + 7.7 × grid).
    """
    return int(500 + 8 * grid_mb(config)) * attempt
