"""The TRXS branch's files: result targets, the report, wildcard lists, inputs and memory estimates.

Plain functions of the (schema-filled) config, called by ``workflow/rules/trxs.smk`` and by
:mod:`kineticflow.branches`; paths are relative to the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from kineticflow.core.targets import BranchReport, Headline, enabled
from kineticflow.trxs import config_observed as observed
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
#: Folder of one observation's results (``{observation}``: its name).
OBSERVED = "results/trxs/observed/{observation}"
#: Result files of one observation besides its figures, by the rules that write them.
OBSERVED_FILES = (
    "observation.nc",  # observe_file / observe_simulated
    "svd.nc",  # svd_observation
    "svd.csv",
    "kinetics.nc",  # fit_observation_kinetics
    "kinetics.csv",
    "deconvolved.nc",  # deconvolve_observation
    "inverted.nc",
    "provenance.csv",  # plot_observation
)


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


def observations(config: Config) -> list[str]:
    """The ``{observation}`` wildcards: ``trxs.observations``' names, else ``simulated`` (if noisy)."""
    return observed.observation_names(config["trxs"])


def observed_file(name: str, file: str) -> str:
    """``results/trxs/observed/{name}/{file}``."""
    return OBSERVED.format(observation=name) + "/" + file


def observed_figures(name: str = "{observation}") -> list[str]:
    """``results/trxs/observed/{name}/figures/*.png`` in the order rule plot_observation draws them."""
    return [observed_file(name, f"figures/{stem}.png") for stem in observed.OBSERVED_FIGURES]


def observed_targets(config: Config) -> list[str]:
    """Every result file and figure of every observation."""
    return [
        f for n in observations(config) for f in (*(observed_file(n, x) for x in OBSERVED_FILES), *observed_figures(n))
    ]


def observation_input(config: Config, name: str, basedir: str | os.PathLike[str]) -> list[str]:
    """The file(s) rule observe_file reads: the configured path and a text file's σ companion if any.

    Paths resolve as :func:`kineticflow.trxs.config_observed.resolve_input` (working directory,
    else ``basedir``), so a changed file reruns the observation's chain.
    """
    from kineticflow.trxs.observation_formats import resolve_format  # noqa: PLC0415 - xarray only with observations

    r = observed.reader(config["trxs"], name)
    path = observed.resolve_input(r.path, basedir)

    if resolve_format(path, r.format) != "text":
        return [path]
    stem, suffix = os.path.splitext(os.path.basename(path))
    companion = os.path.join(os.path.dirname(path), r.variables.get("sigma", f"{stem}_sigma{suffix}"))
    return [path, companion] if os.path.exists(companion) else [path]


def observation_profile(config: Config, name: str, basedir: str | os.PathLike[str]) -> list[str]:
    """The measured pulse profile if the observation's kinetic model uses it (``pulse_shape: measured``)."""
    if observed.kinetic_model(config["trxs"], name).pulse_shape != "measured":
        return []
    return [observed.resolve_input(str(config["trxs"]["pulse"]["profile_file"]), basedir)]


def simulated_measurement(config: Config) -> list[str]:
    """The measured file rule observe_simulated reads (``[]`` without a noisy measurement)."""
    sim = observed.simulated_observation(config["trxs"])
    return [] if sim is None else [sim.path()]


def targets(config: Config) -> list[str]:
    """Every TRXS result and report figure (``[]`` when ``trxs.enabled`` is false)."""
    if not enabled(config, "trxs"):
        return []
    return [
        *observed_targets(config),
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
    """The TRXS part of the report: the tables and headlines of the simulated path, then per observation.

    Three headlines (jitter, kinetic fit, deconvolution) and two tables of the simulated path; each
    observation adds its kinetics and provenance tables and a headline of its kinetic fit.
    """
    headlines: tuple[Headline, ...] = (
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
    if enabled(config, "trxs"):
        for name in observations(config):
            tables[f"observed_{name}_kinetics"] = observed_file(name, "kinetics.csv")
            tables[f"observed_{name}_provenance"] = observed_file(name, "provenance.csv")
            headlines += (
                Headline(
                    f"Observed data '{name}': global kinetic fit (provenance table under TRXS)",
                    tables[f"observed_{name}_kinetics"],
                ),
            )
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
